// Release and asset metadata, each repository's git refs and Gitea's packages, in memory. Asset bytes live on disk
// (storage.ts); an asset only keeps the path of its file. Every change is logged with a number from the
// counter shared with requests.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AssetState, ChangeKind, ChangeRecord, PackageState, ReleaseState } from './types.js';

/** The public AssetState, with real dates. */
export interface Asset extends Omit<AssetState, 'createdAt'> {
  createdAt: Date;
  updatedAt: Date;
}

/** The public ReleaseState, with real dates and the store's own assets (`latest` is the repository's). */
export interface Release extends Omit<ReleaseState, 'createdAt' | 'publishedAt' | 'assets' | 'latest'> {
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  /** GitHub shows drafts under `untagged-<hex>` in html_url and download links. */
  untaggedSlug: string;
  assets: Asset[];
}

/** One published version; Gitea's package JSON carries the version's id and date. */
interface PackageVersion {
  id: number;
  version: string;
  createdAt: Date;
}

/** The public PackageState, with each version's id and date. */
export interface Package extends Omit<PackageState, 'versions'> {
  versions: PackageVersion[];
}

export type NewRelease = Pick<Release, 'tag' | 'name' | 'body' | 'targetCommitish' | 'draft' | 'prerelease'> &
  Partial<Pick<Release, 'hideArchiveLinks'>>;

export type NewAsset = Pick<
  Asset,
  'name' | 'label' | 'size' | 'sha256' | 'state' | 'contentType' | 'uuid' | 'file'
> &
  Partial<Pick<Asset, 'externalUrl'>>;

export type ReleasePatch = Partial<Omit<NewRelease, 'draft'>> & { draft?: boolean };

/** GitHub's `make_latest`. */
export type MakeLatest = 'true' | 'false' | 'legacy';

export interface RepoSetup {
  repos: readonly string[];
  /** Branches of each non-empty repository; the first is the default branch. */
  branches: readonly string[];
  emptyRepos: readonly string[];
  immutableReleases: boolean;
}

/** One repository's git side and settings. */
interface RepoState {
  tags: Set<string>;
  branches: Set<string>;
  commits: Set<string>;
  immutableReleases: boolean;
  /** Tags of deleted immutable releases: GitHub never lets a release use them again. */
  retiredTags: Set<string>;
  /** GitHub's "Latest" as make_latest last set it; always a published stable release when set. */
  latestId?: number;
}

/** Published, not a prerelease: the only kind of release that can be "Latest". */
export function isStable(release: Release): boolean {
  return !release.draft && !release.prerelease;
}

export class Store {
  readonly changes: ChangeRecord[] = [];
  readonly repos: readonly string[];
  readonly defaultBranch: string;
  /** When the repositories came to be (the server's start). */
  readonly createdAt = new Date();
  private readonly releases = new Map<number, Release>();
  private readonly repoStates = new Map<string, RepoState>();
  private readonly packages: Package[] = [];
  // Distinct ranges so a release id used as an asset id (or the reverse) finds nothing.
  private nextReleaseId = 1001;
  private nextAssetId = 50001;
  private nextPackageVersionId = 70001;

  constructor(
    setup: RepoSetup,
    private readonly sequence: () => number,
  ) {
    this.repos = setup.repos;
    this.defaultBranch = setup.branches[0] ?? 'main';
    for (const repo of setup.repos) {
      const empty = setup.emptyRepos.some((e) => e.toLowerCase() === repo.toLowerCase());
      this.repoStates.set(repo, {
        tags: new Set(),
        branches: new Set(empty ? [] : setup.branches),
        commits: new Set(),
        immutableReleases: setup.immutableReleases,
        retiredTags: new Set(),
      });
    }
  }

  /** The configured spelling of `owner/name` (forges match repositories case-insensitively). */
  canonicalRepo(owner: string, name: string): string | undefined {
    const wanted = `${owner}/${name}`.toLowerCase();
    return this.repos.find((repo) => repo.toLowerCase() === wanted);
  }

