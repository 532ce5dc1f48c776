import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expandDefault, inputEnvName } from '@forge-actions/action-kit';
import { loadActionMetadata } from '@forge-actions/action-kit/action-yml';

/** The repository's root: the actions, the docs and the specs the tests read. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface RunOptions {
  /** Inputs as a workflow's `with:` would give them; action.yml defaults fill the rest. */
  inputs?: Record<string, string>;
  /** Extra environment (GITHUB_REF_NAME, GITEA_ACTIONS, ...), on top of a clean runner-like one. */
  env?: Record<string, string>;
  /** The step's working directory (the workspace); a fresh temporary folder when omitted. */
  cwd?: string;
  /** The node binary: the test's own by default, or e.g. Node 24's. */
  node?: string;
  /** The bundle to run instead of `actions/<name>/dist/index.js` (release-tree checks). */
  entry?: string;
  /** The action's folder, when it is not `actions/<name>` (test fixtures). */
  actionDir?: string;
  /** Called with the child process once it started (to kill it mid-run). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Variables the action exported through GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  runnerTemp: string;
  toolCache: string;
  workspace: string;
  /** Lines the runner would show as error annotations (`::error ...::message`). */
  errors: string[];
  warnings: string[];
}

/** Parses a GITHUB_OUTPUT / GITHUB_ENV file: `name=value` lines and the `name<<DELIM` multi-line form. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]);
      if (i >= lines.length) throw new Error(`unterminated ${name}<<${delimiter} in command file`);
      values[name] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`malformed command-file line: ${line}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

function annotations(stdout: string, kind: 'error' | 'warning'): string[] {
  const pattern = new RegExp(`^::${kind}(?: [^:]*)?::(.*)$`, 'gm');
  return [...stdout.matchAll(pattern)].map((m) => m[1].replace(/%0A/g, '\n').replace(/%25/g, '%'));
}

/**
 * Runs a bundled action as a runner does: action.yml defaults applied and `${{ github.* }}` expanded,
 * `INPUT_*` variables with hyphens kept, real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV files,
 * RUNNER_TEMP and RUNNER_TOOL_CACHE folders. Nothing is mocked.
 */
export async function runAction(action: string, options: RunOptions = {}): Promise<RunResult> {
  const actionDir = options.actionDir ?? join(REPO_ROOT, 'actions', action);
  const metadata = loadActionMetadata(join(actionDir, 'action.yml'));
  const root = mkdtempSync(join(tmpdir(), `run-${action}-`));
  const runnerTemp = join(root, 'runner-temp');
  const toolCache = join(root, 'tool-cache');
  const files = { output: join(root, 'output'), summary: join(root, 'summary'), env: join(root, 'env') };
  for (const dir of [runnerTemp, toolCache]) mkdirSync(dir);
  for (const file of Object.values(files)) writeFileSync(file, '');
  const workspace = options.cwd ?? mkdtempSync(join(root, 'workspace-'));

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    ...options.env,
  };
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    const given = options.inputs?.[name];
    env[inputEnvName(name)] = given ?? expandDefault(spec.default, env);
  }
  for (const name of Object.keys(options.inputs ?? {})) {
    if (!(name in metadata.inputs)) throw new Error(`${action}/action.yml has no input '${name}'`);
  }

  const entry = options.entry ?? join(actionDir, 'dist', 'index.js');
  const child = spawn(options.node ?? process.execPath, [entry], { cwd: workspace, env });
  options.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, failed) => {
    child.on('error', failed);
    child.on('close', (c, s) => done([c, s]));
  });
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    exportedEnv: parseCommandFile(readFileSync(files.env, 'utf8')),
    runnerTemp,
    toolCache,
    workspace,
    errors: annotations(stdout, 'error'),
    warnings: annotations(stdout, 'warning'),
  };
}
