import type { Phase } from '@forge-actions/action-kit/contract';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import type { Asset, ForgeClient, Release } from '@forge-actions/forge';
import { sha256File } from '@forge-actions/system';
import pLimit from 'p-limit';
import { CHECKSUMS_NAME } from './checksums.js';
import { type ExistingDigests, KnownDigests, unlessGone } from './existing-digests.js';
import { attachmentsOf, externalLinksOf, externalLinksToReplace } from './external-links.js';
import { refreshGeneratedSection } from './generated-section.js';
import { immutableReleaseError } from './immutable.js';
import { targetOfPartial } from './partial-names.js';
import { preflight } from './preflight.js';
import { type FileToPut, putAsset, SupersededError } from './put-asset.js';
import { newestByName, reconcileNames } from './reconcile-names.js';
import type { LocalFile } from './select-files.js';
import { type ChecksumsContext, checksumsFor, settleChecksums } from './settle-checksums.js';

/** `external`: a Forgejo external link on the release, left alone (finalize-release reports them). */
type AssetAction = 'uploaded' | 'replaced' | 'skipped' | 'external';

export interface AssetResult {
  name: string;
  id: number;
  size: number;
  sha256: string;
  url: string;
  action: AssetAction;
}

interface FileFailure {
  name: string;
  error: string;
}

export interface UploadOptions {
  files: LocalFile[];
  onDuplicate: 'replace' | 'skip' | 'fail';
  skipIdentical: boolean;
  concurrency: number;
  checksums: 'none' | 'sha256';
  /** Let a file replace a Forgejo external link of its name (else such a file fails the run). */
  replaceExternal: boolean;
  /** Refresh the downloads table in the release body's generated section. */
  updateBody: boolean;
  contentTypeFor: (name: string) => string;
  tempDir: string;
  logger: Logger;
  progress?: (name: string) => (bytes: number, total: number) => void;
  phase?: Phase;
}

export interface UploadReport {
  results: AssetResult[];
  failures: FileFailure[];
  /** Leftovers of earlier runs that were removed (temporary names, broken `starter` uploads). */
  cleaned: string[];
  /** Forgejo external links on the release that were left alone. */
  external: Asset[];
}

