import type { Logger } from '@forge-actions/action-kit/errors';
import type { ForgeClient, ReleaseRef } from '@forge-actions/forge';
import {
  hasGeneratedSection,
  readDownloadRows,
  renderGenerated,
  replaceGenerated,
} from '@forge-actions/release';
import { type KnownDigests, unlessGone } from './existing-digests.js';
import { newestByName } from './reconcile-names.js';

const ROUNDS = 5;

/** What the release holds, as ids: two reads that give the same key saw the same assets. */
const assetKey = (assets: Array<{ id: number }>) =>
  assets
    .map((asset) => asset.id)
    .sort((a, b) => a - b)
    .join(',');

/**
 * Rewrites the downloads table in the release body's generated section from the assets really on the
 * release (stable links, sizes, sha256), leaving everything outside the markers alone. Parallel jobs
 * each upload their own files, so after writing it reads the assets again and starts over when they
 * changed: the last job to finish leaves a complete table. Returns whether the body changed.
 */
export async function refreshDownloadsTable(
  client: ForgeClient,
  release: ReleaseRef,
  /** What the run knows of asset bytes, so those assets are not downloaded to be hashed. */
  known: KnownDigests,
  logger: Logger,
): Promise<boolean> {
  let changed = false;
  for (let round = 0; round < ROUNDS; round++) {
    const current = await client.getRelease(release.id);
    if (!hasGeneratedSection(current.body)) {
      logger.info('The release body has no generated section: its downloads table is left alone.');
      return changed;
    }
    const rows = readDownloadRows(current.body);
    const assets = await client.listAssets(current);
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
    // Another job changed the release while this one read it: read it again.
    if (!listed) continue;
    const body = replaceGenerated(current.body, renderGenerated(rows, listed));
    if (body !== current.body) {
      await client.updateRelease(release.id, { body });
      changed = true;
    }
    if (assetKey(await client.listAssets(current)) === assetKey(assets)) return changed;
    logger.info('The release changed while its downloads table was written; writing it again.');
  }
  logger.warning(`The release kept changing; its downloads table may lag behind after ${ROUNDS} rounds.`);
  return changed;
}
