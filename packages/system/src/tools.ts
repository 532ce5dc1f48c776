import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { runCommand, which } from './command.js';

export interface ToolRequest {
  /** The program looked up on PATH, e.g. makensis. */
  program: string;
  /** The Debian/Ubuntu package that provides it, e.g. nsis. */
  aptPackage: string;
  /** The action input that allows installing it (named in the errors). */
  installInput: string;
  install: boolean;
  logger: Logger;
  /** Where to look, and who runs apt-get: the process's own by default (tests narrow them). */
  path?: string;
  uid?: number;
}

/**
 * How apt-get can be run here: directly as root, through password-less sudo, or not at all
 * (the reason is part of the error the user sees).
 */
async function aptPrefix(path: string | undefined, uid: number | undefined): Promise<string[] | string> {
  if (!which('apt-get', path)) return 'there is no apt-get';
  if (uid === 0) return [];
  if (which('sudo', path) && (await runCommand('sudo', ['-n', 'true'])).code === 0) return ['sudo', '-n'];
  return 'not root and no password-less sudo';
}

/**
 * The program's path, installing its package with apt-get when it is missing and `install` allows it.
 * Otherwise one line that says which package to put in the job image.
 */
export async function ensureTool(request: ToolRequest): Promise<string> {
  const { program, aptPackage, installInput, logger } = request;
  const path = request.path ?? process.env.PATH;
  const found = which(program, path);
  if (found) return found;
  if (!request.install) {
    throw new ActionError(
      `${program} is not installed (Debian/Ubuntu package ${aptPackage}) and ${installInput} is false; ` +
        `install ${aptPackage} in the job image or set ${installInput}: true`,
    );
  }
  const prefix = await aptPrefix(path, request.uid ?? process.getuid?.());
  if (typeof prefix === 'string') {
    throw new ActionError(
      `${program} is not installed and cannot be installed here (${prefix}); ` +
        `install the package ${aptPackage} in the job image`,
    );
  }
  logger.info(`${program} is missing: installing ${aptPackage} with apt-get`);
  const apt = (...args: string[]) => {
    const [command, ...rest] = [...prefix, 'apt-get', ...args];
    return runCommand(command, rest, {
      env: { DEBIAN_FRONTEND: 'noninteractive' },
      onLine: (line) => logger.info(line),
    });
  };
  const installArgs = ['install', '-y', '-q', '--no-install-recommends', aptPackage];
  let result = await apt(...installArgs);
  if (result.code !== 0) {
    // A fresh job image often has no package lists yet.
    await apt('update', '-q');
    result = await apt(...installArgs);
  }
  const installed = which(program, path);
  if (result.code !== 0 || !installed) {
    const why = result.stderr.filter((line) => line.trim() !== '').pop() ?? `${program} is still not on PATH`;
    throw new ActionError(`Installing ${aptPackage} for ${program} failed: ${why}`);
  }
  return installed;
}
