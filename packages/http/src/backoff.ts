/** How long to wait before the next attempt: the pure part of the retry policy, so it can be unit-tested. */

export interface BackoffOptions {
  /** Delay cap of the first retry, doubled each retry (full jitter picks a value in [0, cap)). */
  baseDelayMs: number;
  /** Upper bound of the exponential cap. */
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter: a uniform pick in [0, min(max, base * 2^(retry-1))).
 * Full jitter spreads parallel jobs that failed together, which a fixed schedule would keep in lockstep.
 * `retry` counts from 1 (the first retry).
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * cap);
}

/**
 * `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds from
 * `now`, never negative, or undefined when the header is absent or unreadable.
 * @internal Exported for its unit tests.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // A bare number in another shape (negative, exponent) is not a date either.
  if (/^[-+\d.eE]+$/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Margin added to `x-ratelimit-reset`, which has one-second resolution and the server's clock.
 * @internal Exported for its unit tests.
 */
export const RATE_LIMIT_RESET_MARGIN_MS = 1000;

/**
 * What the server said about when to come back, in the order GitHub documents: `retry-after`, then
 * `x-ratelimit-reset` (epoch seconds) when `x-ratelimit-remaining` is 0. Undefined when it said nothing.
 */
export function serverRequestedDelay(headers: HeaderBag, now: number): number | undefined {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  if (header(headers, 'x-ratelimit-remaining')?.trim() === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) {
      return Math.max(0, reset * 1000 - now) + RATE_LIMIT_RESET_MARGIN_MS;
    }
  }
  return undefined;
}

/**
 * A rate-limit answer: 429, or a 403 that carries rate-limit signals (GitHub's primary limit is a 403 with
 * `x-ratelimit-remaining: 0`, its secondary limits a 403 with `retry-after` or a message saying so).
 * Any other 403 is a permission problem and is not retried.
 */
export function isRateLimited(status: number, headers: HeaderBag, message: string | undefined): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  if (header(headers, 'retry-after') !== undefined) return true;
  if (header(headers, 'x-ratelimit-remaining')?.trim() === '0') return true;
  return /rate limit/i.test(message ?? '');
}

/** Statuses that say "try again": server errors, request timeout, too many requests. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
