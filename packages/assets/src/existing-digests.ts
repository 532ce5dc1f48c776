import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { type Asset, type ForgeClient, ForgeError } from '@forge-actions/forge';
import { type DigestRecord, readDigestRecord } from '@forge-actions/release';
import { CHECKSUMS_NAME, parseChecksums } from './checksums.js';

/**
 * An asset of a listing went away before its bytes could be read: another job replaced or removed it
 * meanwhile, so that listing is out of date (the loops that read the release start a new round).
 */
class AssetGoneError extends ActionError {
  constructor(readonly asset: Asset) {
    super(`${asset.name} (asset ${asset.id}) was removed from the release while this job read it.`);
    this.name = 'AssetGoneError';
  }
}

/** The value, or undefined when an asset of the listing went away meanwhile (the caller reads it again). */
export async function unlessGone<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AssetGoneError) return undefined;
    throw error;
  }
}

/**
 * Entries of the body's digest record, at about 60 characters each (40 KiB): Gitea on MySQL keeps a
 * release note in a TEXT column (64 KiB), shared with the notes and the downloads table.
 */
const RECORD_LIMIT = 700;

/** A SHA256SUMS asset as read: its entries by name, and its own digest. */
interface Checksums {
  entries: Map<string, string>;
  ownSha256?: string;
}

/**
 * What a run knows of the bytes of assets, by asset id: an id always names the same bytes (a replacement
 * gets a new id), so what the run uploaded, downloaded or read in a SHA256SUMS stays true for the whole run.
 * The release body's digest record (what earlier runs and other jobs uploaded) counts too, for an id
 * whose size still matches.
 */
export class KnownDigests {
  private readonly byId = new Map<number, string>();
  private readonly recorded: DigestRecord = new Map();
  private readonly sums = new Map<number, Promise<Checksums>>();
  /** For each SHA256SUMS this run wrote, the assets (ids) it was worked out from. */
  private readonly written = new Map<number, Set<number>>();

  constructor(
    readonly client: ForgeClient,
    /** Where downloads go while they are hashed. */
    readonly tempDir: string,
    /** Told when an asset has to be downloaded to learn its digest (the slow way). */
    private readonly logger?: Logger,
  ) {}

  /** What a run on this release starts out knowing: the digest record in its body. */
  static forRelease(
    client: ForgeClient,
    release: { body: string },
    tempDir: string,
    logger: Logger,
  ): KnownDigests {
    const known = new KnownDigests(client, tempDir, logger);
    known.trust(readDigestRecord(release.body));
    return known;
  }

  /** The asset's digest when this run learned it, or a digest record vouches for it (same id, same size). */
  get(asset: Pick<Asset, 'id' | 'size'>): string | undefined {
    const recorded = this.recorded.get(asset.id);
    return this.byId.get(asset.id) ?? (recorded?.size === asset.size ? recorded.sha256 : undefined);
  }

  /** Takes in a digest record read from the release body (its entries are checked when used). */
  trust(record: DigestRecord): void {
    for (const [id, entry] of record) if (!this.recorded.has(id)) this.recorded.set(id, entry);
  }

  /**
   * The digest record for a listing: every attachment whose digest is known and that the forge does not
   * report a digest for itself (GitHub does).
   */
  recordFor(listing: readonly Asset[]): DigestRecord {
    const record: DigestRecord = new Map();
    // Newest first, and no more than RECORD_LIMIT: the body must stay within what a forge stores.
    for (const asset of [...listing].sort((a, b) => b.id - a.id)) {
      if (asset.external || asset.sha256) continue;
      const sha256 = this.get(asset);
      if (sha256) record.set(asset.id, { size: asset.size, sha256 });
      if (record.size === RECORD_LIMIT) break;
    }
    return record;
  }

  set(id: number, sha256: string): void {
    this.byId.set(id, sha256);
  }

