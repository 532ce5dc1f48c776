import { access, constants, stat } from 'node:fs/promises';
import type { Logger } from '@forge-actions/action-kit/errors';
import {
  type DownloadResult,
  HttpClient,
  type HttpClientOptions,
  HttpError,
  isTransient,
  NetworkError,
  scrubSecrets,
} from '@forge-actions/http';
import type { AssetLocation, Flavour, ForgeAdapter, UploadFile } from './adapter.js';
import { ADAPTERS } from './adapters.js';
import { AssetConflictError, ForgeError, hasAlreadyExists, ReleaseConflictError } from './errors.js';
import { type Asset, type Release, type ReleaseRef, UnexpectedAnswerError } from './models.js';
import type { Api } from './routes.js';
import { Transport } from './transport.js';

/** Test and tuning knobs passed through to the HTTP layer. */
export type HttpTuning = Pick<
  HttpClientOptions,
  | 'baseDelayMs'
  | 'maxDelayMs'
  | 'maxServerDelayMs'
  | 'rateLimitFallbackMs'
  | 'mutationSpacingMs'
  | 'socketTimeoutMs'
  | 'timeoutMs'
  | 'transferFloorBytesPerSecond'
  | 'keepAlive'
  | 'sleep'
  | 'now'
  | 'random'
>;

/** GitHub's `make_latest`: whether publishing makes the release "Latest" (`legacy`: by date and version). */
export type MakeLatest = 'true' | 'false' | 'legacy';

export interface NewRelease {
  tag: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  /** Commitish for a tag that does not exist yet; the default branch when omitted. */
  target?: string;
  /** GitHub only (Gitea has no such setting); GitHub's default when omitted. */
  makeLatest?: MakeLatest;
  /** Forgejo only: hide the source archive links on the release page (they still download). */
  hideArchiveLinks?: boolean;
}

/** Fields to change. On Gitea an empty string leaves a field as it was (Gitea ignores empty values). */
export interface ReleasePatch {
  tagName?: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  target?: string;
  /** GitHub only, as in NewRelease. */
  makeLatest?: MakeLatest;
  /** Forgejo only, as in NewRelease. */
  hideArchiveLinks?: boolean;
}

export interface DownloadAssetOptions {
  sha256?: boolean;
  onProgress?: (bytes: number, total: number | undefined) => void;
}

export interface ForgeClientConfig {
  flavour: Flavour;
  apiUrl: string;
  serverUrl: string;
  owner: string;
  repo: string;
  token: string;
  /** Known Gitea version (from detection), else fetched when first needed. */
  giteaVersion?: string;
  logger?: Logger;
  retries?: number;
  http?: HttpTuning;
}

/**
 * One client for the release and asset APIs of every forge: the algorithms (draft lookup, create races,
 * upload retries) are written here once; what differs per forge comes from its ForgeAdapter. Every method
 * maps HTTP failures to an ActionError with one actionable line (ForgeError), never containing the token.
 */
export class ForgeClient {
  readonly flavour: Flavour;
  /** The API the forge follows (Forgejo's is Gitea's): duplicate names, packages, paging. */
  readonly api: Api;
  /** `Gitea`, `Forgejo`, `GitHub`: what logs and summaries call it. */
  readonly forgeName: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly owner: string;
  readonly repo: string;
  private readonly adapter: ForgeAdapter;
  private readonly t: Transport;
  private version: Promise<string | undefined> | undefined;

  constructor(config: ForgeClientConfig) {
    this.flavour = config.flavour;
    this.adapter = ADAPTERS[config.flavour];
    this.api = this.adapter.routes;
    this.forgeName = this.adapter.hints.name;
    this.apiUrl = config.apiUrl.replace(/\/+$/, '');
    this.serverUrl = config.serverUrl.replace(/\/+$/, '');
    this.owner = config.owner;
    this.repo = config.repo;
    if (config.giteaVersion !== undefined) this.version = Promise.resolve(config.giteaVersion);
    const http = new HttpClient({
      mutationSpacingMs: this.adapter.mutationSpacingMs(this.apiUrl),
      ...config.http,
      retries: config.retries,
      secrets: [config.token],
      logger: config.logger,
    });
    this.t = new Transport({
      adapter: this.adapter,
      http,
      apiUrl: this.apiUrl,
      serverUrl: this.serverUrl,
      owner: this.owner,
      repo: this.repo,
      token: config.token,
      logger: config.logger,
    });
  }

