import type { Logger } from '@forge-actions/action-kit/errors';
import { scrubSecrets } from '@forge-actions/http';
import { runCommand } from '@forge-actions/system';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Added to this process's environment; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  /** Each output line is logged as it arrives (pip and uv report progress there); else kept quiet. */
  logger?: Logger;
  /** Values never shown: the passwords of index URLs. */
  secrets?: string[];
}

/** A command line for the log, with secrets masked. */
function showCommand(command: string, args: string[], secrets: string[] = []): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return scrubSecrets([command, ...args].map(quote).join(' '), secrets);
}

/**
 * Runs a program without a shell (the system package's runner), the command line and every output line
 * logged with index passwords masked; a program that cannot be started is exit code 127, never an exception.
 */
export async function run(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  const secrets = options.secrets ?? [];
  const { logger } = options;
  logger?.info(`[command] ${showCommand(command, args, secrets)}`);
  const result = await runCommand(command, args, {
    cwd: options.cwd,
    // node leaves out variables whose value is undefined.
    env: options.env as NodeJS.ProcessEnv | undefined,
    onLine: logger
      ? (line) => {
          if (line.trim() !== '') logger.info(scrubSecrets(line, secrets));
        }
      : undefined,
  });
  return {
    code: result.code,
    stdout: scrubSecrets(result.stdout.join('\n'), secrets),
    stderr: scrubSecrets(result.stderr.join('\n'), secrets),
  };
}

/**
 * The line of a failed tool's output that says why, for a one-line error: uv's `cause:` and `error:`
 * lines, pip's `ERROR:` lines, else the last non-empty line.
 */
export function reasonOf(result: CommandResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const pick =
    lines.find((l) => /^cause:/i.test(l)) ??
    lines.find((l) => /^(error|ERROR):/.test(l) && !/^error: No solution found/i.test(l)) ??
    lines.find((l) => /^(error|ERROR):/.test(l)) ??
    lines[lines.length - 1] ??
    `exit code ${result.code}`;
  return pick.replace(/^(cause|error|ERROR):\s*/, '').slice(0, 400);
}
