import type { Logger } from '@forge-actions/action-kit/errors';
import type { Asset, ForgeClient, ReleaseRef } from '@forge-actions/forge';
import {
  type DigestRecord,
  generatedSection,
  hasGeneratedSection,
  readDigestRecord,
  readDownloadRows,
  renderGenerated,
  replaceGenerated,
  withDigestRecord,
} from '@forge-actions/release';
import { type KnownDigests, unlessGone } from './existing-digests.js';
import { attachmentsOf } from './external-links.js';
import { newestByName } from './reconcile-names.js';

const ROUNDS = 5;

/** What the release holds, as ids: two reads that give the same key saw the same assets. */
const assetKey = (assets: Array<{ id: number }>) =>
  assets
    .map((asset) => asset.id)
    .sort((a, b) => a - b)
    .join(',');

export interface RefreshOptions {
  /** Rebuild the downloads table (a run that placed every file); else the table is left as it is. */
  table: boolean;
  /** The release's assets when the caller read them and changed nothing since: the first round's listing. */
  listing?: Asset[];
}

/** The downloads table from the assets really on the release (stable links, sizes, sha256). */
async function renderTable(body: string, assets: Asset[], known: KnownDigests) {
  const rows = readDownloadRows(body);
  const digests = known.of(assets);
  const listed = await unlessGone(
    Promise.all(
      [...newestByName(assets).values()]
        .filter((asset) => rows.some((row) => row.file === asset.name))
        .map(async (asset) =>
          // An external link is linked as it is: its size and digest are not known here.
          asset.external
            ? { name: asset.name, url: asset.downloadUrl }
            : {
                name: asset.name,
                url: asset.downloadUrl,
                size: asset.size,
                sha256: await digests.sha256Of(asset),
              },
        ),
    ),
  );
  return listed && renderGenerated(rows, listed);
}

/** Whether `body` holds every entry of `record` (other jobs may have written theirs over it). */
const holds = (body: string, record: DigestRecord) => {
  const current = readDigestRecord(body);
  return [...record].every(([id, entry]) => current.get(id)?.sha256 === entry.sha256);
};

/**
 * Rewrites the release body's generated section, leaving everything outside the markers alone: the
 * downloads table from the assets on the release, and the digest record (the size and sha256 of each
 * asset id this run knows, merged with what the body already records for assets still there), which
 * lets later runs skip unchanged files without downloading them. Parallel jobs each upload their own
 * files, so after writing it reads the release again and starts over when the assets changed or
 * another job's write took this one's record entries away: the last job to finish leaves a complete
 * section. A body without a generated section gets one holding only the record (a comment: nothing
 * shows). Returns whether the body changed.
 */
export async function refreshGeneratedSection(
  client: ForgeClient,
  release: ReleaseRef,
  /** What the run knows of asset bytes, so those assets are not downloaded to be hashed. */
  known: KnownDigests,
  logger: Logger,
  options: RefreshOptions,
): Promise<boolean> {
  let changed = false;
  let listing = options.listing;
  for (let round = 0; round < ROUNDS; round++) {
    const current = await client.getRelease(release.id);
    const assets = listing ?? (await client.listAssets(current));
    listing = undefined;
    known.trust(readDigestRecord(current.body));
    const table =
      options.table && hasGeneratedSection(current.body)
        ? await renderTable(current.body, assets, known)
        : generatedSection(current.body);
    // Another job changed the release while this one read it: read it again.
    if (table === undefined) continue;
    const record = known.recordFor(attachmentsOf(assets));
    const body = replaceGenerated(current.body, withDigestRecord(table, record));
    // Written over by no one: what this run adds is in the body already.
    if (body === current.body) return changed;
    await client.updateRelease(release.id, { body });
    changed = true;
    const after = await client.getRelease(release.id);
    if (holds(after.body, record) && assetKey(await client.listAssets(after)) === assetKey(assets)) {
      return changed;
    }
    logger.info('The release changed while its generated section was written; writing it again.');
  }
  logger.warning(`The release kept changing; its generated section may lag behind after ${ROUNDS} rounds.`);
  return changed;
}