  /** The configured spelling of a repository owner (Gitea's users and organisations, as far as modelled). */
  canonicalOwner(owner: string): string | undefined {
    const wanted = owner.toLowerCase();
    return this.repos.map((repo) => repo.split('/')[0]).find((o) => o.toLowerCase() === wanted);
  }

  /** Gitea matches the owner and the name case-insensitively, the type exactly. */
  findPackage(owner: string, type: string, name: string): Package | undefined {
    const [wantedOwner, wantedName] = [owner.toLowerCase(), name.toLowerCase()];
    return this.packages.find(
      (p) => p.owner.toLowerCase() === wantedOwner && p.type === type && p.name.toLowerCase() === wantedName,
    );
  }

  listPackages(): Package[] {
    return [...this.packages];
  }

  /** Publishes a version; the first one creates the package. */
  addPackageVersion(owner: string, type: string, name: string, version: string): Package {
    let pkg = this.findPackage(owner, type, name);
    if (!pkg) {
      pkg = { owner, type, name, versions: [] };
      this.packages.push(pkg);
    }
    pkg.versions.push({ id: this.nextPackageVersionId++, version, createdAt: new Date() });
    return pkg;
  }

  linkPackage(pkg: Package, repo: string): void {
    pkg.repo = repo;
    this.log('package-linked', repo, { name: pkg.name, packageType: pkg.type });
  }

  /** Newest first, by creation date (as both forges' list endpoints order them), then id. */
  listReleases(repo: string): Release[] {
    return [...this.releases.values()]
      .filter((r) => r.repo === repo)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
  }

  /** The date a lost create race leaves on Gitea and Forgejo: 1970-01-01, so the release sorts last. */
  dateAtEpoch(release: Release): void {
    release.createdAt = new Date(0);
    if (release.publishedAt) release.publishedAt = new Date(0);
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
    return this.state(repo).tags.has(tag);
  }

  addTag(repo: string, tag: string): void {
    const { tags } = this.state(repo);
    if (tags.has(tag)) return;
    tags.add(tag);
    this.log('tag-created', repo, { tag });
  }

  listTags(repo: string): string[] {
    return [...this.state(repo).tags];
  }

  addBranch(repo: string, name: string): void {
    this.state(repo).branches.add(name);
  }

  addCommit(repo: string, sha: string): void {
    this.state(repo).commits.add(sha);
  }

  /** No branch, no commit to release: how Gitea sees a repository holding nothing or only tags. */
  isEmpty(repo: string): boolean {
    return this.state(repo).branches.size === 0;
  }

  /** Whether `ref` names a branch, a tag or a known commit of the repository. */
  resolves(repo: string, ref: string): boolean {
    const { branches, tags, commits } = this.state(repo);
    return branches.has(ref) || tags.has(ref) || commits.has(ref);
  }

  setImmutableReleases(repo: string, enabled: boolean): void {
    this.state(repo).immutableReleases = enabled;
  }

  isTagRetired(repo: string, tag: string): boolean {
    return this.state(repo).retiredTags.has(tag);
  }

  createRelease(repo: string, fields: NewRelease, makeLatest?: MakeLatest): Release {
    const now = new Date();
    const release: Release = {
      ...fields,
      hideArchiveLinks: fields.hideArchiveLinks ?? false,
      id: this.nextReleaseId++,
      repo,
      createdAt: now,
      updatedAt: now,
      publishedAt: fields.draft ? null : now,
      immutable: !fields.draft && this.state(repo).immutableReleases,
      untaggedSlug: `untagged-${randomBytes(10).toString('hex')}`,
      assets: [],
    };
    this.releases.set(release.id, release);
    this.log('release-created', repo, { releaseId: release.id, tag: release.tag });
    // Publishing creates the git tag; drafts create none (both forges).
    if (!release.draft) this.addTag(repo, release.tag);
    this.settleLatest(release, makeLatest, !release.draft);
    return release;
  }

