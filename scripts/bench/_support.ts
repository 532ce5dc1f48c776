// Shared pieces of the benchmarks in this folder. A benchmark is a module here (files starting with
// `_` are helpers) that exports `benchmark: Benchmark`; scripts/bench.ts runs it and writes its rows
// to docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@forge-actions/testing/run-action';

/** One table row: column name → value; the columns are the first row's keys, in order. */
export type BenchRow = Record<string, string | number>;

export interface Benchmark {
  /** Section id in docs/benchmarks.md (kebab-case, stable). */
  id: string;
  title: string;
  /** One line stating the goal, shown above the table. */
  goal?: string;
  run(options: { runs: number; log: (line: string) => void }): Promise<BenchRow[]>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds as seconds with three decimals, e.g. `0.123`. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** Wall time of one child process from spawn to exit, in milliseconds; rejects on a non-zero exit. */
export function timeSpawn(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  return new Promise<number>((done, failed) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: 'ignore' });
    child.on('error', failed);
    child.on('exit', (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) done(elapsed);
      else failed(new Error(`${command} ${args.join(' ')} exited with ${code}`));
    });
  });
}

/** Runs `once` `warmup + runs` times in sequence and summarises the last `runs` wall times. */
export async function measure(runs: number, once: () => Promise<number>, warmup = 2) {
  for (let i = 0; i < warmup; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  const middle = median(times);
  const stats = {
    runs,
    medianMs: middle,
    median: seconds(middle),
    min: seconds(Math.min(...times)),
    max: seconds(Math.max(...times)),
  };
  /** The table columns every timing row has, in order. */
  const columns = { runs, 'median s': stats.median, 'min s': stats.min, 'max s': stats.max };
  return { ...stats, columns };
}

/**
 * A copy of the built action (action.yml and dist/) taken when the benchmark starts, so every run
 * measures the same bundle even if the action is rebuilt meanwhile.
 */
export function snapshotAction(name: string, into: string): string {
  const dir = join(into, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(REPO_ROOT, 'actions', name, 'action.yml'), join(dir, 'action.yml'));
  cpSync(join(REPO_ROOT, 'actions', name, 'dist'), join(dir, 'dist'), { recursive: true });
  return dir;
}

/** mulberry32: a small seeded generator, so every machine generates the same benchmark files. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
