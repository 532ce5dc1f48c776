// Finding the release or asset a route names, shared by both flavours.
import type { Core, RequestContext } from './context.js';
import { type Asset, isStable, type Release } from './store.js';

function idParam(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

export function releaseFromParams(ctx: RequestContext, param: string): Release | undefined {
  const id = idParam(ctx.params[param]);
  return id === undefined ? undefined : ctx.core.store.getRelease(ctx.repo, id);
}

/** Gitea: the asset must belong to the release in the path. */
export function assetInRelease(release: Release, value: string | undefined): Asset | undefined {
  const id = idParam(value);
  return id === undefined ? undefined : release.assets.find((a) => a.id === id);
}

/** GitHub: `/releases/assets/{asset_id}` names the asset alone. */
export function assetInRepo(
  ctx: RequestContext,
  param: string,
): { release: Release; asset: Asset } | undefined {
  const id = idParam(ctx.params[param]);
  return id === undefined ? undefined : ctx.core.store.findAsset(ctx.repo, id);
}

/** Removes an asset's metadata, then its file. */
export async function removeAsset(ctx: RequestContext, release: Release, asset: Asset): Promise<void> {
  ctx.core.store.deleteAsset(release, asset);
  await ctx.core.storage.remove(asset.file);
}

export async function removeRelease(ctx: RequestContext, release: Release): Promise<void> {
  for (const file of ctx.core.store.deleteRelease(release)) await ctx.core.storage.remove(file);
}

/**
 * The release `GET /releases/latest` answers with. Gitea: the newest published stable release;
 * GitHub: the one make_latest chose.
 */
export function latestRelease(core: Core, repo: string): Release | undefined {
  return core.api === 'gitea' ? core.store.listReleases(repo).find(isStable) : core.store.latest(repo);
}
