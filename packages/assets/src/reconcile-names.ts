import type { Asset, ForgeClient, ReleaseRef } from '@forge-actions/forge';

/**
 * The copy of each name that keeps it when jobs race: the newest upload (the highest id). Gitea keeps
 * duplicates side by side until a job settles them; every job settles them the same way.
 */
export function newestByName(assets: readonly Asset[]): Map<string, Asset> {
  const newest = new Map<string, Asset>();
  for (const asset of assets) {
    const held = newest.get(asset.name);
    if (!held || asset.id > held.id) newest.set(asset.name, asset);
  }
  return newest;
}

/**
 * Settles this run's names against a listing of the release: every copy of such a name but the newest
 * is deleted (on Gitea, another job's upload of the same name that travelled beside ours). Returns the
 * names this run no longer holds, with the asset that holds each now (undefined when none does yet).
 */
export async function reconcileNames(
  client: ForgeClient,
  release: ReleaseRef,
  placed: ReadonlyArray<{ name: string; id: number }>,
  listing: readonly Asset[],
): Promise<Map<string, Asset | undefined>> {
  const newest = newestByName(listing);
  const lost = new Map<string, Asset | undefined>();
  for (const mine of placed) {
    const holder = newest.get(mine.name);
    for (const copy of listing) {
      if (copy.name === mine.name && copy !== holder) await client.deleteAsset(release.id, copy.id);
    }
    if (holder?.id !== mine.id) lost.set(mine.name, holder);
  }
  return lost;
}
