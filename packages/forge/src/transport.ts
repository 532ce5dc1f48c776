// The plumbing every forge adapter and the shared client algorithms use: the HTTP client, the repository's
// URLs, the token's headers, error mapping and the shape check of answers. Nothing here differs by forge
// except through the adapter's own records (headers, page size, routes).
import type { Logger } from '@forge-actions/action-kit/errors';
import { type HttpClient, redactUrl } from '@forge-actions/http';
import { type ErrorContext, type ErrorHints, toForgeError } from './errors.js';
import { type Asset, type Release, toAsset, toRelease, UnexpectedAnswerError } from './models.js';
import { type Api, type RouteName, type RouteParams, routePath } from './routes.js';

/** What the transport needs to know of a forge (the rest of its ForgeAdapter is for the client). */
export interface WireRules {
  /** Which official API description the routes follow. */
  readonly routes: Api;
  /** What messages call the forge, and what they advise per status. */
  readonly hints: ErrorHints;
  /** Headers every request carries: the token's scheme, and GitHub's media type and API version. */
  headers(token: string): Record<string, string>;
  /** The query parameter and the size of a full page. */
  readonly page: { param: string; size: number };
  /** The link handed to users for an asset of `repository`'s release tagged `tag`. */
  publicLink(asset: Asset, tag: string, repository: string): string;
}

export interface TransportConfig {
  adapter: WireRules;
  http: HttpClient;
  apiUrl: string;
  serverUrl: string;
  owner: string;
  repo: string;
  token: string;
  logger: Logger | undefined;
}

export class Transport {
  readonly adapter: WireRules;
  readonly http: HttpClient;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  readonly logger: Logger | undefined;

  constructor(config: TransportConfig) {
    this.adapter = config.adapter;
    this.http = config.http;
    this.apiUrl = config.apiUrl;
    this.serverUrl = config.serverUrl;
    this.owner = config.owner;
    this.repo = config.repo;
    this.token = config.token;
    this.logger = config.logger;
  }

  get repository(): string {
    return `${this.owner}/${this.repo}`;
  }

  auth(): Record<string, string> {
    return this.adapter.headers(this.token);
  }

  url(name: RouteName, params: Partial<RouteParams> = {}): string {
    return (
      this.apiUrl + routePath(this.adapter.routes, name, { owner: this.owner, repo: this.repo, ...params })
    );
  }

  pagedUrl(url: string): string {
    const { param, size } = this.adapter.page;
    return this.withQuery(url, { [param]: String(size) });
  }

  withQuery(url: string, query: Record<string, string | undefined>): string {
    const parsed = new URL(url);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') parsed.searchParams.set(key, value);
    }
    return parsed.toString();
  }

  /** Every item of a paged list, page by page, each read by `read`. */
  async *paged<T>(
    url: string,
    action: string,
    read: (raw: unknown) => T,
    notFound?: string,
  ): AsyncGenerator<T> {
    const iterator = this.http.paginate<unknown>(this.pagedUrl(url), { headers: this.auth() });
    while (true) {
      const next = await this.call(action, () => iterator.next(), notFound);
      if (next.done) return;
      yield read(next.value);
    }
  }

  /** The server's answer to `method url` as a release, with the links the adapter hands out. */
  release(raw: unknown, method: string, url: string): Release {
    const release = this.shaped(method, url, () => toRelease(raw));
    for (const asset of release.assets)
      asset.downloadUrl = this.adapter.publicLink(asset, release.tagName, this.repository);
    return release;
  }

  asset(raw: unknown, tag: string, method: string, url: string): Asset {
    const asset = this.shaped(method, url, () => toAsset(raw));
    asset.downloadUrl = this.adapter.publicLink(asset, tag, this.repository);
    return asset;
  }

  /** `GET http://host/api/v1/...` for messages: query and credentials left out. */
  request(method: string, url: string): string {
    return `${method} ${redactUrl(url.split('?')[0] ?? url)}`;
  }

  /**
   * Whether a URL named by the server may receive the token: the exact origin (scheme, host, port) of the
   * API or of the web root, or the `uploads.` host of either (GitHub's uploads.github.com). Redirects
   * are held to the first URL's origin by the HTTP layer.
   */
  tokenMayGoTo(url: string): boolean {
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

  mapError(error: unknown, action: string, notFound?: string): unknown {
    const ctx: ErrorContext = {
      hints: this.adapter.hints,
      repository: this.repository,
      apiUrl: redactUrl(this.apiUrl),
      action,
      secrets: [this.token],
    };
    if (notFound) ctx.notFound = notFound;
    return toForgeError(error, ctx);
  }

  /** Runs a request, mapping its failure to a ForgeError. */
  async call<T>(action: string, fn: () => Promise<T>, notFound?: string): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.mapError(error, action, notFound);
    }
  }

  private shaped<T>(method: string, url: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof UnexpectedAnswerError) || error.request) throw error;
      throw new UnexpectedAnswerError(error.what, error.problem, this.request(method, url));
    }
  }
}