  get repository(): string {
    return this.t.repository;
  }

  /** Frees pooled connections. */
  close(): void {
    this.t.http.dispose();
  }

  /** Gitea's (or Forgejo's) version (cached; fetched once when first needed). undefined on GitHub or when unreadable. */
  serverVersion(): Promise<string | undefined> {
    if (!this.adapter.hasVersion) return Promise.resolve(undefined);
    this.version ??= this.t.http
      .getJson<{ version?: unknown }>(this.t.url('version'), { headers: this.t.auth() })
      .then((res) => (typeof res.data?.version === 'string' ? res.data.version : undefined))
      .catch((error: unknown) => {
        this.t.logger?.warning(
          `Could not read the ${this.adapter.hints.name} version (${scrubSecrets(String((error as Error).message), [this.t.token])}); uploading as multipart, which every version accepts.`,
        );
        return undefined;
      });
    return this.version;
  }

  /** Whether the repository exists and the token can see it (both forges answer 404 otherwise). */
  async repositoryVisible(): Promise<boolean> {
    const url = this.t.url('getRepository');
    const res = await this.t.call(`read repository ${this.repository}`, () =>
      this.t.http.getJson<{ full_name?: unknown }>(url, { headers: this.t.auth(), allowStatus: [404] }),
    );
    if (res.status === 404) return false;
    if (typeof res.data?.full_name !== 'string') {
      throw new UnexpectedAnswerError('a repository', 'it has no full_name', this.t.request('GET', url));
    }
    return true;
  }

  // --- releases ---

  /**
   * The release for a tag, drafts included, or undefined. Gitea's tag route returns drafts; GitHub's
   * shows published releases only, so on a 404 the paged list is searched, and of several drafts for
   * the tag (GitHub allows that) the oldest is returned, so parallel jobs pick the same one.
   */
  async getReleaseByTag(tag: string): Promise<Release | undefined> {
    const url = this.t.url('getReleaseByTag', { tag });
    const res = await this.t.call(`look up the release for tag ${tag}`, () =>
      this.t.http.getJson(url, { headers: this.t.auth(), allowStatus: [404] }),
    );
    if (res.status === 200) return this.t.release(res.data, 'GET', url);
    if (this.adapter.tagRouteFindsDrafts) return undefined;
    let found: Release | undefined;
    for await (const release of this.listReleases()) {
      if (release.tagName !== tag) continue;
      if (!release.draft) return release;
      if (!found || release.id < found.id) found = release;
    }
    return found;
  }

  /** The release shown as "Latest", or undefined when there is none. */
  async getLatestRelease(): Promise<Release | undefined> {
    const url = this.t.url('getLatestRelease');
    const res = await this.t.call('look up the latest release', () =>
      this.t.http.getJson(url, { headers: this.t.auth(), allowStatus: [404] }),
    );
    return res.status === 200 ? this.t.release(res.data, 'GET', url) : undefined;
  }

  async getRelease(id: number): Promise<Release> {
    const url = this.t.url('getRelease', { releaseId: id });
    const res = await this.t.call(
      `read release ${id}`,
      () => this.t.http.getJson(url, { headers: this.t.auth() }),
      `release ${id} does not exist in ${this.repository}, or the repository is not visible to the token`,
    );
    return this.t.release(res.data, 'GET', url);
  }

  /** Every release, newest first, page by page (GitHub 100 a page, Gitea 50). */
  listReleases(): AsyncGenerator<Release> {
    const url = this.t.url('listReleases');
    return this.t.paged(url, 'list the releases', (raw) => this.t.release(raw, 'GET', url));
  }

