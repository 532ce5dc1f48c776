import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import type { Logger } from '@forge-actions/action-kit/errors';
import {
  type DownloadResult,
  HttpClient,
  type HttpClientOptions,
  HttpError,
  isTransient,
  NetworkError,
  parseJson,
  redactUrl,
  scrubSecrets,
} from '@forge-actions/http';
import {
  AssetConflictError,
  type ErrorContext,
  ForgeError,
  hasAlreadyExists,
  ReleaseConflictError,
  toForgeError,
} from './errors.js';
import { FLAVOUR_RULES, type FlavourRules } from './flavours.js';
import { attachmentLink, byNameLink } from './gitea-links.js';
import {
  type Asset,
  type Release,
  type ReleaseRef,
  toAsset,
  toRelease,
  UnexpectedAnswerError,
} from './models.js';
import { multipartFile } from './multipart.js';
import { type Flavour, type RouteName, type RouteParams, routePath } from './routes.js';
import { acceptsRawUpload } from './version.js';

/** GitHub's page size maximum; Gitea caps `limit` at 50 (its default is 30). */
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

/**
 * api.github.com asks for at least a second between mutating requests (its secondary rate limits);
 * Enterprise Server (rate limits off unless its admin turns them on) and Gitea have no such rule.
 * @internal Exported for its unit tests.
 */
export function mutationSpacingMs(flavour: Flavour, apiUrl: string): number {
  return flavour === 'github' && new URL(apiUrl).hostname === 'api.github.com' ? 1000 : 0;
}

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
}

export interface UploadFile {
  /** The asset name on the release. */
  name: string;
  /** The file on disk, streamed afresh for each attempt. */
  path: string;
  /** Bytes; read from the file when omitted. */
  size?: number;
  /** Default `application/octet-stream`. */
  contentType?: string;
  /** GitHub only. */
  label?: string;
  onProgress?: (bytes: number, total: number) => void;
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
 * One client for the release and asset APIs of Gitea and GitHub. Every method maps HTTP failures to an
 * ActionError with one actionable line (ForgeError), never containing the token.
 */
export class ForgeClient {
  readonly flavour: Flavour;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly owner: string;
  readonly repo: string;
  private readonly http: HttpClient;
  private readonly token: string;
  private readonly logger: Logger | undefined;
  private version: Promise<string | undefined> | undefined;
  private readonly rules: FlavourRules;

  constructor(config: ForgeClientConfig) {
    this.flavour = config.flavour;
    this.rules = FLAVOUR_RULES[config.flavour];
    this.apiUrl = config.apiUrl.replace(/\/+$/, '');
    this.serverUrl = config.serverUrl.replace(/\/+$/, '');
    this.owner = config.owner;
    this.repo = config.repo;
    this.token = config.token;
    this.logger = config.logger;
    if (config.giteaVersion !== undefined) this.version = Promise.resolve(config.giteaVersion);
    this.http = new HttpClient({
      mutationSpacingMs: mutationSpacingMs(config.flavour, this.apiUrl),
      ...config.http,
      retries: config.retries,
      secrets: [config.token],
      logger: config.logger,
    });
  }

