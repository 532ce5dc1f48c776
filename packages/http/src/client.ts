import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import * as httpModule from 'node:http';
import * as httpsModule from 'node:https';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpClient as ActionsHttpClient } from '@actions/http-client';
import type { RequestInfo } from '@actions/http-client/lib/interfaces';
import type { Logger } from '@forge-actions/action-kit/errors';
import {
  type BackoffOptions,
  backoffDelay,
  isRateLimited,
  isRetryableStatus,
  serverRequestedDelay,
} from './backoff.js';
import { type BodyFactory, materialiseBody } from './body.js';
import { DEFAULT_FLOOR_BYTES_PER_SECOND, DEFAULT_TIMEOUT_MS, Deadline } from './deadline.js';
import {
  BodyError,
  DeadlineError,
  HttpError,
  isTransientNetworkError,
  NetworkError,
  networkErrorCode,
  TruncatedBodyError,
  wasNotSent,
} from './errors.js';
import { nextPageUrl } from './link.js';
import { redactUrl, scrubSecrets, secretsOfAuthorization } from './redact.js';
import { Spacer } from './spacing.js';

type Headers = Record<string, string | string[] | undefined>;

export interface HttpClientOptions {
  userAgent?: string;
  /** Sent with every request (e.g. Authorization). Values of `authorization` are scrubbed from all texts. */
  headers?: Record<string, string>;
  /** Retries after the first attempt (default 4, so at most 5 attempts). */
  retries?: number;
  /** Cap of the first backoff (default 1000 ms), doubled per retry up to `maxDelayMs` (default 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest server-requested wait (Retry-After, rate-limit reset) still honoured (default 10 min); beyond it the request fails. */
  maxServerDelayMs?: number;
  /** Wait after a rate-limit answer that names no time (default 60 s, as GitHub asks). */
  rateLimitFallbackMs?: number;
  /** Minimum time between the starts of mutating requests (POST/PUT/PATCH/DELETE), default 0. */
  mutationSpacingMs?: number;
  /** Idle socket timeout (default: http-client's 3 min). */
  socketTimeoutMs?: number;
  /**
   * Total time of one attempt (headers, whole body, redirects), default 120 s; transfers get their size
   * at `transferFloorBytesPerSecond` on top (see Deadline). 0 or Infinity: no total limit.
   */
  timeoutMs?: number;
  /** The slowest average rate a transfer may keep, for the deadline (default 256 KiB/s). */
  transferFloorBytesPerSecond?: number;
  /**
   * Shown instead of the URL in every log line and error text, for URLs that are themselves the secret
   * (a webhook): no spelling of such a URL (as given, normalised, redacted) is ever printed.
   */
  label?: string;
  /** Reuse connections (default true). Call dispose() when done. */
  keepAlive?: boolean;
  /** Further values to keep out of error texts and logs. */
  secrets?: string[];
  logger?: Logger;
  /** Injectable for tests: waiting, the clock, and the jitter source. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Called once per attempt, so every attempt gets a fresh stream. */
  body?: BodyFactory;
  /** Required for a streamed body; computed for strings and buffers. */
  contentLength?: number;
  /**
   * Default true. When false (e.g. creating a release), only failures that prove the server did not act
   * are retried: connection refused, 408, 429 and rate limits. A 5xx or a reset may have created the
   * resource, so the caller decides (look it up, then try again).
   */
  idempotent?: boolean;
  /** Non-2xx statuses returned to the caller instead of thrown (never retried), e.g. [404]. */
  allowStatus?: number[];
  /** Upload progress: bytes read from the body so far, and the total. */
  onProgress?: (bytes: number, total: number) => void;
  /** Overrides the client's retry count for this request. */
  retries?: number;
  /** Overrides the client's `timeoutMs` for this request. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /** Attempts made, the successful one included (more than 1 means earlier attempts failed). */
  attempts: number;
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON; undefined for an empty body. */
  data: T;
  attempts: number;
}

export interface DownloadOptions {
  headers?: Record<string, string>;
  /** Bytes written so far, and the total when the server announced it. */
  onProgress?: (bytes: number, total: number | undefined) => void;
  /** Compute the SHA-256 of the bytes while they stream to disk. */
  sha256?: boolean;
  retries?: number;
  /** Overrides the client's `timeoutMs` (the base; the size at the floor rate is still added). */
  timeoutMs?: number;
}