  /**
   * Creates a release. Never resends the create on its own after a 5xx or a dropped connection (the
   * first may have succeeded; Gitea answers a lost race with 500): such failures, and the tag being
   * taken (GitHub 422 `already_exists`, Gitea 409), throw ReleaseConflictError so the caller looks the
   * release up again and only then creates once more. Rate limits and refused connections are retried.
   */
  async createRelease(input: NewRelease): Promise<Release> {
    const json: Record<string, unknown> = {
      tag_name: input.tag,
      name: input.name,
      body: input.body,
      draft: input.draft,
      prerelease: input.prerelease,
    };
    if (input.target) json.target_commitish = input.target;
    if (input.makeLatest && this.adapter.makeLatest) json.make_latest = input.makeLatest;
    if (input.hideArchiveLinks !== undefined && this.adapter.archiveLinksSetting) {
      json.hide_archive_links = input.hideArchiveLinks;
    }
    const url = this.t.url('createRelease');
    try {
      const res = await this.t.http.json('POST', url, { headers: this.t.auth(), json, idempotent: false });
      return this.t.release(res.data, 'POST', url);
    } catch (error) {
      const conflict = this.createConflict(input.tag, error);
      if (conflict) throw conflict;
      throw this.t.mapError(error, `create the release for tag ${input.tag}`);
    }
  }

  async updateRelease(id: number, patch: ReleasePatch): Promise<Release> {
    const json: Record<string, unknown> = {};
    if (patch.tagName !== undefined) json.tag_name = patch.tagName;
    if (patch.name !== undefined) json.name = patch.name;
    if (patch.body !== undefined) json.body = patch.body;
    if (patch.draft !== undefined) json.draft = patch.draft;
    if (patch.prerelease !== undefined) json.prerelease = patch.prerelease;
    if (patch.target !== undefined) json.target_commitish = patch.target;
    if (patch.makeLatest !== undefined && this.adapter.makeLatest) json.make_latest = patch.makeLatest;
    if (patch.hideArchiveLinks !== undefined && this.adapter.archiveLinksSetting) {
      json.hide_archive_links = patch.hideArchiveLinks;
    }
    const url = this.t.url('updateRelease', { releaseId: id });
    const res = await this.t.call(
      `update release ${id}`,
      () => this.t.http.json('PATCH', url, { headers: this.t.auth(), json }),
      `release ${id} does not exist in ${this.repository}`,
    );
    return this.t.release(res.data, 'PATCH', url);
  }

  /** Deletes a release (not its tag). A release already gone counts as deleted. */
  async deleteRelease(id: number): Promise<void> {
    await this.t.call(`delete release ${id}`, () =>
      this.t.http.request('DELETE', this.t.url('deleteRelease', { releaseId: id }), {
        headers: this.t.auth(),
        allowStatus: [404],
      }),
    );
  }

  // --- assets ---

  /** The release's assets: GitHub pages them (100 a page); Gitea returns them all at once. */
  async listAssets(release: ReleaseRef): Promise<Asset[]> {
    const action = `list the assets of release ${release.id}`;
    const notFound = `release ${release.id} does not exist in ${this.repository}`;
    const url = this.t.url('listAssets', { releaseId: release.id });
    const read = (raw: unknown) => this.t.asset(raw, release.tagName, 'GET', url);
    if (this.adapter.assetsPaged) {
      const assets: Asset[] = [];
      for await (const asset of this.t.paged(url, action, read, notFound)) assets.push(asset);
      return assets;
    }
    const res = await this.t.call(
      action,
      () => this.t.http.getJson<unknown[]>(url, { headers: this.t.auth() }),
      notFound,
    );
    if (!Array.isArray(res.data)) {
      throw new UnexpectedAnswerError('a list of assets', 'not a JSON array', this.t.request('GET', url));
    }
    return res.data.map(read);
  }

  /**
   * Uploads a file as an asset, streamed from disk with a fresh stream per attempt, in the forge's own
   * form (see the adapters). Gitea accepts duplicate names silently; GitHub refuses them
   * (AssetConflictError) unless the asset is a broken upload or our own lost answer.
   */
  async uploadAsset(
    release: ReleaseRef & Partial<Pick<Release, 'uploadUrl'>>,
    file: UploadFile,
  ): Promise<Asset> {
    const action = `upload ${file.name} to release ${release.id}`;
    try {
      await access(file.path, constants.R_OK);
    } catch (error) {
      throw new ForgeError(
        `Could not ${action}: cannot read ${file.path} (${(error as NodeJS.ErrnoException).code ?? error}).`,
        0,
        error,
      );
    }
    return this.adapter.upload(this.t, this, release, {
      ...file,
      size: file.size ?? (await stat(file.path)).size,
      contentType: file.contentType || 'application/octet-stream',
      action,
      notFound: `release ${release.id} does not exist in ${this.repository}`,
    });
  }