  updateRelease(release: Release, patch: ReleasePatch, makeLatest?: MakeLatest): void {
    const wasDraft = release.draft;
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (release as unknown as Record<string, unknown>)[key] = value;
    }
    release.updatedAt = new Date();
    const published = wasDraft && !release.draft;
    if (published) {
      release.publishedAt = release.updatedAt;
      // Publishing a draft dates it anew, which is how an epoch date is repaired.
      if (release.createdAt.getTime() === 0) release.createdAt = release.updatedAt;
      release.immutable = this.state(release.repo).immutableReleases;
    }
    if (!wasDraft && release.draft) release.publishedAt = null;
    this.log('release-updated', release.repo, { releaseId: release.id, tag: release.tag });
    if (!release.draft) this.addTag(release.repo, release.tag);
    this.settleLatest(release, makeLatest, published);
  }

  /** Returns the files of its assets, for the caller to delete. */
  deleteRelease(release: Release): string[] {
    this.releases.delete(release.id);
    this.log('release-deleted', release.repo, { releaseId: release.id, tag: release.tag });
    // The git tag stays (both forges); an immutable release's tag can never be used again (GitHub).
    if (release.immutable) this.state(release.repo).retiredTags.add(release.tag);
    if (this.state(release.repo).latestId === release.id) this.fallBackLatest(release.repo);
    return release.assets.map((a) => a.file);
  }

  /** GitHub's "Latest": as make_latest set it, else the newest published stable release. */
  latest(repo: string): Release | undefined {
    const id = this.state(repo).latestId;
    return (id === undefined ? undefined : this.releases.get(id)) ?? this.newestPublishedStable(repo);
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

  snapshot(release: Release, latest: boolean): ReleaseState {
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
      immutable: release.immutable,
      hideArchiveLinks: release.hideArchiveLinks,
      latest,
      assets: release.assets.map(assetSnapshot),
    };
  }

  releaseById(id: number): Release | undefined {
    return this.releases.get(id);
  }

  /**
   * GitHub's make_latest, applied after a release was created or updated: only a stable release can
   * take the badge; by default it does when it is published; `legacy` hands it to the stable release
   * created last. A latest release that stops being stable hands it on.
   */
  private settleLatest(release: Release, makeLatest: MakeLatest | undefined, published: boolean): void {
    const state = this.state(release.repo);
    if (!isStable(release)) {
      if (state.latestId === release.id) this.fallBackLatest(release.repo);
      return;
    }
    if (makeLatest === 'legacy') {
      const stable = this.listReleases(release.repo).filter(isStable);
      state.latestId = stable.sort(
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id,
      )[0]?.id;
    } else if (makeLatest === 'true' || (makeLatest === undefined && published)) {
      state.latestId = release.id;
    }
  }

  private fallBackLatest(repo: string): void {
    this.state(repo).latestId = this.newestPublishedStable(repo)?.id;
  }

  private newestPublishedStable(repo: string): Release | undefined {
    return this.listReleases(repo)
      .filter(isStable)
      .sort((a, b) => (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0) || b.id - a.id)[0];
  }

  private state(repo: string): RepoState {
    const state = this.repoStates.get(repo);
    if (!state) throw new Error(`forge-server: unknown repository '${repo}'`);
    return state;
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
    ...(asset.externalUrl === undefined ? {} : { externalUrl: asset.externalUrl }),
  };
}

export function packageSnapshot(pkg: Package): PackageState {
  return {
    owner: pkg.owner,
    type: pkg.type,
    name: pkg.name,
    versions: pkg.versions.map((v) => v.version),
    ...(pkg.repo === undefined ? {} : { repo: pkg.repo }),
  };
}

export function newUuid(): string {
  return randomUUID();
}