export interface DownloadResult {
  bytes: number;
  /** Lower-case hex, when asked for. */
  sha256?: string;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;
/** Headers that carry credentials: dropped when a redirect leaves the origin they were meant for. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads a whole response body; rejects when the connection breaks mid-body (http-client's readBody would hang). */
async function readAll(message: IncomingMessage, onBytes?: (bytes: number) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) {
    chunks.push(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
  return Buffer.concat(chunks);
}

/** The server's own words: JSON `message` (GitHub and Gitea), else the start of a text body. */
function serverMessageOf(body: Buffer, parsed: unknown): string {
  const json = parsed as { message?: unknown; errors?: unknown } | undefined;
  if (json && typeof json === 'object') {
    const parts: string[] = [];
    if (typeof json.message === 'string' && json.message) parts.push(json.message);
    if (Array.isArray(json.errors)) {
      for (const item of json.errors) {
        if (typeof item === 'string') parts.push(item);
        else if (item && typeof item === 'object') {
          const e = item as { message?: unknown; code?: unknown; field?: unknown; resource?: unknown };
          if (typeof e.message === 'string') parts.push(e.message);
          else if (typeof e.code === 'string') {
            parts.push([e.resource, e.field, e.code].filter((x) => typeof x === 'string').join(' '));
          }
        }
      }
    }
    return parts.join('; ').slice(0, 500);
  }
  const text = body.toString('utf8').trim();
  // HTML error pages say nothing useful in one line.
  if (/^<(!doctype|html)/i.test(text)) return '';
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

/** A JSON body, or undefined when it is empty or not JSON (the caller checks the shape anyway). */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

interface Attempted<R> {
  value: R;
  attempts: number;
}

/** What one attempt has open, so that it can be closed whatever happens. */
interface Open {
  data?: string | Readable | null;
  res?: IncomingMessage;
}

/**
 * The one HTTP layer of the suite, on @actions/http-client (proxy support, user agent): retries with
 * exponential backoff and full jitter for 5xx, 408, 429 and connection failures, honouring `retry-after`
 * and `x-ratelimit-reset`; never retries other 4xx. Credentials never reach an error or a log line, nor
 * another origin through a redirect (see exchange). Every attempt has a total deadline (see Deadline).
 */
export class HttpClient {
  private readonly client: ActionsHttpClient;
  private readonly retries: number;
  private readonly backoff: BackoffOptions;
  private readonly maxServerDelayMs: number;
  private readonly rateLimitFallbackMs: number;
  private readonly defaultHeaders: Record<string, string>;
  private readonly secrets: string[];
  private readonly logger: Logger | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly spacer: Spacer;
  private readonly timeoutMs: number;
  private readonly floorBytesPerSecond: number;
  private readonly label: string | undefined;

  constructor(options: HttpClientOptions = {}) {
    this.retries = Math.max(0, options.retries ?? 4);
    this.backoff = { baseDelayMs: options.baseDelayMs ?? 1000, maxDelayMs: options.maxDelayMs ?? 30_000 };
    this.maxServerDelayMs = options.maxServerDelayMs ?? 600_000;
    this.rateLimitFallbackMs = options.rateLimitFallbackMs ?? 60_000;
    this.defaultHeaders = { ...(options.headers ?? {}) };
    this.logger = options.logger;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.spacer = new Spacer(options.mutationSpacingMs ?? 0, this.now, this.sleep);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.floorBytesPerSecond = options.transferFloorBytesPerSecond ?? DEFAULT_FLOOR_BYTES_PER_SECOND;
    this.label = options.label;
    const auth = Object.entries(this.defaultHeaders).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    this.secrets = [...secretsOfAuthorization(auth), ...(options.secrets ?? [])];
    this.client = new ActionsHttpClient(options.userAgent ?? 'forge-actions', [], {
      keepAlive: options.keepAlive ?? true,
      // GitHub allows at most 100 concurrent requests; callers bound their own concurrency well below.
      maxSockets: 100,
      socketTimeout: options.socketTimeoutMs,
      // Our own retry loop decides; http-client's would resend non-idempotent requests blindly.
      allowRetries: false,
      // Redirects are followed by exchange(): relative locations, exact-origin credentials, fresh bodies.
      allowRedirects: false,
    });
  }

  /** Frees pooled connections. */
  dispose(): void {
    this.client.dispose();
  }

  /** Text safe to show: no credential values, URLs redacted. */
  safe(text: string): string {
    return scrubSecrets(text, this.secrets);
  }

  /** A request whose whole body is read into memory (API calls). Throws HttpError / NetworkError. */
  async request(method: string, url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const { value, attempts } = await this.execute(method, url, options, async (res, deadline) => ({
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: await readAll(res, (n) => deadline.progress(n)),
    }));
    return { ...value, attempts };
  }

  /** JSON in, JSON out. `json` is the request body; `Accept: application/json` unless headers say otherwise. */
  async json<T>(
    method: string,
    url: string,
    options: Omit<RequestOptions, 'body' | 'contentLength'> & { json?: unknown } = {},
  ): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...lower(options.headers) };
    let body: BodyFactory | undefined;
    if (options.json !== undefined) {
      const text = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
      body = () => text;
    }
    const res = await this.request(method, url, { ...options, headers, body });
    return {
      status: res.status,
      headers: res.headers,
      data: parseJson(res.body) as T,
      attempts: res.attempts,
    };
  }

  getJson<T>(
    url: string,
    options: Omit<RequestOptions, 'body' | 'contentLength'> = {},
  ): Promise<JsonResponse<T>> {
    return this.json<T>('GET', url, options);
  }

  /**
   * Every item of a paged JSON array, following `Link: rel="next"`. A next link on another origin (Gitea
   * builds them from its ROOT_URL, which may differ from the address the runner reaches) is not followed
   * as is: its query (the page parameters) is applied to the current URL, so credentials stay on one host.
   */
  async *paginate<T>(
    url: string,
    options: Omit<RequestOptions, 'body' | 'contentLength'> = {},
  ): AsyncGenerator<T> {
    let next: string | undefined = url;
    const seen = new Set<string>();
    while (next && !seen.has(next)) {
      seen.add(next);
      const res: JsonResponse<T[]> = await this.getJson<T[]>(next, options);
      if (!Array.isArray(res.data)) {
        throw new HttpError(
          res.status,
          'GET',
          this.shown(next),
          'expected a JSON array',
          res.data,
          res.headers,
          1,
        );
      }
      yield* res.data;
      const link = nextPageUrl(res.headers.link, next);
      if (link && new URL(link).origin !== new URL(next).origin) {
        const rebased: URL = new URL(next);
        rebased.search = new URL(link).search;
        next = rebased.toString();
      } else {
        next = link;
      }
    }
  }

  /**
   * Streams a GET response to `toPath` (through `toPath.part`, renamed when complete), optionally hashing
   * while it streams. A broken or short body is retried from the start.
   */
  async download(url: string, toPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    const partial = `${toPath}.part`;
    await mkdir(dirname(toPath), { recursive: true });
    try {
      const { value } = await this.execute(
        'GET',
        url,
        { headers: options.headers, retries: options.retries, timeoutMs: options.timeoutMs },
        async (res, deadline) => {
          const header = res.headers['content-length'];
          const total = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
          const hash = options.sha256 ? createHash('sha256') : undefined;
          let bytes = 0;
          const tap = new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              bytes += chunk.length;
              deadline.progress(chunk.length);
              hash?.update(chunk);
              options.onProgress?.(bytes, total);
              callback(null, chunk);
            },
          });
          await pipeline(res, tap, createWriteStream(partial));
          if (total !== undefined && bytes !== total) throw new TruncatedBodyError(total, bytes);
          return { bytes, sha256: hash?.digest('hex') };
        },
      );
      await rename(partial, toPath);
      return value.sha256 === undefined ? { bytes: value.bytes } : value;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** The retry loop shared by every request; `consume` reads a successful (or allowed) response. */
  private async execute<R>(
    method: string,
    url: string,
    options: RequestOptions,
    consume: (res: IncomingMessage, deadline: Deadline) => Promise<R>,
  ): Promise<Attempted<R>> {
    const verb = method.toUpperCase();
    const shownUrl = this.shown(url);
    const retries = Math.max(0, options.retries ?? this.retries);
    const idempotent = options.idempotent ?? true;
    for (let attempt = 1; ; attempt++) {
      const left = attempt <= retries;
      if (MUTATING.has(verb)) {
        await this.spacer.turn((ms) => this.logger?.debug(`Spacing mutating requests: waiting ${ms} ms`));
      }
      const deadline = new Deadline(options.timeoutMs ?? this.timeoutMs, this.floorBytesPerSecond);
      const open: Open = {};
      deadline.whenExpired(() => {
        if (open.res && !open.res.complete) open.res.destroy(deadline.expired);
      });
      try {
        const res = await this.exchange(verb, url, options, deadline, open, attempt);
        const status = res.statusCode ?? 0;
        this.logger?.debug(`${verb} ${shownUrl} → ${status}`);
        if ((status >= 200 && status < 300) || options.allowStatus?.includes(status)) {
          const length = res.headers['content-length'];
          if (length !== undefined && /^\d+$/.test(length)) deadline.announce(Number(length));
          return { value: await consume(res, deadline), attempts: attempt };
        }
        const body = await readAll(res, (n) => deadline.progress(n));
        const parsed = parseJson(body);
        const message = this.safe(serverMessageOf(body, parsed));
        const rateLimited = isRateLimited(status, res.headers, message);
        const retryable =
          rateLimited || status === 408 || status === 429 || (idempotent && isRetryableStatus(status));
        const error = new HttpError(status, verb, shownUrl, message, parsed, res.headers, attempt);
        if (!retryable || !left) throw error;
        const requested = serverRequestedDelay(res.headers, this.now());
        let delay = requested ?? backoffDelay(attempt, this.backoff, this.random);
        if (rateLimited && requested === undefined) delay = Math.max(delay, this.rateLimitFallbackMs);
        if (delay > this.maxServerDelayMs) {
          this.logger?.warning(
            `${verb} ${shownUrl}: the server asks to wait ${Math.ceil(delay / 1000)} s, longer than allowed; giving up`,
          );
          throw error;
        }
        deadline.clear();
        await this.pause(verb, shownUrl, `answered ${status}`, attempt, retries, delay);
      } catch (caught) {
        if (caught instanceof HttpError || caught instanceof BodyError) throw caught;
        // Whatever broke when the time ran out (an abort, a destroyed body) broke because of it.
        const error = deadline.expired ?? caught;
        const code = networkErrorCode(error);
        // A response that broke mid-body on a non-idempotent request is as uncertain as a 5xx.
        const mayRetry =
          isTransientNetworkError(error) && (idempotent || (open.res === undefined && wasNotSent(error)));
        if (!mayRetry || !left) {
          throw new NetworkError(
            verb,
            shownUrl,
            code,
            this.describe(error, url),
            attempt,
            error instanceof DeadlineError ? error.seconds : undefined,
          );
        }
        deadline.clear();
        await this.pause(
          verb,
          shownUrl,
          code,
          attempt,
          retries,
          backoffDelay(attempt, this.backoff, this.random),
        );
      } finally {
        deadline.clear();
        if (open.data instanceof Readable) open.data.destroy();
        if (open.res && !open.res.complete) open.res.destroy();
      }
    }
  }

