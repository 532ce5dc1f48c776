import { DeadlineError } from './errors.js';

/** Total time of one API request attempt when the caller sets none. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** The slowest transfer rate still taken for a working connection: 256 KiB/s. */
export const DEFAULT_FLOOR_BYTES_PER_SECOND = 256 * 1024;

/**
 * The total time one attempt may take: headers, the whole body both ways, and any redirects. An idle
 * timeout alone lets a server that trickles a byte now and then hold a job until the job's own timeout.
 *
 * The rule: `timeoutMs`, plus the bytes to move at the floor rate. The bytes are the larger of what is
 * announced (the request's Content-Length, and the response's once its headers arrive) and what has
 * actually moved, so a known size is granted up front, and a body of unknown size earns time as it keeps
 * at least the floor rate on average. A 100 MiB upload at the default 256 KiB/s floor gets 120 s + 400 s.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private announced = 0;
  private moved = 0;
  private onExpire: (() => void) | undefined;
  /** Set once the time ran out. */
  expired: DeadlineError | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly floorBytesPerSecond: number,
  ) {
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) this.arm();
  }

  /** Aborts the request it is handed to when the time runs out. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Bytes that will move: a body's announced length. */
  announce(bytes: number): void {
    this.announced += bytes;
  }

  /** Bytes that did move. */
  progress(bytes: number): void {
    this.moved += bytes;
  }

  /** What else to stop when the time runs out (the response being read). */
  whenExpired(stop: () => void): void {
    this.onExpire = stop;
  }

  /** The time allowed so far, in ms. */
  allowedMs(): number {
    const floor = this.floorBytesPerSecond > 0 ? this.floorBytesPerSecond : Number.POSITIVE_INFINITY;
    return this.timeoutMs + (Math.max(this.announced, this.moved) * 1000) / floor;
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Checks the time, then waits for the rest of it; bytes moved meanwhile extend it. */
  private arm(): void {
    const left = this.allowedMs() - (performance.now() - this.started);
    if (left <= 0) {
      this.expire();
      return;
    }
    // setTimeout holds at most 2^31-1 ms; a longer allowance is simply checked again then.
    this.timer = setTimeout(() => this.arm(), Math.min(Math.ceil(left), 2 ** 31 - 1));
  }

  private expire(): void {
    this.timer = undefined;
    const seconds = Number((this.allowedMs() / 1000).toFixed(1));
    this.expired = new DeadlineError(seconds);
    this.controller.abort(this.expired);
    this.onExpire?.();
  }
}
