import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { unsafeEntryName } from '@forge-actions/archive/extract';

const execFileAsync = promisify(execFile);

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What finding and installing msiextract needs from the machine; injectable for tests. */
export interface System {
  path: string | undefined;
  uid: number | undefined;
  run(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CommandResult>;
}

async function runCommand(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: env ? { ...process.env, ...env } : process.env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string; code?: string | number };
    if (e.code === 'ENOENT') return { code: 127, stdout: '', stderr: `${command}: not found` };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? e.message,
    };
  }
}

export const realSystem: System = {
  get path() {
    return process.env.PATH;
  },
  uid: process.getuid?.(),
  run: runCommand,
};

/** The program's full path on PATH, or undefined. */
export function which(program: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * msiextract's path, installing msitools with apt-get when it is missing and the runner allows it
 * (root, or sudo without a password); otherwise one line saying what to install.
 */
export async function ensureMsiextract(logger: Logger, system: System = realSystem): Promise<string> {
  const found = which('msiextract', system.path);
  if (found) return found;
  const aptGet = which('apt-get', system.path);
  let prefix: string[] | undefined;
  if (aptGet && system.uid === 0) prefix = [];
  else if (aptGet && which('sudo', system.path) && (await system.run('sudo', ['-n', 'true'])).code === 0) {
    prefix = ['sudo', '-n'];
  }
  if (!prefix) {
    throw new ActionError(
      `tkinter: true needs msiextract (Debian/Ubuntu package msitools), which is not installed and cannot be ` +
        `installed here (${aptGet ? 'not root and no password-less sudo' : 'no apt-get'}); install msitools in the job image`,
    );
  }
  const install = async (...args: string[]) => {
    const [command, ...rest] = [...prefix, 'apt-get', ...args];
    return system.run(command, rest, { DEBIAN_FRONTEND: 'noninteractive' });
  };
  logger.info('msiextract is missing: installing msitools with apt-get');
  let result = await install('install', '-y', '-q', '--no-install-recommends', 'msitools');
  if (result.code !== 0) {
    // A fresh image often has no package lists yet.
    await install('update', '-q');
    result = await install('install', '-y', '-q', '--no-install-recommends', 'msitools');
  }
  const installed = which('msiextract', system.path);
  if (result.code !== 0 || !installed) {
    const why = result.stderr.trim().split('\n').pop() ?? '';
    throw new ActionError(`Installing msitools for msiextract failed${why ? `: ${why}` : ''}`);
  }
  return installed;
}

/**
 * Extracts an MSI into `destination` with msiextract, after listing it: a package whose file list holds
 * a path that would land outside the folder is refused before anything is written.
 */
export async function extractMsi(
  msiextract: string,
  msi: string,
  destination: string,
  system: System = realSystem,
): Promise<string[]> {
  const listed = await system.run(msiextract, ['--list', msi]);
  if (listed.code !== 0) {
    throw new ActionError(`msiextract cannot read ${msi}: ${listed.stderr.trim().split('\n')[0]}`);
  }
  const files = listed.stdout.split('\n').filter((line) => line.trim() !== '');
  for (const file of files) {
    const reason = unsafeEntryName(file);
    if (reason)
      throw new ActionError(`${msi} holds an unsafe path '${file}' (${reason}); nothing was extracted`);
  }
  const extracted = await system.run(msiextract, ['-C', destination, msi]);
  if (extracted.code !== 0) {
    throw new ActionError(`msiextract failed on ${msi}: ${extracted.stderr.trim().split('\n')[0]}`);
  }
  return files;
}
