import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Asset, ForgeClient } from '@forge-actions/forge';
import { CHECKSUMS_NAME, parseChecksums } from './checksums.js';

/** The release's SHA256SUMS: its entries, and its own digest. */
interface Checksums {
  entries: Map<string, string>;
  ownSha256?: string;
}

/**
 * The sha256 of assets already on a release: GitHub's `digest` when there is one; else the release's
 * SHA256SUMS entry (when the asset's size agrees, since equal size alone proves nothing); else the
 * asset itself, hashed as it streams down. Each answer is looked up once a run.
 */
export class ExistingDigests {
  private sums?: Promise<Checksums>;
  private readonly cache = new Map<number, Promise<string | undefined>>();

  constructor(
    private readonly client: ForgeClient,
    private readonly assets: readonly Asset[],
    private readonly tempDir: string,
    /** Digests already known by asset id (files this run uploaded and hashed itself). */
    known: ReadonlyMap<number, string> = new Map(),
  ) {
    for (const [id, sha256] of known) this.cache.set(id, Promise.resolve(sha256));
  }

  sha256Of(asset: Asset): Promise<string | undefined> {
    let answer = this.cache.get(asset.id);
    if (!answer) {
      answer = this.lookUp(asset);
      this.cache.set(asset.id, answer);
    }
    return answer;
  }

  private async lookUp(asset: Asset): Promise<string | undefined> {
    if (asset.sha256) return asset.sha256;
    const sums = await this.checksums();
    // SHA256SUMS itself was hashed as it was read.
    const listed = asset.name === CHECKSUMS_NAME ? sums.ownSha256 : sums.entries.get(asset.name);
    return listed ?? this.hashByDownload(asset);
  }

  private checksums(): Promise<Checksums> {
    this.sums ??= (async () => {
      const sums = this.assets.filter((asset) => asset.name === CHECKSUMS_NAME);
      if (sums.length !== 1) return { entries: new Map() };
      const dir = mkdtempSync(join(this.tempDir, 'sums-'));
      try {
        const { sha256 } = await this.client.downloadAsset(sums[0], join(dir, CHECKSUMS_NAME), {
          sha256: true,
        });
        return {
          entries: parseChecksums(await readFile(join(dir, CHECKSUMS_NAME), 'utf8')),
          ownSha256: sha256,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    return this.sums;
  }

  private async hashByDownload(asset: Asset): Promise<string | undefined> {
    const dir = mkdtempSync(join(this.tempDir, 'hash-'));
    try {
      const result = await this.client.downloadAsset(asset, join(dir, 'asset'), { sha256: true });
      return result.sha256;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
