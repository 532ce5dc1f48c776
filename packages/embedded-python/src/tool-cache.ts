import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tc from '@actions/tool-cache';
import type { Logger } from '@forge-actions/action-kit/errors';

/** Tool names in RUNNER_TOOL_CACHE: our own, never setup-python's `Python`, whose layout differs. */
export const PYTHON_TOOL = 'python-embed';
export const TKINTER_TOOL = 'python-embed-tkinter';

/** Each cache entry holds the payload in `payload/` and what it was made from beside it. */
export const PAYLOAD = 'payload';
const ORIGIN = 'origin.json';

/** Where a payload came from: the URLs and the sha256 of each download. */
export type Origin = Record<string, { url: string; sha256: string; bytes: number }>;

export interface CacheKey {
  tool: string;
  /** Valid semver (tool-cache's folder name). */
  version: string;
  arch: string;
}

export interface CachedPayload {
  dir: string;
  origin: Origin | undefined;
}

/** The cached payload for the key, or undefined; a cache that cannot be used (no RUNNER_TOOL_CACHE) is a miss. */
export function findCached(key: CacheKey, logger: Logger): CachedPayload | undefined {
  if (!process.env.RUNNER_TOOL_CACHE) {
    logger.info('RUNNER_TOOL_CACHE is not set: not using the tool cache');
    return undefined;
  }
  const root = tc.find(key.tool, key.version, key.arch);
  if (!root) return undefined;
  let origin: Origin | undefined;
  try {
    origin = JSON.parse(readFileSync(join(root, ORIGIN), 'utf8')) as Origin;
  } catch {
    origin = undefined;
  }
  return { dir: join(root, PAYLOAD), origin };
}

/**
 * Copies a staged entry (`stage/payload/` plus its origin) into the tool cache. A cache that cannot be
 * written is not fatal: the run goes on and the next one downloads again.
 */
export async function storeCached(
  stage: string,
  origin: Origin,
  key: CacheKey,
  logger: Logger,
): Promise<void> {
  if (!process.env.RUNNER_TOOL_CACHE) return;
  await writeFile(join(stage, ORIGIN), `${JSON.stringify(origin, null, 2)}\n`);
  try {
    const root = await tc.cacheDir(stage, key.tool, key.version, key.arch);
    logger.info(`Cached as ${key.tool} ${key.version} ${key.arch}: ${root}`);
  } catch (error) {
    logger.warning(
      `Could not write the tool cache (${(error as Error).message}); the next run downloads again`,
    );
  }
}
