// Fault injection: each fault counts the requests it matches and applies to matches nth .. nth+times-1.
import type { FaultController, FaultHandle, FaultResponse, FaultSpec } from './types.js';

export class Fault implements FaultHandle {
  seen = 0;
  hits = 0;
  removed = false;
  private waiters: { n: number; resolve: () => void }[] = [];
  private releaseHold!: () => void;
  private readonly released: Promise<void>;

  constructor(readonly spec: FaultSpec) {
    const nth = spec.nth ?? 1;
    const times = spec.times ?? 1;
    if (!Number.isInteger(nth) || nth < 1) throw new Error(`fault nth must be an integer >= 1, got ${nth}`);
    if (!(times >= 1)) throw new Error(`fault times must be >= 1, got ${times}`);
    this.released = new Promise((resolve) => {
      this.releaseHold = resolve;
    });
  }

  get respond(): FaultResponse {
    return this.spec.respond;
  }

  /** Counts a matching request; true when the fault applies to it. */
  count(method: string, path: string, query: string): boolean {
    if (this.removed) return false;
    const { method: wanted, path: pattern, query: queryPattern } = this.spec;
    if (wanted && wanted.toUpperCase() !== method.toUpperCase()) return false;
    for (const [regex, text] of [
      [pattern, path],
      [queryPattern, query],
    ] as const) {
      if (!regex) continue;
      regex.lastIndex = 0;
      if (!regex.test(text)) return false;
    }
    this.seen++;
    const first = this.spec.nth ?? 1;
    return this.seen >= first && this.seen < first + (this.spec.times ?? 1);
  }

  /** Records that the fault took effect on a request. */
  hit(): void {
    this.hits++;
    this.waiters = this.waiters.filter((w) => {
      if (this.hits < w.n) return true;
      w.resolve();
      return false;
    });
  }

  reached(n = 1): Promise<void> {
    if (this.hits >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Waits as the fault says (delay or hold); no-op for other kinds. */
  async wait(): Promise<void> {
    const respond = this.spec.respond;
    if ('delayMs' in respond) {
      this.hit();
      await new Promise((resolve) => setTimeout(resolve, respond.delayMs));
    } else if ('hold' in respond) {
      this.hit();
      await this.released;
    }
  }

  release(): void {
    this.releaseHold();
  }

  remove(): void {
    this.removed = true;
    this.release();
  }
}

export class Faults implements FaultController {
  private faults: Fault[] = [];

  inject(spec: FaultSpec): FaultHandle {
    const fault = new Fault(spec);
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    for (const fault of this.faults) fault.remove();
    this.faults = [];
  }

  /** Every fault counts the request; the first (in injection order) that applies to it wins. */
  match(method: string, path: string, query: string): Fault | undefined {
    let chosen: Fault | undefined;
    for (const fault of this.faults) {
      if (fault.count(method, path, query) && !chosen) chosen = fault;
    }
    return chosen;
  }
}

export function faultKind(respond: FaultResponse): string {
  if ('status' in respond) return 'status';
  if ('reset' in respond) return `reset-${respond.reset}`;
  if ('delayMs' in respond) return 'delay';
  return 'hold';
}
