import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import type { Asset, ForgeClient, Release } from '@forge-actions/forge';
import { sha256File } from '@forge-actions/system';
import pLimit from 'p-limit';
import { CHECKSUMS_NAME, formatChecksums } from './checksums.js';
import { ExistingDigests } from './existing-digests.js';
import { targetOfPartial } from './partial-names.js';
import { preflight } from './preflight.js';
import { type FileToPut, putAsset } from './put-asset.js';
import type { LocalFile } from './select-files.js';

export type AssetAction = 'uploaded' | 'replaced' | 'skipped';

export interface AssetResult {
  name: string;
  id: number;
  size: number;
  sha256: string;
  url: string;
  action: AssetAction;
}

export interface FileFailure {
  name: string;
  error: string;
}

export interface UploadOptions {
  files: LocalFile[];
  onDuplicate: 'replace' | 'skip' | 'fail';
  skipIdentical: boolean;
  concurrency: number;
  checksums: 'none' | 'sha256';
  contentTypeFor: (name: string) => string;
  tempDir: string;
  logger: Logger;
  progress?: (name: string) => (bytes: number, total: number) => void;
}

export interface UploadReport {
  results: AssetResult[];
  failures: FileFailure[];
  /** Leftovers of earlier runs that were removed (temporary names, broken `starter` uploads). */
  cleaned: string[];
}

interface Job {
  release: Release;
  client: ForgeClient;
  options: UploadOptions;
  digests: ExistingDigests;
  existing: Asset[];
}

/**
 * Starts hashing a file at once. When no asset of its name exists the upload starts at the same time
 * and both read the file together, so a new file costs one pass over the disk, not two.
 */
function hashing(path: string): Promise<string> {
  const sha256 = sha256File(path);
  sha256.catch(() => undefined); // awaited later; an upload that failed first must not leave it unhandled
  return sha256;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Makes each file exist exactly once on the release with the local bytes. Leftovers of killed runs
 * for these names go first; then each file is skipped (same size and sha256 already there),
 * uploaded, or replaced without a moment where its name is missing; a file that fails does not stop
 * the others. Last, the release is listed again to check every name is there once with its bytes.
 */
export async function uploadAssets(
  client: ForgeClient,
  release: Release,
  options: UploadOptions,
): Promise<UploadReport> {
  const { logger } = options;
  let existing = await client.listAssets(release.id);
  const names = new Set(options.files.map((file) => file.name));
  if (options.checksums === 'sha256') names.add(CHECKSUMS_NAME);
  const { warnings } = preflight(
    options.files,
    client.flavour,
    existing.filter((asset) => !names.has(asset.name)).map((asset) => asset.name),
  );
  for (const warning of warnings) logger.warning(warning);

  const cleaned = await removeLeftovers(client, release, existing, names);
  if (cleaned.length > 0) existing = existing.filter((asset) => !cleaned.includes(asset.name));
  const job: Job = {
    release,
    client,
    options,
    existing,
    digests: new ExistingDigests(client, existing, options.tempDir),
  };

  const limit = pLimit(options.concurrency);
  const results: AssetResult[] = [];
  const failures: FileFailure[] = [];
  await Promise.all(
    options.files.map((file) =>
      limit(async () => {
        try {
          results.push(
            await placeFile(job, {
              ...file,
              sha256: hashing(file.path),
              contentType: options.contentTypeFor(file.name),
            }),
          );
        } catch (error) {
          logger.warning(`${file.name}: ${message(error)}`);
          failures.push({ name: file.name, error: message(error) });
        }
      }),
    ),
  );

  if (options.checksums === 'sha256' && failures.length === 0) {
    results.push(await placeChecksums(job, results));
  }
  const order = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  results.sort(order);
  failures.sort(order);
  await verifyOnRelease(client, release, results);
  return { results, failures, cleaned };
}

async function removeLeftovers(
  client: ForgeClient,
  release: Release,
  assets: Asset[],
  names: Set<string>,
): Promise<string[]> {
  const leftovers = assets.filter((asset) => {
    const target = targetOfPartial(asset.name);
    if (target !== undefined) return names.has(target);
    return asset.state === 'starter' && names.has(asset.name);
  });
  for (const asset of leftovers) await client.deleteAsset(release.id, asset.id);
  return leftovers.map((asset) => asset.name);
}

async function placeFile(job: Job, file: FileToPut): Promise<AssetResult> {
  const { client, release, options } = job;
  const { logger } = options;
  const previous = job.existing.filter((asset) => asset.name === file.name);
  const result = async (asset: Asset, action: AssetAction): Promise<AssetResult> => ({
    name: file.name,
    id: asset.id,
    size: asset.size,
    sha256: await file.sha256,
    url: asset.downloadUrl,
    action,
  });

  // Gitea duplicates cannot be told apart by SHA256SUMS: they are always replaced by one fresh copy.
  if (options.skipIdentical && previous.length === 1 && previous[0].size === file.size) {
    if ((await job.digests.sha256Of(previous[0])) === (await file.sha256)) {
      logger.info(`${file.name}: already on the release with the same bytes, skipped`);
      return result(previous[0], 'skipped');
    }
  }
  if (previous.length > 0 && options.onDuplicate === 'skip') {
    logger.info(`${file.name}: an asset of that name exists and on-duplicate is 'skip'`);
    return result(previous[0], 'skipped');
  }
  if (previous.length > 0 && options.onDuplicate === 'fail') {
    throw new ActionError(`the release already has a different ${file.name} and on-duplicate is 'fail'`);
  }
  const asset = await putAsset(
    { client, release, logger, onProgress: options.progress?.(file.name) },
    file,
    previous,
  );
  const action: AssetAction = previous.length > 0 ? 'replaced' : 'uploaded';
  logger.info(
    `${file.name}: ${action}${previous.length > 1 ? ` (${previous.length} older copies removed)` : ''}`,
  );
  return result(asset, action);
}

/**
 * SHA256SUMS lists every asset on the release: this run's files, and the others with the digest the
 * forge or the previous SHA256SUMS gives them.
 */
async function placeChecksums(job: Job, placed: AssetResult[]): Promise<AssetResult> {
  const entries = new Map(placed.map((result) => [result.name, result.sha256]));
  for (const asset of job.existing) {
    if (entries.has(asset.name) || asset.name === CHECKSUMS_NAME || targetOfPartial(asset.name)) continue;
    const sha256 = await job.digests.sha256Of(asset);
    if (sha256) entries.set(asset.name, sha256);
  }
  const path = join(job.options.tempDir, CHECKSUMS_NAME);
  await writeFile(path, formatChecksums([...entries].map(([name, sha256]) => ({ name, sha256 }))));
  const { size } = await stat(path);
  return placeFile(job, {
    name: CHECKSUMS_NAME,
    path,
    size,
    sha256: hashing(path),
    contentType: 'text/plain',
  });
}

async function verifyOnRelease(client: ForgeClient, release: Release, results: AssetResult[]): Promise<void> {
  const assets = await client.listAssets(release.id);
  for (const result of results) {
    const found = assets.filter((asset) => asset.name === result.name);
    if (
      found.length !== 1 ||
      found[0].size !== result.size ||
      (found[0].sha256 && found[0].sha256 !== result.sha256)
    ) {
      throw new ActionError(
        `After the upload the release holds ${found.length} asset(s) named ${result.name}` +
          `${found.length === 1 ? ` of ${found[0].size} bytes` : ''}, expected one of ${result.size} bytes; another job may be uploading the same name.`,
      );
    }
  }
}