  /** Deletes an asset. Returns false when it was already gone (a parallel job, or an earlier attempt). */
  async deleteAsset(releaseId: number, assetId: number): Promise<boolean> {
    const res = await this.t.call(`delete asset ${assetId} of release ${releaseId}`, () =>
      this.t.http.request('DELETE', this.t.url('deleteAsset', { releaseId, assetId }), {
        headers: this.t.auth(),
        allowStatus: [404],
      }),
    );
    return res.status !== 404;
  }

  /** Renames an asset (Gitea answers 201, GitHub 200). GitHub refuses a taken name: AssetConflictError. */
  async renameAsset(release: ReleaseRef, assetId: number, name: string): Promise<Asset> {
    const releaseId = release.id;
    const action = `rename asset ${assetId} to ${name}`;
    try {
      const url = this.t.url('renameAsset', { releaseId, assetId });
      const res = await this.t.http.json('PATCH', url, { headers: this.t.auth(), json: { name } });
      return this.t.asset(res.data, release.tagName, 'PATCH', url);
    } catch (error) {
      if (error instanceof HttpError && error.status === 422 && hasAlreadyExists(error.body)) {
        throw new AssetConflictError(
          name,
          `Could not ${action}: the release already has an asset named ${name}.`,
          error,
        );
      }
      throw this.t.mapError(
        error,
        action,
        `asset ${assetId} of release ${releaseId} does not exist in ${this.repository}`,
      );
    }
  }

  /**
   * Streams an asset's bytes to a file, optionally hashing them on the way, from where the adapter says
   * one exact copy is served (GitHub's API asset route; Gitea's `/attachments/{uuid}` link).
   */
  downloadAsset(
    asset: AssetLocation,
    toPath: string,
    options: DownloadAssetOptions = {},
  ): Promise<DownloadResult> {
    const { url, headers } = this.adapter.downloadRequest(this.t, asset);
    return this.t.call(
      `download ${asset.name}`,
      () => this.t.http.download(url, toPath, { ...options, headers }),
      `asset ${asset.id} (${asset.name}) is not on the release, or has no bytes yet`,
    );
  }

  // --- packages (Gitea) ---

  /** The repository (`owner/name`) a package's newest version is linked to, '' when none; undefined when there is no such package. */
  async packageRepository(type: string, name: string): Promise<string | undefined> {
    const res = await this.t.call(`read package ${type}/${name}`, () =>
      this.t.http.getJson<{ repository?: { full_name?: unknown } | null }>(
        this.t.url('getLatestPackage', { packageType: type, packageName: name }),
        { headers: this.t.auth(), allowStatus: [404] },
      ),
    );
    if (res.status === 404) return undefined;
    const fullName = res.data?.repository?.full_name;
    return typeof fullName === 'string' ? fullName : '';
  }

  /** Links a package of the repository's owner to the repository. */
  async linkPackage(type: string, name: string): Promise<void> {
    await this.t.call(
      `link package ${type}/${name} to ${this.repository}`,
      () =>
        this.t.http.request('POST', this.t.url('linkPackage', { packageType: type, packageName: name }), {
          headers: this.t.auth(),
        }),
      `package ${type}/${name} of ${this.owner} or repository ${this.repository} was not found`,
    );
  }

  private createConflict(tag: string, error: unknown): ReleaseConflictError | undefined {
    const where = this.repository;
    if (error instanceof HttpError) {
      const exists = this.adapter.releaseExists(error);
      if (exists) {
        const message = `A release for tag ${tag} already exists on ${where} (${exists}).`;
        return new ReleaseConflictError(tag, 'exists', error.status, message, error);
      }
      if (error.status >= 500) {
        return new ReleaseConflictError(
          tag,
          'uncertain',
          error.status,
          `Creating the release for tag ${tag} on ${where} ended with ${error.status}; it may or may not exist now.${this.adapter.uncertainCreateHint}`,
          error,
        );
      }
    }
    if (error instanceof NetworkError && isTransient(error)) {
      return new ReleaseConflictError(
        tag,
        'uncertain',
        0,
        `Creating the release for tag ${tag} on ${where} lost its connection (${error.code}); it may or may not exist now.`,
        error,
      );
    }
    return undefined;
  }
}
