/**
 * Minimum spacing between the starts of mutating requests. GitHub asks for at least one second between
 * POST/PATCH/PUT/DELETE requests to stay clear of its secondary rate limits; concurrent callers queue.
 */
export class Spacer {
  private nextAt = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly spacingMs: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  /** Resolves when the caller may start its request; the wait in milliseconds is passed to `onWait`. */
  turn(onWait?: (ms: number) => void): Promise<void> {
    if (this.spacingMs <= 0) return Promise.resolve();
    const mine = this.queue.then(async () => {
      const wait = this.nextAt - this.now();
      if (wait > 0) {
        onWait?.(wait);
        await this.sleep(wait);
      }
      this.nextAt = this.now() + this.spacingMs;
    });
    this.queue = mine.catch(() => undefined);
    return mine;
  }
}
