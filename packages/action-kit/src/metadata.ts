import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface InputSpec {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionMetadata {
  name: string;
  inputs: Record<string, InputSpec>;
  outputs: string[];
}

/** Reads the parts of action.yml the kit and the test harness rely on. */
export function loadActionMetadata(actionYmlPath: string): ActionMetadata {
  const doc = parse(readFileSync(actionYmlPath, 'utf8')) as {
    name?: string;
    inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
    outputs?: Record<string, unknown>;
  };
  const inputs: Record<string, InputSpec> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    inputs[name] = {
      description: spec?.description,
      required: spec?.required === true,
      default: spec?.default === undefined ? undefined : String(spec.default),
    };
  }
  return { name: doc.name ?? '', inputs, outputs: Object.keys(doc.outputs ?? {}) };
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
