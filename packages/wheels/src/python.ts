import { ActionError } from '@forge-actions/action-kit/errors';
import { run } from './command.js';
import type { Target } from './target.js';

export interface Python {
  /** The program as found (a name on PATH or a path). */
  program: string;
  /** sys.executable */
  executable: string;
  /** X.Y.Z */
  version: string;
  /** X.Y */
  minor: string;
}

const PROBE = 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)';

/**
 * The interpreter behind `program`, or undefined when it does not run (pyenv shims of inactive versions fail).
 */
export async function probePython(program: string): Promise<Python | undefined> {
  const result = await run(program, ['-c', PROBE]);
  const [version, executable] = result.stdout.trim().split(/\r?\n/);
  if (result.code !== 0 || !/^\d+\.\d+\.\d+$/.test(version ?? '')) return undefined;
  return { program, executable: executable || program, version, minor: version.replace(/\.\d+$/, '') };
}

/** The runner's Python (python3, else python), for pip, builds and installing uv. */
export async function findHostPython(): Promise<Python | undefined> {
  for (const program of ['python3', 'python']) {
    const found = await probePython(program);
    if (found) return found;
  }
  return undefined;
}

/**
 * A runner Python of the target's X.Y for compileall: a .pyc holds the magic number of the Python that
 * wrote it, and the embeddable Python ignores (and without the .py cannot replace) any other.
 */
export async function findCompilePython(target: Target): Promise<Python> {
  const seen: string[] = [];
  for (const program of [`python${target.pythonVersion}`, 'python3', 'python']) {
    const found = await probePython(program);
    if (found?.minor === target.pythonVersion) return found;
    if (found) seen.push(`${program} is ${found.version}`);
  }
  throw new ActionError(
    `cleanup: aggressive compiles .pyc files that only Python ${target.pythonVersion} can load, and this runner ` +
      `has no Python ${target.pythonVersion} (${seen.length > 0 ? seen.join(', ') : 'no python found'}); ` +
      `install it (e.g. actions/setup-python) or use cleanup: safe`,
  );
}

/**
 * pip's version when the interpreter has pip, or undefined. Importing the package is enough to know:
 * `python -m pip --version` loads pip's whole command machinery (0.27 s against 0.03 s here).
 */
export async function pipVersion(python: Python): Promise<string | undefined> {
  const result = await run(python.executable, ['-c', 'import pip; print(pip.__version__)']);
  const version = result.stdout.trim();
  return result.code === 0 && /^\d+(\.\w+)*$/.test(version) ? version : undefined;
}
