import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';

export interface CommandResult {
  code: number;
  stdout: string[];
  stderr: string[];
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each output line as it arrives (the log streams while the tool runs). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * Our environment without the step's inputs: the runner passes them as `INPUT_*` variables, some secret
 * (a PIN, a password, a token), and no tool we start reads them.
 */
export function childEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('INPUT_')));
}

/**
 * Runs a program without a shell and collects its output as lines, streaming each one to `onLine`.
 * A program that cannot be started resolves with code 127, like a shell would report it.
 */
export function runCommand(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const result: CommandResult = { code: 0, stdout: [], stderr: [] };
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...childEnvironment(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const streams = [
      [child.stdout, 'stdout'],
      [child.stderr, 'stderr'],
    ] as const;
    const closed = streams.map(
      ([stream, name]) =>
        new Promise<void>((done) => {
          const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
          lines.on('line', (line) => {
            result[name].push(line);
            options.onLine?.(line, name);
          });
          lines.on('close', done);
        }),
    );
    let failed = false;
    child.on('error', (error: NodeJS.ErrnoException) => {
      failed = true;
      result.code = 127;
      result.stderr.push(`${command}: ${error.code === 'ENOENT' ? 'not found' : error.message}`);
      resolve(result);
    });
    child.on('close', async (code, signal) => {
      if (failed) return;
      await Promise.all(closed);
      result.code = code ?? (signal ? 128 : 1);
      if (signal) result.stderr.push(`${command} was killed by ${signal}`);
      resolve(result);
    });
  });
}

/** The program's full path on PATH (with PATHEXT on Windows), or undefined. */
export function which(program: string, path = process.env.PATH): string | undefined {
  const extensions =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = join(dir, program + extension);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
