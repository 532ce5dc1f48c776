import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import type { Asset } from '@forge-actions/forge';
import { CHECKSUMS_NAME, formatChecksums } from './checksums.js';
import { type KnownDigests, unlessGone } from './existing-digests.js';
import { attachmentsOf } from './external-links.js';
import { targetOfPartial } from './partial-names.js';
import { type PutContext, putAsset, SupersededError } from './put-asset.js';
import { newestByName } from './reconcile-names.js';

export interface ChecksumsContext extends PutContext {
  known: KnownDigests;
}

/** What SHA256SUMS should say for one listing of the release. */
export interface ChecksumsText {
  text: string;
  sha256: string;
  /**
   * The SHA256SUMS copy that keeps the name: the oldest copy holding exactly `text`, so a file another
   * job already reported stays when this job wrote the same; else the newest copy, if any.
   */
  current?: Asset;
  /** Whether `current` holds exactly `text`. */
  upToDate: boolean;
  /** The assets (ids) `text` lists. */
  listed: number[];
}

export interface SettledChecksums {
  asset: Asset;
  sha256: string;
  /** What this run did: `skipped` when the right file was already there. */
  action: 'uploaded' | 'replaced' | 'skipped';
  /** The listing that showed it settled (the release's files as this run leaves them; no external links). */
  listing: Asset[];
}

/** Enough rounds for many parallel jobs finishing together; each round is one listing. */
const ROUNDS = 12;

/** The assets SHA256SUMS lists: every one but itself, temporary and broken uploads (the newest copy of a name). */
function listedAssets(listing: readonly Asset[]): Asset[] {
  return [...newestByName(listing).values()].filter(
    (asset) =>
      asset.name !== CHECKSUMS_NAME && targetOfPartial(asset.name) === undefined && asset.state !== 'starter',
  );
}

/** SHA256SUMS as it should be for this listing, and whether the release already holds exactly that. */
export async function checksumsFor(known: KnownDigests, listing: Asset[]): Promise<ChecksumsText> {
  const digests = known.of(listing);
  const assets = listedAssets(listing);
  const listed = assets.map((asset) => asset.id);
  const entries = await Promise.all(
    assets.map(async (asset) => {
      const sha256 = await digests.sha256Of(asset);
      if (!sha256)
        throw new ActionError(`Could not learn the sha256 of ${printable(asset.name)} on the release.`);
      return { name: asset.name, sha256 };
    }),
  );
  const text = formatChecksums(entries);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const copies = listing.filter((asset) => asset.name === CHECKSUMS_NAME).sort((a, b) => a.id - b.id);
  for (const copy of copies) {
    if (copy.size === Buffer.byteLength(text) && (await digests.sha256Of(copy)) === sha256) {
      return { text, sha256, current: copy, upToDate: true, listed };
    }
  }
  return { text, sha256, current: copies.at(-1), upToDate: false, listed };
}

/**
 * Makes the release hold exactly one SHA256SUMS that lists every other asset with its digest, however
 * many jobs do the same at once: read the assets, work out the file, and when the newest SHA256SUMS
 * says exactly that, delete any other copy; else write it, replacing only the copies that listing
 * showed; repeat until a listing shows it settled. Every job keeps the same copy, so they agree; the last
 * job to finish sees the final set of assets, so the file it leaves lists them all.
 */
export async function settleChecksums(ctx: ChecksumsContext): Promise<SettledChecksums> {
  const { client, release, logger } = ctx;
  let wrote = false;
  let existed: boolean | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    // External links are the user's: SHA256SUMS neither lists nor replaces them.
    const listing = attachmentsOf(await client.listAssets(release));
    existed ??= listing.some((asset) => asset.name === CHECKSUMS_NAME);
    const wanted = await unlessGone(checksumsFor(ctx.known, listing));
    // Another job changed the release while this one read it: read it again.
    if (!wanted) continue;
    if (wanted.upToDate && wanted.current) {
      // Other copies of the name (Gitea keeps duplicates) go. Temporary uploads of it are other jobs'
      // work in flight: deleting one by id could delete it just after its job renamed it into place.
      const stale = listing.filter((asset) => asset.name === CHECKSUMS_NAME && asset !== wanted.current);
      if (stale.length === 0) {
        const action = !wrote ? 'skipped' : existed ? 'replaced' : 'uploaded';
        return { asset: wanted.current, sha256: wanted.sha256, action, listing };
      }
      for (const asset of stale) await client.deleteAsset(release.id, asset.id);
      continue;
    }
    const dir = await mkdtemp(join(ctx.known.tempDir, 'sums-'));
    const path = join(dir, CHECKSUMS_NAME);
    await writeFile(path, wanted.text);
    const previous = listing.filter((asset) => asset.name === CHECKSUMS_NAME);
    try {
      const file = {
        name: CHECKSUMS_NAME,
        path,
        size: Buffer.byteLength(wanted.text),
        sha256: Promise.resolve(wanted.sha256),
        contentType: 'text/plain',
      };
      const placed = await putAsset(ctx, file, previous, { replaceSeenOnly: true });
      ctx.known.set(placed.id, wanted.sha256);
      ctx.known.wrote(placed.id, wanted.listed);
      wrote = true;
    } catch (error) {
      // Another job's SHA256SUMS went in at the same time: the next round reads it and decides.
      if (!(error instanceof SupersededError)) throw error;
      wrote = true;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    if (round > 0)
      logger.info('Other jobs changed the release meanwhile; SHA256SUMS is being written again.');
  }
  throw new ActionError(
    `SHA256SUMS did not settle in ${ROUNDS} rounds: other jobs kept changing the release. Run this job again once they are done.`,
  );
}
