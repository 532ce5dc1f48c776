import type { Logger } from '@forge-actions/action-kit/errors';
import type { ForgeClient } from '@forge-actions/forge';
import {
  hasGeneratedSection,
  readDownloadRows,
  renderGenerated,
  replaceGenerated,
} from '@forge-actions/release';
import { ExistingDigests } from './existing-digests.js';

const ROUNDS = 5;

/** What the release holds, as ids: two reads that give the same key saw the same assets. */
const assetKey = (assets: Array<{ id: number }>) =>
  assets
    .map((asset) => asset.id)
    .sort((a, b) => a - b)
    .join(',');

/**
 * Rewrites the downloads table in the release body's generated section from the assets really on the
 * release (links, sizes, sha256), leaving everything outside the markers alone. Parallel jobs each
 * upload their own files, so after writing it reads the assets again and starts over when they
 * changed: the last job to finish leaves a complete table. Returns whether the body changed.
 */
export async function refreshDownloadsTable(
  client: ForgeClient,
  releaseId: number,
  /** sha256 by asset id for the files this run uploaded, so they are not downloaded to be hashed. */
  known: ReadonlyMap<number, string>,
  tempDir: string,
  logger: Logger,
): Promise<boolean> {
  let changed = false;
  for (let round = 0; round < ROUNDS; round++) {
    const release = await client.getRelease(releaseId);
    if (!hasGeneratedSection(release.body)) {
      logger.info('The release body has no generated section: its downloads table is left alone.');
      return changed;
    }
    const rows = readDownloadRows(release.body);
    const assets = await client.listAssets(releaseId);
    const digests = new ExistingDigests(client, assets, tempDir, known);
    const listed = await Promise.all(
      assets
        .filter((asset) => rows.some((row) => row.file === asset.name))
        .map(async (asset) => ({
          name: asset.name,
          url: asset.downloadUrl,
          size: asset.size,
          sha256: await digests.sha256Of(asset),
        })),
    );
    const body = replaceGenerated(release.body, renderGenerated(rows, listed));
    if (body !== release.body) {
      await client.updateRelease(releaseId, { body });
      changed = true;
    }
    if (assetKey(await client.listAssets(releaseId)) === assetKey(assets)) return changed;
    logger.info('The release changed while its downloads table was written; writing it again.');
  }
  logger.warning(`The release kept changing; its downloads table may lag behind after ${ROUNDS} rounds.`);
  return changed;
}
