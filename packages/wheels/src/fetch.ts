import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { HttpClient, redactUrl, secretsOfAuthorization } from '@forge-actions/http';
import { sha256File } from '@forge-actions/system';
import { authorizationFor, type Indexes } from './indexes.js';
import type { Candidate, Fetched } from './types.js';

export interface FetchOptions {
  indexes: Indexes;
  logger: Logger;
  secrets: string[];
  /** Downloads at once (default 4). */
  concurrency?: number;
  retries?: number;
  /** What relative `path` entries are relative to (the lock file's folder, PEP 751). */
  baseDir: string;
}

/**
 * Where a file with this sha256 is kept in the runner's tool cache (undefined without one): by content,
 * so any index, job or version of this suite that fetched the same bytes finds them.
 */
function cachedAt(sha256: string | undefined): string | undefined {
  const root = process.env.RUNNER_TOOL_CACHE;
  return root && sha256 && /^[0-9a-f]{64}$/.test(sha256)
    ? join(root, 'forge-actions-wheels', sha256.slice(0, 2), sha256)
    : undefined;
}

/** Copies a cached file to `target` when it is there and still has its sha256 (the cache is shared). */
async function fromCache(cached: string, sha256: string, target: string): Promise<boolean> {
  try {
    await copyFile(cached, target);
  } catch {
    return false;
  }
  if ((await sha256File(target)) === sha256) return true;
  await rm(cached, { force: true });
  return false;
}

/** Keeps a verified download in the tool cache; a copy renamed into place, so parallel jobs never see half a file. */
async function keep(path: string, cached: string): Promise<void> {
  try {
    await mkdir(dirname(cached), { recursive: true });
    const stage = await mkdtemp(`${cached}.partial-`);
    await copyFile(path, join(stage, 'file'));
    await rename(join(stage, 'file'), cached);
    await rm(stage, { recursive: true, force: true });
  } catch {
    // A cache that cannot be written only costs the next run a download.
  }
}

/**
 * Downloads the files uv chose, streamed to disk, each checked against the sha256 the index published,
 * or takes them from the runner's tool cache by that sha256 (a warm run downloads nothing). Files on an
 * index's origin get that index's credentials.
 */
export async function fetchCandidates(
  candidates: Candidate[],
  dest: string,
  options: FetchOptions,
): Promise<Fetched[]> {
  const headersFor = (url: string) => authorizationFor(url, options.indexes);
  const secrets = [
    ...options.secrets,
    ...candidates.flatMap((c) => (c.url ? secretsOfAuthorization(headersFor(c.url).authorization) : [])),
  ];
  const http = new HttpClient({ retries: options.retries ?? 4, logger: options.logger, secrets });
  const results: Fetched[] = new Array(candidates.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let i = next++; i < candidates.length && !failed; i = next++) {
      const c = candidates[i];
      // A file name from the lock never leads out of the folder.
      const target = join(dest, basename(c.file));
      const cached = c.url ? cachedAt(c.sha256) : undefined;
      if (cached && c.sha256 && (await fromCache(cached, c.sha256, target))) {
        options.logger.info(`${c.file}: from the tool cache (sha256 ${c.sha256})`);
      } else if (c.url) {
        let got: { bytes: number; sha256?: string };
        try {
          got = await http.download(c.url, target, { headers: headersFor(c.url), sha256: true });
        } catch (error) {
          throw new ActionError(`Downloading ${c.file} failed: ${(error as Error).message}`);
        }
        if (c.sha256 && got.sha256 !== c.sha256) {
          throw new ActionError(
            `${c.file} from ${redactUrl(c.url)} has sha256 ${got.sha256}, not the ${c.sha256} the index published`,
          );
        }
        options.logger.info(`Downloaded ${c.file} (${got.bytes} bytes)`);
        if (cached) await keep(target, cached);
      } else if (c.path) {
        await copyFile(resolve(options.baseDir, c.path), target);
        if (c.sha256 && (await sha256File(target)) !== c.sha256) {
          throw new ActionError(`${c.path} does not have the sha256 ${c.sha256} the lock names`);
        }
      } else {
        throw new ActionError(`uv's resolution names ${c.file} without a URL or path`);
      }
      results[i] = { name: c.name, version: c.version, kind: c.kind, path: target };
    }
  };
  const guarded = () =>
    worker().catch((error: unknown) => {
      failed = true;
      throw error;
    });
  // Every worker ends (the others stop taking files after a failure) before the client is closed.
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(options.concurrency ?? 4, candidates.length) }, guarded),
  );
  http.dispose();
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}
