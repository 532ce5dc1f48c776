import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ActionMetadata, InputSpec } from './metadata.js';

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