  get repository(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** Frees pooled connections. */
  close(): void {
    this.http.dispose();
  }

  /** Gitea's version (cached; fetched once when first needed). undefined on GitHub or when unreadable. */
  serverVersion(): Promise<string | undefined> {
    if (!this.rules.hasVersion) return Promise.resolve(undefined);
    this.version ??= this.http
      .getJson<{ version?: unknown }>(this.url('version'), { headers: this.auth() })
      .then((res) => (typeof res.data?.version === 'string' ? res.data.version : undefined))
      .catch((error: unknown) => {
        this.logger?.warning(
          `Could not read the Gitea version (${this.safe(String((error as Error).message))}); uploading as multipart, which every version accepts.`,
        );
        return undefined;
      });
    return this.version;
  }

  /** Whether the repository exists and the token can see it (both forges answer 404 otherwise). */
  async repositoryVisible(): Promise<boolean> {
    const res = await this.call(`read repository ${this.repository}`, () =>
      this.http.getJson<{ full_name?: unknown }>(this.url('getRepository'), {
        headers: this.auth(),
        allowStatus: [404],
      }),
    );
    if (res.status === 404) return false;
    if (typeof res.data?.full_name !== 'string') {
      throw new UnexpectedAnswerError(
        'a repository',
        'it has no full_name',
        this.request('GET', this.url('getRepository')),
      );
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
    const action = `look up the release for tag ${tag}`;
    const res = await this.call(action, () =>
      this.http.getJson(this.url('getReleaseByTag', { tag }), { headers: this.auth(), allowStatus: [404] }),
    );
    if (res.status === 200) return this.toRelease(res.data, 'GET', this.url('getReleaseByTag', { tag }));
    if (this.rules.tagRouteFindsDrafts) return undefined;
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
    const res = await this.call('look up the latest release', () =>
      this.http.getJson(this.url('getLatestRelease'), { headers: this.auth(), allowStatus: [404] }),
    );
    return res.status === 200 ? this.toRelease(res.data, 'GET', this.url('getLatestRelease')) : undefined;
  }

  async getRelease(id: number): Promise<Release> {
    const url = this.url('getRelease', { releaseId: id });
    const res = await this.call(
      `read release ${id}`,
      () => this.http.getJson(url, { headers: this.auth() }),
      `release ${id} does not exist in ${this.repository}, or the repository is not visible to the token`,
    );
    return this.toRelease(res.data, 'GET', url);
  }

  /** Every release, newest first, page by page (GitHub 100 a page, Gitea 50). */
  async *listReleases(): AsyncGenerator<Release> {
    const url = this.pagedUrl(this.url('listReleases'));
    const iterator = this.http.paginate<unknown>(url, { headers: this.auth() });
    while (true) {
      const next = await this.call('list the releases', () => iterator.next());
      if (next.done) return;
      yield this.toRelease(next.value, 'GET', url);
    }
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
    if (input.makeLatest && this.rules.makeLatest) json.make_latest = input.makeLatest;
    try {
      const res = await this.http.json('POST', this.url('createRelease'), {
        headers: this.auth(),
        json,
        idempotent: false,
      });
      return this.toRelease(res.data, 'POST', this.url('createRelease'));
    } catch (error) {
      const conflict = this.createConflict(input.tag, error);
      if (conflict) throw conflict;
      throw this.mapError(error, `create the release for tag ${input.tag}`);
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
    if (patch.makeLatest !== undefined && this.rules.makeLatest) json.make_latest = patch.makeLatest;
    const url = this.url('updateRelease', { releaseId: id });
    const res = await this.call(
      `update release ${id}`,
      () => this.http.json('PATCH', url, { headers: this.auth(), json }),
      `release ${id} does not exist in ${this.repository}`,
    );
    return this.toRelease(res.data, 'PATCH', url);
  }

  /** Deletes a release (not its tag). A release already gone counts as deleted. */
  async deleteRelease(id: number): Promise<void> {
    await this.call(`delete release ${id}`, () =>
      this.http.request('DELETE', this.url('deleteRelease', { releaseId: id }), {
        headers: this.auth(),
        allowStatus: [404],
      }),
    );
  }

  // --- assets ---

  /** The release's assets: GitHub pages them (100 a page); Gitea returns them all at once. */
  async listAssets(release: ReleaseRef): Promise<Asset[]> {
    const action = `list the assets of release ${release.id}`;
    const notFound = `release ${release.id} does not exist in ${this.repository}`;
    const url = this.url('listAssets', { releaseId: release.id });
    if (this.flavour === 'gitea') {
      const res = await this.call(
        action,
        () => this.http.getJson<unknown[]>(url, { headers: this.auth() }),
        notFound,
      );
      if (!Array.isArray(res.data)) {
        throw new UnexpectedAnswerError('a list of assets', 'not a JSON array', this.request('GET', url));
      }
      return res.data.map((raw) => this.toAsset(raw, release.tagName, 'GET', url));
    }
    const assets: Asset[] = [];
    const iterator = this.http.paginate<unknown>(this.pagedUrl(url), { headers: this.auth() });
    while (true) {
      const next = await this.call(action, () => iterator.next(), notFound);
      if (next.done) return assets;
      assets.push(this.toAsset(next.value, release.tagName, 'GET', url));
    }
  }

  /**
   * Uploads a file as an asset, streamed from disk with a fresh stream per attempt: a raw body on GitHub
   * and Gitea ≥ 1.22, `multipart/form-data` (field `attachment`) on older Gitea. Gitea accepts duplicate
   * names silently; GitHub refuses them (AssetConflictError), except that a `starter` asset left by a
   * broken upload is deleted and the upload made again, and an asset our own earlier attempt completed
   * is returned as the result.
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
    const size = file.size ?? (await stat(file.path)).size;
    const contentType = file.contentType || 'application/octet-stream';
    const notFound = `release ${release.id} does not exist in ${this.repository}`;

    if (this.flavour === 'gitea') {
      const url = this.withQuery(this.url('uploadAsset', { releaseId: release.id }), { name: file.name });
      const raw = acceptsRawUpload(await this.serverVersion());
      const multipart = raw
        ? undefined
        : multipartFile({
            field: 'attachment',
            fileName: file.name,
            path: file.path,
            size,
            fileContentType: contentType,
          });
      const res = await this.call(
        action,
        () =>
          this.http.request('POST', url, {
            headers: {
              ...this.auth(),
              accept: 'application/json',
              'content-type': multipart?.contentType ?? contentType,
            },
            body: multipart ? () => multipart.open() : () => createReadStream(file.path),
            contentLength: multipart ? multipart.length : size,
            onProgress: file.onProgress && ((sent) => file.onProgress?.(Math.min(sent, size), size)),
          }),
        notFound,
      );
      return this.toAsset(parseJson(res.body), release.tagName, 'POST', url);
    }

    // The release's upload_url comes from the server; the token follows it only to an origin it is meant for.
    const base =
      release.uploadUrl && this.tokenMayGoTo(release.uploadUrl)
        ? release.uploadUrl
        : this.githubUploadUrl(release.id);
    const url = this.withQuery(base, { name: file.name, label: file.label });
    const send = () =>
      this.http.request('POST', url, {
        headers: { ...this.auth(), accept: 'application/vnd.github+json', 'content-type': contentType },
        body: () => createReadStream(file.path),
        contentLength: size,
        onProgress: file.onProgress,
      });
    for (let round = 1; ; round++) {
      try {
        const res = await send();
        return this.toAsset(parseJson(res.body), release.tagName, 'POST', url);
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 422 && hasAlreadyExists(error.body))) {
          throw this.mapError(error, action, notFound);
        }
        const existing = (await this.listAssets(release)).find((a) => a.name === file.name);
        if (existing?.state === 'starter' && round === 1) {
          this.logger?.info(
            `Removing the broken upload of ${file.name} (asset ${existing.id}) before uploading again.`,
          );
          await this.deleteAsset(release.id, existing.id);
          continue;
        }
        if (existing && error.attempts > 1 && existing.state === 'uploaded' && existing.size === size) {
          // An earlier attempt of ours went through, but its answer was lost.
          return existing;
        }
        throw new AssetConflictError(
          file.name,
          `Could not ${action}: the release already has an asset named ${file.name} (GitHub allows one per name).`,
          error,
        );
      }
    }
  }

  /** Deletes an asset. Returns false when it was already gone (a parallel job, or an earlier attempt). */
  async deleteAsset(releaseId: number, assetId: number): Promise<boolean> {
    const res = await this.call(`delete asset ${assetId} of release ${releaseId}`, () =>
      this.http.request('DELETE', this.url('deleteAsset', { releaseId, assetId }), {
        headers: this.auth(),
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
      const url = this.url('renameAsset', { releaseId, assetId });
      const res = await this.http.json('PATCH', url, { headers: this.auth(), json: { name } });
      return this.toAsset(res.data, release.tagName, 'PATCH', url);
    } catch (error) {
      if (error instanceof HttpError && error.status === 422 && hasAlreadyExists(error.body)) {
        throw new AssetConflictError(
          name,
          `Could not ${action}: the release already has an asset named ${name}.`,
          error,
        );
      }
      throw this.mapError(
        error,
        action,
        `asset ${assetId} of release ${releaseId} does not exist in ${this.repository}`,
      );
    }
  }

  /**
   * Streams an asset's bytes to a file, optionally hashing them on the way. GitHub: the API asset route
   * with `Accept: application/octet-stream` (works for private repositories; the redirect to storage drops
   * the token). Gitea: the attachment's own `/attachments/{uuid}` link (exact among duplicates), with the
   * token only when it is on the API's or the server's host.
   */
  async downloadAsset(
    asset: Pick<Asset, 'id' | 'name' | 'downloadUrl' | 'uuid'>,
    toPath: string,
    options: DownloadAssetOptions = {},
  ): Promise<DownloadResult> {
    let url: string;
    let headers: Record<string, string>;
    if (this.flavour === 'github') {
      url = this.url('getAsset', { assetId: asset.id });
      headers = { ...this.auth(), accept: 'application/octet-stream' };
    } else {
      url = attachmentLink(asset.downloadUrl, asset.uuid, this.repository, this.serverUrl);
      headers = this.tokenMayGoTo(url) ? this.auth() : {};
    }
    return this.call(
      `download ${asset.name}`,
      () => this.http.download(url, toPath, { ...options, headers }),
      `asset ${asset.id} (${asset.name}) is not on the release, or has no bytes yet`,
    );
  }

  // --- packages (Gitea) ---

  /** The repository (`owner/name`) a package's newest version is linked to, '' when none; undefined when there is no such package. */
  async packageRepository(type: string, name: string): Promise<string | undefined> {
    const res = await this.call(`read package ${type}/${name}`, () =>
      this.http.getJson<{ repository?: { full_name?: unknown } | null }>(
        this.url('getLatestPackage', { packageType: type, packageName: name }),
        { headers: this.auth(), allowStatus: [404] },
      ),
    );
    if (res.status === 404) return undefined;
    const fullName = res.data?.repository?.full_name;
    return typeof fullName === 'string' ? fullName : '';
  }

  /** Links a package of the repository's owner to the repository. */
  async linkPackage(type: string, name: string): Promise<void> {
    await this.call(
      `link package ${type}/${name} to ${this.repository}`,
      () =>
        this.http.request('POST', this.url('linkPackage', { packageType: type, packageName: name }), {
          headers: this.auth(),
        }),
      `package ${type}/${name} of ${this.owner} or repository ${this.repository} was not found`,
    );
  }

  // --- plumbing ---

  /** The server's answer to `method url` as a release; a wrong shape names that request. */
  private toRelease(raw: unknown, method: string, url: string): Release {
    const release = this.shaped(method, url, () => toRelease(raw));
    if (this.flavour === 'gitea') {
      for (const asset of release.assets) asset.downloadUrl = this.stableLink(asset, release.tagName);
    }
    return release;
  }

  private toAsset(raw: unknown, tag: string, method: string, url: string): Asset {
    const asset = this.shaped(method, url, () => toAsset(raw));
    if (this.flavour === 'gitea') asset.downloadUrl = this.stableLink(asset, tag);
    return asset;
  }

  private shaped<T>(method: string, url: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof UnexpectedAnswerError) || error.request) throw error;
      throw new UnexpectedAnswerError(error.what, error.problem, this.request(method, url));
    }
  }

  /** `GET http://host/api/v1/...` for messages: query and credentials left out. */
  private request(method: string, url: string): string {
    return `${method} ${redactUrl(url.split('?')[0] ?? url)}`;
  }

  private stableLink(asset: Asset, tag: string): string {
    return byNameLink(asset.downloadUrl, this.repository, tag, asset.name);
  }

  /**
   * Whether a URL named by the server may receive the token: the exact origin (scheme, host, port) of the
   * API or of the web root, or the `uploads.` host of either (GitHub's uploads.github.com). Redirects
   * are held to the first URL's origin by the HTTP layer.
   */
  private tokenMayGoTo(url: string): boolean {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return false;
    }
    return [this.apiUrl, this.serverUrl].some((root) => {
      const trusted = new URL(root);
      if (target.origin === trusted.origin) return true;
      const uploads = new URL(trusted.origin);
      uploads.hostname = `uploads.${trusted.hostname.replace(/^api\./, '')}`;
      return target.origin === uploads.origin;
    });
  }

  private auth(): Record<string, string> {
    return this.rules.headers(this.token);
  }

  private url(name: RouteName, params: Partial<RouteParams> = {}): string {
    return this.apiUrl + routePath(this.flavour, name, { owner: this.owner, repo: this.repo, ...params });
  }

  private pagedUrl(url: string): string {
    const { param, size } = this.rules.page;
    return this.withQuery(url, { [param]: String(size) });
  }

  private withQuery(url: string, query: Record<string, string | undefined>): string {
    const parsed = new URL(url);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') parsed.searchParams.set(key, value);
    }
    return parsed.toString();
  }