  /** Records the assets a SHA256SUMS this run wrote lists. */
  wrote(sums: number, assets: number[]): void {
    this.written.set(sums, new Set(assets));
  }

  /**
   * Whether a SHA256SUMS entry by the asset's name speaks for this very upload of it. One this run wrote
   * speaks for the assets it was worked out from. Another job's speaks only for assets older than itself
   * (lower ids): a file uploaded after a SHA256SUMS cannot be in it, whatever name it has. A job leaves
   * a SHA256SUMS only after a listing showed it right for every asset then on the release.
   */
  vouches(sums: Asset, asset: Asset): boolean {
    const from = this.written.get(sums.id);
    return from ? from.has(asset.id) : sums.id > asset.id;
  }

  /** The digests of the assets of one listing of the release. */
  of(listing: readonly Asset[]): ExistingDigests {
    return new ExistingDigests(this, listing);
  }

  /** A SHA256SUMS asset's entries, downloaded once a run. */
  checksums(asset: Asset): Promise<Checksums> {
    let read = this.sums.get(asset.id);
    if (!read) {
      read = this.download(asset, async (path, sha256) => ({
        entries: parseChecksums(await readFile(path, 'utf8')),
        ownSha256: sha256,
      }));
      this.sums.set(asset.id, read);
    }
    return read;
  }

  /** An asset's digest, hashed as it streams down. */
  hash(asset: Asset): Promise<string | undefined> {
    this.logger?.info(
      `${printable(asset.name)} (asset ${asset.id}): no digest from the forge, this run, SHA256SUMS or the ` +
        "release body's record; downloading it to hash",
    );
    return this.download(asset, async (_path, sha256) => sha256);
  }

  private async download<T>(asset: Asset, read: (path: string, sha256?: string) => Promise<T>): Promise<T> {
    // Its bytes are a third party's, wherever the link points: they are never fetched.
    if (asset.external)
      throw new ActionError(`${asset.name} is an external link: its bytes are not on the release.`);
    const dir = await mkdtemp(join(this.tempDir, 'asset-'));
    try {
      const path = join(dir, 'asset');
      const { sha256 } = await this.client.downloadAsset(asset, path, { sha256: true }).catch((error) => {
        throw error instanceof ForgeError && error.status === 404 ? new AssetGoneError(asset) : error;
      });
      if (sha256) this.set(asset.id, sha256);
      return await read(path, sha256);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The sha256 of the assets of one listing of a release: GitHub's `digest` when there is one; else what
 * the run already knows of that id; else the entry of the listing's one SHA256SUMS when it speaks for
 * that upload (`KnownDigests.vouches`); else the asset itself, hashed as it streams down. Each answer is
 * looked up once.
 */
export class ExistingDigests {
  private readonly answers = new Map<number, Promise<string | undefined>>();

  constructor(
    private readonly known: KnownDigests,
    private readonly listing: readonly Asset[],
  ) {}

  sha256Of(asset: Asset): Promise<string | undefined> {
    let answer = this.answers.get(asset.id);
    if (!answer) {
      answer = this.lookUp(asset);
      this.answers.set(asset.id, answer);
    }
    return answer;
  }

  /** The digest when it is known without downloading the asset itself (for reports). */
  async withoutDownload(asset: Asset): Promise<string | undefined> {
    const known = asset.sha256 ?? this.known.get(asset);
    if (known) return known;
    const sums = this.listing.filter((candidate) => candidate.name === CHECKSUMS_NAME && !candidate.external);
    if (sums.length !== 1) return undefined;
    // SHA256SUMS itself was hashed as it was read.
    if (asset.id === sums[0].id) return (await this.known.checksums(sums[0])).ownSha256;
    if (!this.known.vouches(sums[0], asset)) return undefined;
    return (await this.known.checksums(sums[0])).entries.get(asset.name);
  }

  private async lookUp(asset: Asset): Promise<string | undefined> {
    return (await this.withoutDownload(asset)) ?? this.known.hash(asset);
  }
}
