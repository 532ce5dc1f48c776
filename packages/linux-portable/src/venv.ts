// The seed's way (section 5): a venv made with the runner's Python. It is not relocatable: its python
// links to that interpreter by an absolute path, so run.sh checks for it (launchers.ts).
import { join } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';
import { type Python, probePython, reasonOf, run } from '@forge-actions/wheels/build-common';

/** The runner's Python for `3.11` / `3.11.9` (python3.11, else python3 when it is that version), or python3. */
export async function findRunnerPython(version: string): Promise<Python> {
  const minor = /^\d+\.\d+/.exec(version)?.[0];
  const seen: string[] = [];
  for (const program of minor ? [`python${minor}`, 'python3'] : ['python3']) {
    const found = await probePython(program);
    if (found && (!version || found.version === version || found.minor === version)) return found;
    if (found) seen.push(`${program} is ${found.version}`);
  }
  throw new ActionError(
    `python: venv needs Python ${version || '3'} on the runner (${seen.join(', ') || 'no python3 found'}); ` +
      'install it first (e.g. actions/setup-python), or use python: standalone',
  );
}

/** Makes `venv/` in the distribution; returns its interpreter. */
export async function createVenv(
  python: Python,
  distDir: string,
  env: Record<string, string | undefined>,
): Promise<string> {
  const venv = join(distDir, 'venv');
  const made = await run(python.executable, ['-m', 'venv', venv], { env });
  if (made.code !== 0) throw new ActionError(`python -m venv failed: ${reasonOf(made)}`);
  return join(venv, 'bin', 'python3');
}
