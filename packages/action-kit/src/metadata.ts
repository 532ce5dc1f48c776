import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// What the kit and the test harness use of an action.yml (action-yml.ts reads it); a bundle carries it
// as dist/action.json, written by the build, so a run needs no YAML parser.
export interface InputSpec {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionMetadata {
  name: string;
  inputs: Record<string, InputSpec>;
  outputs: string[];
}

const EXPRESSION = /^\$\{\{\s*github\.([a-z_]+)\s*\}\}$/;

/**
 * Expands an action.yml default the way a runner would for the `${{ github.* }}` forms this suite
 * uses, from the environment variables a runner sets (GITHUB_REPOSITORY, GITHUB_SERVER_URL, ...);
 * `${{ github.token }}` reads GITHUB_TOKEN when a caller provides it.
 */
export function expandDefault(value: string | undefined, env: NodeJS.ProcessEnv): string {
  if (value === undefined) return '';
  const match = EXPRESSION.exec(value.trim());
  if (!match) return value;
  return env[`GITHUB_${match[1].toUpperCase()}`] ?? '';
}

/** `INPUT_` + upper-cased name, spaces to underscores, hyphens kept: the runner's convention. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** The metadata a bundle carries beside itself; undefined next to a source file (run through tsx). */
export function bundledMetadata(dir: string): ActionMetadata | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, BUNDLED_METADATA), 'utf8')) as ActionMetadata;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The file the build writes beside a bundle: action.yml's metadata as JSON. */
export const BUNDLED_METADATA = 'action.json';
