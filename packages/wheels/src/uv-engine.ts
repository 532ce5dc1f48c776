import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';
import { type CommandResult, reasonOf, run } from './command.js';
import { indexEnv } from './indexes.js';
import { candidatesFromLock } from './pylock.js';
import { supportedTags } from './target.js';
import type { Candidate, EngineOptions, Sources } from './types.js';
import type { Uv } from './uv.js';

/**
 * Resolves with `uv pip compile --python-platform <windows triple> --python-version X.Y`, so markers
 * are evaluated for the target, and reads the result as a PEP 751 lock (file URLs and hashes included).
 * Wheels only first; with the sdist fallback allowed and no all-wheel solution, again with sdists, so
 * a package is built from source only when no version of it has a wheel that fits.
 */
export async function resolveWithUv(uv: Uv, sources: Sources, options: EngineOptions): Promise<Candidate[]> {
  const { target, logger, secrets } = options;
  const lock = join(options.tempDir, 'pylock.toml');
  const args = [
    'pip',
    'compile',
    ...sources.requirementFiles,
    ...(sources.constraintFile ? ['--constraint', sources.constraintFile] : []),
    '--python-platform',
    target.uvPlatform,
    '--python-version',
    target.versionArg,
    '--format',
    'pylock.toml',
    '--output-file',
    lock,
    '--no-header',
    '--quiet',
    '--color',
    'never',
    ...pythonArgs(options),
  ];
  const env = indexEnv(options.indexes, 'uv');
  const compile = (extra: string[]): Promise<CommandResult> =>
    run(uv.path, [...args, ...extra], { logger, secrets, env });

  let result = await compile(['--only-binary', ':all:']);
  if (result.code !== 0 && options.allowSdist) {
    logger.info(
      `Resolving with wheels only failed (${reasonOf(result)}); resolving again with source distributions allowed`,
    );
    result = await compile([]);
  }
  if (result.code !== 0) {
    throw new ActionError(
      `Resolving the requirements for ${target.label} with uv failed: ${reasonOf(result)}`,
    );
  }
  const candidates = candidatesFromLock(await readFile(lock, 'utf8'), supportedTags(target), target.label);
  logger.info(`uv chose ${candidates.map((c) => c.file).join(', ') || 'nothing'}`);
  return candidates;
}

/**
 * uv builds sdists (for their metadata, or the fallback) with the runner's Python, named explicitly:
 * left alone it looks for a Python of the target's version and, without one, downloads it.
 */
function pythonArgs(options: EngineOptions): string[] {
  return options.python ? ['--python', options.python.executable, '--no-python-downloads'] : [];
}

/** Builds a wheel from an sdist on the runner with `uv build`; the caller checks that it is pure Python. */
export async function buildWithUv(
  uv: Uv,
  sdist: string,
  outDir: string,
  options: EngineOptions,
): Promise<CommandResult> {
  return run(uv.path, ['build', '--wheel', '--out-dir', outDir, '--color', 'never', sdist], {
    logger: options.logger,
    secrets: options.secrets,
    env: indexEnv(options.indexes, 'uv'),
  });
}
