// Per-request state handed to route handlers, and the server-wide pieces they share.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Conversion } from './conversion.js';
import type { Fault } from './faults.js';
import type { Storage } from './storage.js';
import type { Store } from './store.js';
import type { Api, Flavour, RecordedRequest, WebhookDelivery } from './types.js';

export interface Core {
  flavour: Flavour;
  api: Api;
  /** What `/version` answers (Forgejo: `11.0.3+gitea-1.22.0`). */
  version: string;
  url: string;
  apiUrl: string;
  uploadsUrl: string;
  giteaVersion: string;
  maxAssetSize: number;
  store: Store;
  storage: Storage;
  /** `owner/name tag` (tag lower-cased on Gitea) of creates between their checks and their commit. */
  inFlightCreates: Set<string>;
  /** Keys of in-flight creates a lost race leaves dated 1970-01-01 (`epochDateOnCreateRace`). */
  epochDated: Set<string> | undefined;
  /** Gitea: pushed tags being converted into a release, by the same key. */
  conversions: Map<string, Conversion>;
  /** Release webhooks fired (Gitea and Forgejo). */
  webhooks: WebhookDelivery[];
}

export class RequestContext {
  readonly url: URL;
  params: Record<string, string> = {};
  /** Canonical `owner/name` once the repository was resolved. */
  repo = '';
  /** Set when a delay or hold fault matched: applied at the handler's checkpoint. */
  waitFault?: Fault;
  /** Told each time more of an upload's body has been stored (the server's `body` event). */
  onBody?: () => void;
  /** Set by an `after` status fault: the request is handled, then this answer replaces the real one. */
  replaceAnswer?: { status: number; retryAfter?: number; headers?: Record<string, string> };
  private waited = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly core: Core,
    readonly record: RecordedRequest,
    /** The request body (wrapped when a mid-body reset is armed); read it instead of `req`. */
    readonly body: Readable,
  ) {
    this.url = new URL(req.url ?? '/', core.url);
  }

  /** Records how much of an upload's body is stored so far. */
  readonly bodyReceived = (bytes: number): void => {
    this.record.bodyBytes = bytes;
    this.onBody?.();
  };

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  /**
   * Where delay and hold faults take effect. Handlers that change state call it between their checks
   * and their commit (so a held create keeps its tag in flight); the router calls it for the others.
   */
  async checkpoint(): Promise<void> {
    if (this.waited) return;
    this.waited = true;
    await this.waitFault?.wait();
  }

  json(status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
    if (this.answerReplaced()) return;
    const text = JSON.stringify(value);
    this.send(status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    this.res.end(text);
  }

  empty(status: number, headers: OutgoingHttpHeaders = {}): void {
    if (this.answerReplaced()) return;
    this.send(status, headers);
    this.res.end();
  }

  /** A flavour-shaped error body: Gitea `{message, url}`, GitHub `{message, documentation_url, status}`. */
  error(
    status: number,
    message: string,
    extra: Record<string, unknown> = {},
    headers: OutgoingHttpHeaders = {},
  ): void {
    const body =
      this.core.api === 'gitea'
        ? { message, url: `${this.core.url}/api/swagger`, ...extra }
        : { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra };
    this.json(status, body, headers);
  }

  /** Sends the `after` fault's answer in place of the real one, once. */
  private answerReplaced(): boolean {
    const replacement = this.replaceAnswer;
    if (!replacement) return false;
    this.replaceAnswer = undefined;
    const headers: Record<string, string> = { ...replacement.headers };
    if (replacement.retryAfter !== undefined) headers['retry-after'] = String(replacement.retryAfter);
    this.error(replacement.status, `fault injected after handling: ${replacement.status}`, {}, headers);
    return true;
  }

  private send(status: number, headers: OutgoingHttpHeaders): void {
    if (this.res.headersSent || this.res.destroyed) return;
    this.res.writeHead(status, headers);
  }
}