  /**
   * One attempt's request, following redirects itself (http-client's own following fails on a relative
   * Location, resends a spent body stream, and keeps the token for another port or scheme of the host):
   * a Location resolves against the URL it answered; credential headers go to the origin (scheme, host,
   * port) of the first URL only, and stay dropped once a redirect left it; https never downgrades to
   * http; 303 turns into a GET without body, the other codes resend the method with a fresh body.
   * Returns the first response that is not a redirect to follow.
   */
  private async exchange(
    verb: string,
    url: string,
    options: RequestOptions,
    deadline: Deadline,
    open: Open,
    attempt: number,
  ): Promise<IncomingMessage> {
    const origin = new URL(url).origin;
    let method = verb;
    let current = url;
    let withBody = options.body !== undefined;
    const headers: OutgoingHttpHeaders = { ...lower(this.defaultHeaders), ...lower(options.headers) };
    for (let hop = 0; ; hop++) {
      const sent: OutgoingHttpHeaders = { ...headers };
      open.data = null;
      open.res = undefined;
      if (withBody && options.body) {
        const body = materialiseBody(options.body(), options.contentLength, options.onProgress);
        open.data = body.data;
        sent['content-length'] = body.length;
        if (hop === 0) deadline.announce(body.length);
      }
      const res = (await this.client.requestRaw(this.requestInfo(method, current, sent, deadline), open.data))
        .message;
      open.res = res;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (!REDIRECTS.has(status) || !location || options.allowStatus?.includes(status)) return res;
      // Read the redirect's own body so the connection can be reused; the next hop gets a new body.
      await readAll(res, (n) => deadline.progress(n));
      if (open.data instanceof Readable) open.data.destroy();
      const refuse = (why: string) =>
        new HttpError(status, verb, this.shown(url), why, undefined, res.headers, attempt);
      if (hop >= MAX_REDIRECTS) throw refuse(`more than ${MAX_REDIRECTS} redirects`);
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw refuse('redirected to a Location that is not a URL');
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw refuse(`redirected to a ${this.label ? 'non-http' : next.protocol} URL`);
      }
      if (new URL(current).protocol === 'https:' && next.protocol === 'http:') {
        throw refuse('redirected from https to http, which would expose the request; not followed');
      }
      if (next.origin !== origin) {
        for (const name of CREDENTIAL_HEADERS) delete headers[name];
      }
      if (status === 303 && method !== 'HEAD') {
        method = 'GET';
        withBody = false;
        delete headers['content-type'];
      }
      this.logger?.debug(
        `${verb} ${this.shown(url)} → ${status}, following to ${this.label ? 'another location' : redactUrl(next)}`,
      );
      current = next.toString();
    }
  }

  /** What http-client's requestRaw needs for one request, with this attempt's abort signal. */
  private requestInfo(
    method: string,
    url: string,
    headers: OutgoingHttpHeaders,
    deadline: Deadline,
  ): RequestInfo {
    const parsedUrl = new URL(url);
    const secure = parsedUrl.protocol === 'https:';
    const all: OutgoingHttpHeaders = { ...headers };
    if (this.client.userAgent != null) all['user-agent'] = this.client.userAgent;
    return {
      parsedUrl,
      httpModule: secure ? httpsModule : httpModule,
      options: {
        // http.request wants an IPv6 address without its brackets.
        host: parsedUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: parsedUrl.port ? Number(parsedUrl.port) : secure ? 443 : 80,
        path: parsedUrl.pathname + parsedUrl.search,
        method,
        headers: all,
        // The proxy-aware agent http-client would use (HTTPS_PROXY, NO_PROXY).
        agent: this.client.getAgent(url),
        signal: deadline.signal,
      },
    };
  }

  /** The URL as logs and errors may show it: the label, else redacted. */
  private shown(url: string): string {
    return this.label ?? redactUrl(url);
  }

  private async pause(
    verb: string,
    url: string,
    reason: string,
    attempt: number,
    retries: number,
    delay: number,
  ): Promise<void> {
    this.logger?.info(
      `${verb} ${url} ${reason}; retry ${attempt}/${retries} in ${(delay / 1000).toFixed(1)} s`,
    );
    await this.sleep(delay);
  }

  /** A one-line account of a connection failure without the raw URL (its query may hold a token). */
  private describe(error: unknown, url: string): string {
    if (error instanceof DeadlineError) return error.message;
    const code = networkErrorCode(error);
    // A labelled URL is the secret itself, in whatever spelling a message might hold: the code only.
    if (this.label) return code;
    let message = error instanceof Error ? error.message : String(error);
    try {
      const parsed = new URL(url);
      const raw = parsed.pathname + parsed.search;
      if (raw.length > 1) message = message.split(raw).join(new URL(redactUrl(url)).pathname);
      message = message.split(url).join(redactUrl(url));
    } catch {
      // keep the message as it is
    }
    message = this.safe(message);
    return message && message !== code ? `${code} (${message})` : code;
  }
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}
