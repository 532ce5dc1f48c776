// Release and asset metadata, in memory. Asset bytes live on disk (storage.ts); an asset only keeps
// the path of its file. Every change is logged with a number from the counter shared with requests.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AssetState, ChangeKind, ChangeRecord, ReleaseState } from './types.js';

/** The public AssetState, with real dates. */
export interface Asset extends Omit<AssetState, 'createdAt'> {
  createdAt: Date;
  updatedAt: Date;
}

/** The public ReleaseState, with real dates and the store's own assets. */
export interface Release extends Omit<ReleaseState, 'createdAt' | 'publishedAt' | 'assets'> {
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  /** GitHub shows drafts under `untagged-<hex>` in html_url and download links. */
  untaggedSlug: string;
  assets: Asset[];
}

export type NewRelease = Pick<Release, 'tag' | 'name' | 'body' | 'targetCommitish' | 'draft' | 'prerelease'>;

export type NewAsset = Pick<
  Asset,
  'name' | 'label' | 'size' | 'sha256' | 'state' | 'contentType' | 'uuid' | 'file'
>;

export type ReleasePatch = Partial<Omit<NewRelease, 'draft'>> & { draft?: boolean };

export class Store {
  readonly changes: ChangeRecord[] = [];
  private readonly releases = new Map<number, Release>();
  private readonly tags = new Map<string, Set<string>>();
  // Distinct ranges so a release id used as an asset id (or the reverse) finds nothing.
  private nextReleaseId = 1001;
  private nextAssetId = 50001;

  constructor(
    readonly repos: readonly string[],
    private readonly sequence: () => number,
  ) {
    for (const repo of repos) this.tags.set(repo, new Set());
  }

  /** The configured spelling of `owner/name` (forges match repositories case-insensitively). */
  canonicalRepo(owner: string, name: string): string | undefined {
    const wanted = `${owner}/${name}`.toLowerCase();
    return this.repos.find((repo) => repo.toLowerCase() === wanted);
  }

  /** Newest first, like both forges' list endpoints. */
  listReleases(repo: string): Release[] {
    return [...this.releases.values()].filter((r) => r.repo === repo).sort((a, b) => b.id - a.id);
  }

  getRelease(repo: string, id: number): Release | undefined {
    const release = this.releases.get(id);
    return release && release.repo === repo ? release : undefined;
  }

  findAsset(repo: string, assetId: number): { release: Release; asset: Asset } | undefined {
    for (const release of this.listReleases(repo)) {
      const asset = release.assets.find((a) => a.id === assetId);
      if (asset) return { release, asset };
    }
    return undefined;
  }

  allAssets(): Asset[] {
    return [...this.releases.values()].flatMap((r) => r.assets);
  }

  hasTag(repo: string, tag: string): boolean {
    return this.tagSet(repo).has(tag);
  }

  addTag(repo: string, tag: string): void {
    const tags = this.tagSet(repo);
    if (tags.has(tag)) return;
    tags.add(tag);
    this.log('tag-created', repo, { tag });
  }

  listTags(repo: string): string[] {
    return [...this.tagSet(repo)];
  }

  createRelease(repo: string, fields: NewRelease): Release {
    const now = new Date();
    const release: Release = {
      ...fields,
      id: this.nextReleaseId++,
      repo,
      createdAt: now,
      updatedAt: now,
      publishedAt: fields.draft ? null : now,
      untaggedSlug: `untagged-${randomBytes(10).toString('hex')}`,
      assets: [],
    };
    this.releases.set(release.id, release);
    this.log('release-created', repo, { releaseId: release.id, tag: release.tag });
    // Publishing creates the git tag; drafts create none (both forges).
    if (!release.draft) this.addTag(repo, release.tag);
    return release;
  }

  updateRelease(release: Release, patch: ReleasePatch): void {
    const wasDraft = release.draft;
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (release as unknown as Record<string, unknown>)[key] = value;
    }
    release.updatedAt = new Date();
    if (wasDraft && !release.draft) release.publishedAt = release.updatedAt;
    if (!wasDraft && release.draft) release.publishedAt = null;
    this.log('release-updated', release.repo, { releaseId: release.id, tag: release.tag });
    if (!release.draft) this.addTag(release.repo, release.tag);
  }

  /** Returns the files of its assets, for the caller to delete. */
  deleteRelease(release: Release): string[] {
    this.releases.delete(release.id);
    this.log('release-deleted', release.repo, { releaseId: release.id, tag: release.tag });
    return release.assets.map((a) => a.file);
  }

  addAsset(release: Release, fields: NewAsset): Asset {
    const now = new Date();
    const asset: Asset = {
      ...fields,
      id: this.nextAssetId++,
      releaseId: release.id,
      downloadCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    release.assets.push(asset);
    this.log('asset-added', release.repo, { releaseId: release.id, assetId: asset.id, name: asset.name });
    return asset;
  }

  renameAsset(release: Release, asset: Asset, name: string, label?: string | null): void {
    const previousName = asset.name;
    asset.name = name;
    if (label !== undefined) asset.label = label;
    asset.updatedAt = new Date();
    this.log('asset-renamed', release.repo, { releaseId: release.id, assetId: asset.id, name, previousName });
  }

  deleteAsset(release: Release, asset: Asset): void {
    release.assets = release.assets.filter((a) => a.id !== asset.id);
    this.log('asset-deleted', release.repo, { releaseId: release.id, assetId: asset.id, name: asset.name });
  }

  snapshot(release: Release): ReleaseState {
    return {
      id: release.id,
      repo: release.repo,
      tag: release.tag,
      name: release.name,
      body: release.body,
      targetCommitish: release.targetCommitish,
      draft: release.draft,
      prerelease: release.prerelease,
      createdAt: release.createdAt.toISOString(),
      publishedAt: release.publishedAt?.toISOString() ?? null,
      assets: release.assets.map(assetSnapshot),
    };
  }

  releaseById(id: number): Release | undefined {
    return this.releases.get(id);
  }

  private tagSet(repo: string): Set<string> {
    let tags = this.tags.get(repo);
    if (!tags) {
      tags = new Set();
      this.tags.set(repo, tags);
    }
    return tags;
  }

  private log(kind: ChangeKind, repo: string, details: Omit<ChangeRecord, 'at' | 'kind' | 'repo'>): void {
    this.changes.push({ at: this.sequence(), kind, repo, ...details });
  }
}

export function assetSnapshot(asset: Asset): AssetState {
  return {
    id: asset.id,
    releaseId: asset.releaseId,
    name: asset.name,
    label: asset.label,
    size: asset.size,
    sha256: asset.sha256,
    state: asset.state,
    contentType: asset.contentType,
    uuid: asset.uuid,
    downloadCount: asset.downloadCount,
    createdAt: asset.createdAt.toISOString(),
    file: asset.file,
  };
}

export function newUuid(): string {
  return randomUUID();
}
