import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Finds a tool on PATH (or in the extra places given). Undefined when it is missing: the caller
 * skips its tier then, except under CI=true, where a missing tool must fail the run instead.
 */
export function findTool(name: string, extra: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extra];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

/** The tool's path; throws under CI=true when it is missing, else returns undefined (skip). */
export function requireTool(name: string, why: string, extra: string[] = []): string | undefined {
  const found = findTool(name, extra);
  if (!found && process.env.CI === 'true')
    throw new Error(`${name} is missing (${why}); .ci/run installs it`);
  return found;
}

export const GO_BIN = join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin');
