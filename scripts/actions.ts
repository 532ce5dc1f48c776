import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const ACTIONS_DIR = join(REPO_ROOT, 'actions');

/** Every action folder (one with an action.yml), sorted by name. `actionsDir` lets tests use a copy. */
export function listActions(actionsDir: string = ACTIONS_DIR): string[] {
  return readdirSync(actionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(actionsDir, entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
}

/** Actions that run a JavaScript bundle (composites have no src/main.ts to bundle). */
export function listJavaScriptActions(actionsDir: string = ACTIONS_DIR): string[] {
  return listActions(actionsDir).filter((name) => existsSync(join(actionsDir, name, 'src', 'main.ts')));
}
