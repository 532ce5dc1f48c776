/** Errors of the HTTP layer. Their messages hold the method, a redacted URL and the server's words, never a credential. */

/** The server answered with a status we do not accept (after any retries). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    /** Redacted: no user info, no credential-like query values. */
    readonly url: string,
    /** The server's own message (JSON `message`, else the start of the body), or ''. */
    readonly serverMessage: string,
    /** The parsed JSON body, when the body was JSON. */
    readonly body: unknown,
    readonly headers: Record<string, string | string[] | undefined>,
    /** How many attempts were made, the last one included. */
    readonly attempts: number,
  ) {
    super(`${method} ${url} answered ${status}${serverMessage ? `: ${serverMessage}` : ''}`);
    this.name = 'HttpError';
  }
}

/** No usable answer: connection refused or reset, timeout, a body cut short (after any retries). */
export class NetworkError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    /** `ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, `EPIPE`, ... or `EUNKNOWN`. */
    readonly code: string,
    detail: string,
    readonly attempts: number,
    /** Set when the last attempt ran out of its total time (DeadlineError): that time, in seconds. */
    readonly timeoutSeconds?: number,
  ) {
    super(`${method} ${url} failed: ${detail}`);
    this.name = 'NetworkError';
  }
}

/**
 * An attempt got no complete answer (headers and whole body, redirects included) within its total time.
 * Retried like any timeout for idempotent requests.
 */
export class DeadlineError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly seconds: number) {
    super(`no complete answer within ${seconds} s`);
    this.name = 'DeadlineError';
  }
}

/** A local problem with the request body (file unreadable or changed size while streaming): never retried. */
export class BodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyError';
  }
}

/** Download verification failed: fewer or more bytes than announced. Retried like a cut connection. */
export class TruncatedBodyError extends Error {
  readonly code = 'ETRUNCATED';
  constructor(expected: number, received: number) {
    super(`body cut short: expected ${expected} bytes, received ${received}`);
    this.name = 'TruncatedBodyError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETRUNCATED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

/** A name for what went wrong on the wire, for retry decisions and messages. */
export function networkErrorCode(error: unknown): string {
  const err = error as { code?: unknown; message?: unknown };
  if (typeof err?.code === 'string' && err.code) return err.code;
  const message = typeof err?.message === 'string' ? err.message : '';
  if (/socket hang up/i.test(message)) return 'ECONNRESET';
  if (/^aborted$/i.test(message)) return 'ECONNRESET';
  // @actions/http-client times out with `Request timeout: <path>`.
  if (/timeout/i.test(message)) return 'ETIMEDOUT';
  return 'EUNKNOWN';
}

/** Connection-level failures worth another attempt. */
export function isTransientNetworkError(error: unknown): boolean {
  return TRANSIENT_CODES.has(networkErrorCode(error));
}

/** True when the request certainly never reached the server, so even a non-idempotent one may be resent. */
export function wasNotSent(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code === 'ECONNREFUSED' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH';
}

/** True for errors where trying again may succeed (the HTTP layer already did, up to its retry count). */
export function isTransient(error: unknown): boolean {
  if (error instanceof HttpError) return error.status >= 500 || error.status === 408 || error.status === 429;
  if (error instanceof NetworkError) return TRANSIENT_CODES.has(error.code);
  return false;
}