interface Job {
  release: Release;
  client: ForgeClient;
  options: UploadOptions;
  /** The assets on the release when this run started. */
  existing: Asset[];
  /** Digests of `existing`, each looked up once. */
  digests: ExistingDigests;
  known: KnownDigests;
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
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const direct: Phase = (_title, run) => run();

/**
 * Makes each file exist exactly once on the release with the local bytes, however many jobs upload to
 * the release at once. Leftovers of killed runs for these names go first; then each file is skipped
 * (same size and sha256 already there), uploaded, or replaced without a moment where its name is
 * missing; a file that fails does not stop the others. SHA256SUMS and the downloads table converge
 * on what the release holds; last, the release is read again and this run's names are settled (the
 * newest upload of a name keeps it), so no result names an asset that is gone.
 */
export async function uploadAssets(
  client: ForgeClient,
  release: Release,
  options: UploadOptions,
): Promise<UploadReport> {
  const phase = options.phase ?? direct;
  const { logger } = options;
  const files: FileToPut[] = options.files.map((file) => ({
    ...file,
    sha256: hashing(file.path),
    contentType: options.contentTypeFor(file.name),
  }));
  const fileNames = new Set(files.map((file) => file.name));
  const names = new Set(fileNames);
  if (options.checksums === 'sha256') names.add(CHECKSUMS_NAME);

  const listed = await client.listAssets(release);
  // A clash with an external link fails here, before anything changes.
  const replacing = externalLinksToReplace(listed, fileNames, {
    checksums: options.checksums === 'sha256',
    replaceExternal: options.replaceExternal,
  });
  const external = externalLinksOf(listed).filter((link) => !replacing.includes(link));
  const { warnings } = preflight(
    options.files,
    client.api,
    listed.filter((asset) => !names.has(asset.name)).map((asset) => asset.name),
  );
  for (const warning of warnings) logger.warning(warning);
  // An immutable release cannot lose its leftovers either; anywhere else they go first.
  const attachments = attachmentsOf(listed);
  const cleaned = release.immutable ? [] : await removeLeftovers(client, release, attachments, names);
  const existing = [...attachments.filter((asset) => !cleaned.includes(asset)), ...replacing];
  const known = KnownDigests.forRelease(client, release, options.tempDir, logger);
  const job: Job = { release, client, options, existing, digests: known.of(existing), known };

  if (release.immutable) {
    const results = await phase(`Compare with immutable release ${release.tagName}`, () =>
      compareWithImmutable(job, files),
    );
    return { results: results.sort(byName), failures: [], cleaned: [], external };
  }

  const results: AssetResult[] = [];
  const failures: FileFailure[] = [];
  await phase(`Upload ${files.length} file(s) to release ${release.id} (${release.tagName})`, async () => {
    const limit = pLimit(options.concurrency);
    await Promise.all(
      files.map((file) =>
        limit(async () => {
          try {
            results.push(await placeFile(job, file));
          } catch (error) {
            logger.warning(`${file.name}: ${message(error)}`);
            failures.push({ name: file.name, error: message(error) });
          }
        }),
      ),
    );
  });

  const sums: ChecksumsContext = { client, release, logger, known };
  const complete = failures.length === 0;
  const first =
    complete && options.checksums === 'sha256'
      ? await phase('SHA256SUMS', () => settleChecksums(sums))
      : undefined;
  if (options.updateBody) {
    // A run that changed nothing hands over its first listing: no second read of the assets.
    const unchanged = cleaned.length === 0 && results.every((result) => result.action === 'skipped');
    await phase('Release body (downloads table, digest record)', () =>
      refreshGeneratedSection(client, release, known, logger, {
        table: complete,
        listing: unchanged && !first ? listed : undefined,
      }),
    );
  }
  await phase('Check the release', async () => {
    // Other jobs may have changed the release meanwhile: SHA256SUMS is settled once more, and reported
    // as it is on the release now, with what this run did to it.
    const final = first && (await settleChecksums(sums));
    const listing = final?.listing ?? attachmentsOf(await client.listAssets(release));
    await settleNames(job, results, failures, listing);
    if (first && final) {
      results.push({
        name: CHECKSUMS_NAME,
        id: final.asset.id,
        size: final.asset.size,
        sha256: final.sha256,
        url: final.asset.downloadUrl,
        action: first.action === 'skipped' ? final.action : first.action,
      });
    }
  });
  results.sort(byName);
  failures.sort(byName);
  return { results, failures, cleaned: cleaned.map((asset) => asset.name), external };
}

async function removeLeftovers(
  client: ForgeClient,
  release: Release,
  assets: Asset[],
  names: Set<string>,
): Promise<Asset[]> {
  const leftovers = assets.filter((asset) => {
    const target = targetOfPartial(asset.name);
    if (target !== undefined) return names.has(target);
    return asset.state === 'starter' && names.has(asset.name);
  });
  for (const asset of leftovers) await client.deleteAsset(release.id, asset.id);
  return leftovers;
}

function resultFor(file: FileToPut, asset: Asset, sha256: string, action: AssetAction): AssetResult {
  return { name: file.name, id: asset.id, size: asset.size, sha256, url: asset.downloadUrl, action };
}

async function placeFile(job: Job, file: FileToPut): Promise<AssetResult> {
  const { client, release, options } = job;
  const { logger } = options;
  // An external link of the name is in `previous` only when the user asked for it to be replaced.
  const previous = job.existing.filter((asset) => asset.name === file.name);
  const files = attachmentsOf(previous);

  // Gitea duplicates cannot be told apart by SHA256SUMS: they are always replaced by one fresh copy.
  if (options.skipIdentical && previous.length === 1 && files.length === 1 && files[0].size === file.size) {
    const sha256 = await file.sha256;
    if ((await unlessGone(job.digests.sha256Of(files[0]))) === sha256) {
      logger.info(`${file.name}: already on the release with the same bytes, skipped`);
      return resultFor(file, files[0], sha256, 'skipped');
    }
  }
  if (files.length > 0 && options.onDuplicate === 'skip') {
    logger.info(`${file.name}: an asset of that name exists and on-duplicate is 'skip'`);
    // Of Gitea duplicates the newest stays (the final check removes the others), so that is the one kept.
    const kept = newestByName(files).get(file.name) as Asset;
    return resultFor(file, kept, await file.sha256, 'skipped');
  }
  if (files.length > 0 && options.onDuplicate === 'fail') {
    throw new ActionError(`the release already has a different ${file.name} and on-duplicate is 'fail'`);
  }
  const action: AssetAction = previous.length > 0 ? 'replaced' : 'uploaded';
  const put = { client, release, logger, onProgress: options.progress?.(file.name) };
  try {
    const asset = await putAsset(put, file, previous);
    job.known.set(asset.id, await file.sha256);
    logger.info(
      `${file.name}: ${action}${previous.length > 1 ? ` (${previous.length} older copies removed)` : ''}`,
    );
    return resultFor(file, asset, await file.sha256, action);
  } catch (error) {
    if (!(error instanceof SupersededError)) throw error;
    const kept = await keptIfIdentical(job, file, await file.sha256, error.winner);
    if (!kept) throw error;
    return resultFor(file, kept, await file.sha256, action);
  }
}

/**
 * The asset another job's newer upload left on the name, when it holds this file's very bytes (by its
 * digest or its downloaded bytes: a SHA256SUMS entry names the file, not that upload).
 */
async function keptIfIdentical(
  job: Job,
  file: { size: number },
  sha256: string,
  winner: Asset | undefined,
): Promise<Asset | undefined> {
  if (!winner || winner.size !== file.size) return undefined;
  const digests = job.known.of([]);
  return (await unlessGone(digests.sha256Of(winner))) === sha256 ? winner : undefined;
}

/**
 * Settles this run's names on the final listing (older duplicates deleted) and drops any result whose
 * asset another job's newer upload replaced: it is reported as that job's, or as a failure.
 */
async function settleNames(
  job: Job,
  results: AssetResult[],
  failures: FileFailure[],
  listing: Asset[],
): Promise<void> {
  const lost = await reconcileNames(job.client, job.release, results, listing);
  for (const [name, winner] of lost) {
    const index = results.findIndex((result) => result.name === name);
    const mine = results[index];
    const kept = await keptIfIdentical(job, mine, mine.sha256, winner);
    if (kept) {
      results[index] = { ...mine, id: kept.id, url: kept.downloadUrl };
      continue;
    }
    results.splice(index, 1);
    const error = new SupersededError(name, winner);
    job.options.logger.warning(`${name}: ${error.message}`);
    failures.push({ name, error: error.message });
  }
}

/**
 * A published immutable release (GitHub) cannot change: a run is green only when the release already
 * holds every file with this run's bytes (and, when asked, the SHA256SUMS this run would write).
 */
async function compareWithImmutable(job: Job, files: FileToPut[]): Promise<AssetResult[]> {
  const { options, release } = job;
  const newest = newestByName(job.existing);
  const results: AssetResult[] = [];
  const differing: string[] = [];
  for (const file of files) {
    const held = newest.get(file.name);
    const sha256 = await file.sha256;
    if (held && held.size === file.size && (await job.digests.sha256Of(held)) === sha256) {
      results.push(resultFor(file, held, sha256, 'skipped'));
    } else {
      differing.push(`${file.name} (${held ? 'different bytes' : 'not on the release'})`);
    }
  }
  if (options.checksums === 'sha256') {
    const wanted = await checksumsFor(job.known, job.existing);
    if (wanted.upToDate && wanted.current) {
      results.push({
        name: CHECKSUMS_NAME,
        id: wanted.current.id,
        size: wanted.current.size,
        sha256: wanted.sha256,
        url: wanted.current.downloadUrl,
        action: 'skipped',
      });
    } else {
      differing.push(`${CHECKSUMS_NAME} (${wanted.current ? 'lists other files' : 'not on the release'})`);
    }
  }
  if (differing.length > 0) throw immutableReleaseError(release.tagName, differing);
  options.logger.info(
    `Release ${release.tagName} is immutable and already holds these files: nothing to do.`,
  );
  return results;
}
