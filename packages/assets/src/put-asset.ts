import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import {
  type Asset,
  AssetConflictError,
  type ForgeClient,
  ForgeError,
  type Release,
  type ReleaseRef,
} from '@forge-actions/forge';
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
  release: ReleaseRef & Partial<Pick<Release, 'uploadUrl'>>;
  logger: Logger;
  onProgress?: (bytes: number, total: number) => void;
}

/**
 * Another job uploaded the same name while this one did, and its upload is the newer (higher id): the
 * newest upload keeps the name, so this job's copy is gone and must not be reported as placed.
 */
export class SupersededError extends ActionError {
  constructor(
    readonly assetName: string,
    /** The asset holding the name now, when known. */
    readonly winner: Asset | undefined,
  ) {
    super(
      `another job uploaded ${assetName} at the same time${winner ? ` (asset ${winner.id}, ${winner.size} bytes)` : ''} ` +
        'and its newer upload is kept; let one job upload each file name.',
    );
    this.name = 'SupersededError';
  }
}

/** Rounds of delete-then-rename when other jobs keep moving their own upload of the name into place. */
const RENAME_ROUNDS = 3;

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

const copiesOf = async (ctx: PutContext, name: string) =>
  (await ctx.client.listAssets(ctx.release)).filter((asset) => asset.name === name);

/** A copy of the name that another job put there with these very bytes (GitHub's digest says so). */
const sameBytes = async (holders: Asset[], file: FileToPut) => {
  const sha256 = await file.sha256;
  return holders.find((asset) => asset.size === file.size && asset.sha256 === sha256);
};

/**
 * Puts a file on the release under its name, replacing `previous` (the assets of that name already
 * there) so that the name is never missing while bytes travel.
 *
 * Gitea accepts duplicate names: the new copy goes up beside the old ones, is verified, and only then
 * are the old copies deleted, so a download of the name succeeds at every moment. A copy that another
 * job uploads at the same time is settled later (`reconcileNames`): the newest copy keeps the name.
 * GitHub allows one asset per name: the new copy goes up under a temporary name, is verified, then the
 * old one is deleted and the new one renamed; the name is missing only between those two requests.
 */
export async function putAsset(
  ctx: PutContext,
  file: FileToPut,
  previous: Asset[],
  options: { replaceSeenOnly?: boolean } = {},
): Promise<Asset> {
  const { client, release } = ctx;
  if (client.api === 'gitea') {
    const asset = await upload(ctx, file, file.name);
    for (const old of previous) await client.deleteAsset(release.id, old.id);
    return asset;
  }
  let holders = previous;
  if (holders.length === 0) {
    try {
      return await upload(ctx, file, file.name);
    } catch (error) {
      // Another job took the name while this upload travelled: keep it when it holds the same bytes,
      // else replace it like any older asset.
      if (!(error instanceof AssetConflictError)) throw error;
      holders = await copiesOf(ctx, file.name);
      const same = await sameBytes(holders, file);
      if (same) return same;
      if (options.replaceSeenOnly) throw new SupersededError(file.name, holders.at(-1));
    }
  }
  const temporary = await upload(ctx, file, partialName(file.name));
  for (let round = 0; round < RENAME_ROUNDS; round++) {
    for (const old of holders) await client.deleteAsset(release.id, old.id);
    try {
      return await client.renameAsset(release, temporary.id, file.name);
    } catch (error) {
      // Another job placing the same name removed this job's temporary upload as a leftover.
      if (error instanceof ForgeError && error.status === 404)
        throw new SupersededError(file.name, undefined);
      if (!(error instanceof AssetConflictError)) throw error;
      holders = await copiesOf(ctx, file.name);
      const same = await sameBytes(holders, file);
      if (same) {
        await client.deleteAsset(release.id, temporary.id);
        return same;
      }
      const newer = holders.find((asset) => asset.id > temporary.id);
      // A file worked out from a listing (SHA256SUMS) replaces only the copies that listing showed: one
      // another job put there since may say more than this one, so the caller works it out again.
      const unseen =
        options.replaceSeenOnly && holders.find((asset) => !previous.some((p) => p.id === asset.id));
      if (newer || unseen) {
        await client.deleteAsset(release.id, temporary.id);
        throw new SupersededError(file.name, newer || unseen || undefined);
      }
    }
  }
  // Other jobs kept moving their own uploads into place: this one is superseded. Its caller decides: a
  // SHA256SUMS is worked out again from a fresh listing, a file is kept when the winner holds its bytes.
  await client.deleteAsset(release.id, temporary.id);
  throw new SupersededError(file.name, holders.at(-1));
}
