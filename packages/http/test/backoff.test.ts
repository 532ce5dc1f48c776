import { describe, expect, test } from '@jest/globals';
import {
  backoffDelay,
  isRateLimited,
  isRetryableStatus,
  parseRetryAfter,
  RATE_LIMIT_RESET_MARGIN_MS,
  serverRequestedDelay,
} from '../src/backoff.js';

const opts = { baseDelayMs: 1000, maxDelayMs: 30_000 };

describe('backoffDelay (exponential, full jitter)', () => {
  test('the cap doubles per retry and random picks within [0, cap)', () => {
    expect(backoffDelay(1, opts, () => 0.5)).toBe(500);
    expect(backoffDelay(2, opts, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(2000);
    expect(backoffDelay(4, opts, () => 0.999)).toBe(7992);
    expect(backoffDelay(1, opts, () => 0)).toBe(0);
  });

  test('the cap stops at maxDelayMs', () => {
    expect(backoffDelay(10, opts, () => 0.5)).toBe(15_000);
    expect(backoffDelay(50, opts, () => 0.999)).toBe(29_970);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  test('delta-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });
  test('HTTP date, measured from now, never negative', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });
  test('absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('serverRequestedDelay', () => {
  const now = 1_800_000_000_000;
  test('retry-after wins over x-ratelimit-reset', () => {
    expect(
      serverRequestedDelay(
        { 'retry-after': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 100) },
        now,
      ),
    ).toBe(3000);
  });
  test('x-ratelimit-reset counts only when nothing remains', () => {
    const reset = String(now / 1000 + 42);
    expect(serverRequestedDelay({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, now)).toBe(
      42_000 + RATE_LIMIT_RESET_MARGIN_MS,
    );
    expect(
      serverRequestedDelay({ 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': reset }, now),
    ).toBeUndefined();
  });
  test('a reset already past means wait only the margin', () => {
    expect(
      serverRequestedDelay(
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 - 5) },
        now,
      ),
    ).toBe(RATE_LIMIT_RESET_MARGIN_MS);
  });
  test('nothing said', () => {
    expect(serverRequestedDelay({}, now)).toBeUndefined();
  });
});

describe('which answers are retried', () => {
  test('5xx, 408 and 429 are retryable statuses; other 4xx are not', () => {
    for (const s of [500, 502, 503, 504, 408, 429]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 413, 422]) expect(isRetryableStatus(s)).toBe(false);
  });
  test('a 403 is a rate limit only with rate-limit signals', () => {
    expect(isRateLimited(403, {}, 'Resource not accessible by integration')).toBe(false);
    expect(isRateLimited(403, { 'x-ratelimit-remaining': '0' }, '')).toBe(true);
    expect(isRateLimited(403, { 'retry-after': '60' }, '')).toBe(true);
    expect(isRateLimited(403, {}, 'You have exceeded a secondary rate limit')).toBe(true);
    expect(isRateLimited(429, {}, '')).toBe(true);
    expect(isRateLimited(404, { 'retry-after': '1' }, '')).toBe(false);
  });
});
