// Where a secret shows after a bundle run: for the hardening tests of fetch-embedded-python and
// download-win-wheels (issue 14, item 3).
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './run-action.js';

/** Every file, folder and link below `dir` (absolute paths). */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? [path, ...walk(path)] : [path];
  });
}

/**
 * Where any of `secrets` shows: the log (but for the `::add-mask::` lines that hand it to the runner),
 * stderr, the summary, outputs, exported variables, and the names and bytes of everything below the
 * folders given. Empty when nowhere.
 */
export function leaks(run: RunResult, secrets: string[], folders: string[]): string[] {
  const found: string[] = [];
  const texts: Record<string, string> = {
    stdout: run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    env: JSON.stringify(run.exportedEnv),
  };
  const paths = folders.flatMap(walk);
  for (const secret of secrets) {
    for (const [where, text] of Object.entries(texts))
      if (text.includes(secret)) found.push(`${where}: ${secret}`);
    for (const path of paths) {
      if (path.includes(secret)) found.push(`name ${path}`);
      if (lstatSync(path).isFile() && readFileSync(path).includes(Buffer.from(secret))) {
        found.push(`${path}: ${secret}`);
      }
    }
  }
  return found;
}
