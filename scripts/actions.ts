import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const ACTIONS_DIR = join(REPO_ROOT, 'actions');

/** Every action folder (one with an action.yml), sorted by name. */
export function listActions(): string[] {
  return readdirSync(ACTIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ACTIONS_DIR, entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
}

/** Actions that run a JavaScript bundle (composites have no src/main.ts to bundle). */
export function listJavaScriptActions(): string[] {
  return listActions().filter((name) => existsSync(join(ACTIONS_DIR, name, 'src', 'main.ts')));
}
