import { copyFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
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
 * Downloads the files uv chose, streamed to disk, each checked against the sha256 the index published.
 * Files on an index's origin get that index's credentials.
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
      if (c.url) {
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
