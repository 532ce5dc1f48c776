import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './run-action.js';
import { GO_BIN, requireTool } from './tools.js';

/** act, which runs workflows as a runner does; undefined (skip) when missing, an error under CI=true. */
export const act = requireTool('act', 'runs the composite actions as a runner does', [GO_BIN]);

/**
 * A project folder holding a copy of this repository's actions/ (with their built bundles) and the
 * given workflow lines as .github/workflows/test.yml. Workflows start with a step that copies what they
 * need from $SOURCE, as actions/checkout would: act on the host starts from an empty workspace.
 */
export function actProject(workflow: string[]): string {
  const source = mkdtempSync(join(tmpdir(), 'act-project-'));
  cpSync(join(REPO_ROOT, 'actions'), join(source, 'actions'), { recursive: true });
  mkdirSync(join(source, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(source, '.github', 'workflows', 'test.yml'), [...workflow, ''].join('\n'));
  return source;
}

/** Runs the project's workflow with act on the host (no containers); returns act's output. */
export async function runWorkflow(source: string, env: Record<string, string> = {}): Promise<string> {
  const pairs = Object.entries({ SOURCE: source, ...env }).flatMap(([name, value]) => [
    '--env',
    `${name}=${value}`,
  ]);
  const { stdout } = await promisify(execFile)(
    act as string,
    ['push', '-P', 'ubuntu-latest=-self-hosted', '-W', '.github/workflows/test.yml', ...pairs],
    { cwd: source, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}
