import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tc from '@actions/tool-cache';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { which } from '@forge-actions/system';
import { reasonOf, run } from './command.js';
import type { Python } from './python.js';

/** The oldest uv whose `pip compile --format pylock.toml` and `build <sdist>` this action was checked with. */
const UV_MIN_VERSION = '0.6.17';
const UV_TOOL = 'uv';

export interface Uv {
  path: string;
  version: string;
  /** Where it came from, for the log and the summary. */
  source: 'PATH' | 'tool cache' | 'installed';
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Where `pip install --target` put the uv binary (bin/ on POSIX; Windows runners get uv.exe). */
function uvBinary(root: string): string {
  const candidates = [join(root, 'bin', 'uv'), join(root, 'bin', 'uv.exe'), join(root, 'Scripts', 'uv.exe')];
  return candidates.find((path) => existsSync(path)) ?? candidates[0];
}

async function uvVersion(path: string): Promise<string | undefined> {
  const result = await run(path, ['--version']);
  return result.code === 0 ? /^uv (\d+\.\d+\.\d+)/.exec(result.stdout.trim())?.[1] : undefined;
}

export interface UvContext {
  tempDir: string;
  logger: Logger;
}

/**
 * uv to resolve with: the one on PATH when it is recent enough, else `version` from the tool cache, else
 * `version` installed with the runner's pip (uv is the PyPI package `uv`, one static binary) into the
 * tool cache, so later jobs on the runner find it. Fails with one line when none of that works.
 */
export async function ensureUv(version: string, python: Python | undefined, context: UvContext): Promise<Uv> {
  const { logger } = context;
  const onPath = which('uv');
  if (onPath) {
    const found = await uvVersion(onPath);
    if (found && compareVersions(found, UV_MIN_VERSION) >= 0)
      return { path: onPath, version: found, source: 'PATH' };
    logger.info(
      `${onPath} is uv ${found ?? '(unknown version)'}, older than ${UV_MIN_VERSION}: not using it`,
    );
  }
  const useCache = Boolean(process.env.RUNNER_TOOL_CACHE);
  if (useCache) {
    const cached = tc.find(UV_TOOL, version);
    if (cached) {
      const path = uvBinary(cached);
      if ((await uvVersion(path)) === version) return { path, version, source: 'tool cache' };
    }
  }
  if (!python) {
    throw new ActionError(
      `uv is not on PATH and there is no python (python3 or python) to install uv ${version} with`,
    );
  }
  const stage = await mkdtemp(join(context.tempDir, 'uv-'));
  logger.info(`Installing uv ${version} with ${python.executable} -m pip`);
  const result = await run(
    python.executable,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--quiet',
      '--no-warn-script-location',
      '--target',
      stage,
      `uv==${version}`,
    ],
    { logger },
  );
  if (result.code !== 0) {
    throw new ActionError(`Installing uv ${version} with pip failed: ${reasonOf(result)}`);
  }
  let root = stage;
  if (useCache) {
    try {
      root = await tc.cacheDir(stage, UV_TOOL, version);
      await rm(stage, { recursive: true, force: true });
    } catch (error) {
      logger.warning(
        `Could not write uv to the tool cache (${(error as Error).message}); using it from ${stage}`,
      );
    }
  }
  const path = uvBinary(root);
  const got = await uvVersion(path);
  if (got !== version) throw new ActionError(`The uv installed from PyPI does not run (${path})`);
  return { path, version, source: 'installed' };
}
