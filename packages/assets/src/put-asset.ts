import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import type { Asset, ForgeClient, Release } from '@forge-actions/forge';
import { partialName } from './partial-names.js';

export interface FileToPut {
  name: string;
  path: string;
  size: number;
  /** Being computed while the file may already be uploading: both read the same file at once. */
  sha256: Promise<string>;
  contentType: string;
}

export interface PutContext {
  client: ForgeClient;
  release: Pick<Release, 'id' | 'uploadUrl'>;
  logger: Logger;
  onProgress?: (bytes: number, total: number) => void;
}

/** The server must hold exactly the bytes sent: the size always, the sha256 where the forge reports it. */
function verify(asset: Asset, file: FileToPut, sha256: string, as: string): void {
  const wrongSize = asset.size !== file.size;
  const wrongDigest = asset.sha256 !== undefined && asset.sha256 !== sha256;
  if (wrongSize || wrongDigest) {
    throw new ActionError(
      `The server holds ${as} with ${asset.size} bytes${asset.sha256 ? ` and sha256 ${asset.sha256}` : ''}, ` +
        `not the ${file.size} bytes and sha256 ${sha256} sent; left the old asset in place.`,
    );
  }
}

async function upload(ctx: PutContext, file: FileToPut, name: string): Promise<Asset> {
  const asset = await ctx.client.uploadAsset(ctx.release, {
    name,
    path: file.path,
    size: file.size,
    contentType: file.contentType,
    onProgress: ctx.onProgress,
  });
  try {
    verify(asset, file, await file.sha256, name);
  } catch (error) {
    await ctx.client.deleteAsset(ctx.release.id, asset.id);
    throw error;
  }
  return asset;
}

/**
 * Puts a file on the release under its name, replacing `previous` (the assets of that name already
 * there) so that the name is never missing while bytes travel.
 *
 * Gitea accepts duplicate names: the new copy goes up beside the old ones, is verified, and only then
 * are the old copies deleted, so a download of the name succeeds at every moment.
 * GitHub allows one asset per name: the new copy goes up under a temporary name, is verified, then the
 * old one is deleted and the new one renamed; the name is missing only between those two requests.
 */
export async function putAsset(ctx: PutContext, file: FileToPut, previous: Asset[]): Promise<Asset> {
  const { client, release } = ctx;
  if (client.flavour === 'gitea') {
    const asset = await upload(ctx, file, file.name);
    for (const old of previous) await client.deleteAsset(release.id, old.id);
    return asset;
  }
  if (previous.length === 0) return upload(ctx, file, file.name);
  const temporary = await upload(ctx, file, partialName(file.name));
  for (const old of previous) await client.deleteAsset(release.id, old.id);
  return client.renameAsset(release.id, temporary.id, file.name);
}