  /** Where GitHub takes uploads when a release came without `upload_url`: uploads.github.com, or GHES `/api/uploads`. */
  private githubUploadUrl(releaseId: number): string {
    const path = routePath('github', 'uploadAsset', { owner: this.owner, repo: this.repo, releaseId });
    const api = new URL(this.apiUrl);
    if (api.hostname === 'api.github.com') return `https://uploads.github.com${path}`;
    return `${api.origin}${api.pathname.replace(/\/api\/v3$/, '')}/api/uploads${path}`;
  }

  private createConflict(tag: string, error: unknown): ReleaseConflictError | undefined {
    const where = `${this.repository}`;
    if (error instanceof HttpError) {
      const exists = this.rules.releaseExists(error);
      if (exists) {
        const message = `A release for tag ${tag} already exists on ${where} (${exists}).`;
        return new ReleaseConflictError(tag, 'exists', error.status, message, error);
      }
      if (error.status >= 500) {
        return new ReleaseConflictError(
          tag,
          'uncertain',
          error.status,
          `Creating the release for tag ${tag} on ${where} ended with ${error.status}; it may or may not exist now.${this.rules.uncertainCreateHint}`,
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

  private context(action: string, notFound?: string): ErrorContext {
    const ctx: ErrorContext = {
      flavour: this.flavour,
      repository: this.repository,
      apiUrl: redactUrl(this.apiUrl),
      action,
      secrets: [this.token],
    };
    if (notFound) ctx.notFound = notFound;
    return ctx;
  }

  private mapError(error: unknown, action: string, notFound?: string): unknown {
    return toForgeError(error, this.context(action, notFound));
  }

  /** Runs a request, mapping its failure to a ForgeError. */
  private async call<T>(action: string, fn: () => Promise<T>, notFound?: string): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.mapError(error, action, notFound);
    }
  }

  private safe(text: string): string {
    return scrubSecrets(text, [this.token]);
  }
}
