// Shared pieces of the benchmarks in this folder. A benchmark is a module here (files starting with
// `_` are helpers) that exports `benchmark: Benchmark`; scripts/bench.ts runs it and writes its rows
// to docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, type RunOptions, type RunResult, runAction } from '@forge-actions/testing/run-action';

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

/** A bundle run timed from spawn to exit, with each line of its log and when it arrived. */
export interface LoggedRun {
  ms: number;
  started: number;
  ended: number;
  lines: Array<[number, string]>;
  result: RunResult;
}

/**
 * Runs the action as a runner does (runAction's options), timing it from spawn to exit and each line
 * of its log as it arrives; its RUNNER_TEMP is removed afterwards.
 */
export async function loggedRun(name: string, options: RunOptions): Promise<LoggedRun> {
  let started = 0;
  let ended = 0;
  const lines: Array<[number, string]> = [];
  let partial = '';
  const result = await runAction(name, {
    ...options,
    onSpawn: (child) => {
      started = performance.now();
      child.stdout?.on('data', (chunk: Buffer | string) => {
        const at = performance.now();
        const parts = (partial + chunk.toString()).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) lines.push([at, line]);
      });
      child.on('exit', () => {
        ended = performance.now();
      });
    },
  });
  rmSync(dirname(result.runnerTemp), { recursive: true, force: true });
  return { ms: ended - started, started, ended, lines, result };
}

/** Words Python sources are made of: text that deflates as a Python tree does. */
const PYTHON_WORDS = (
  'def class return import from self value name path file data result error None True False if else ' +
  'for while in not and or with as try except raise yield lambda print len range list dict str int'
).split(' ');

/** `size` bytes of Python-like text: indented lines of 3 to 11 words, drawn from `next`. */
export function pythonLikeText(next: () => number, size: number): string {
  const lines: string[] = [];
  let length = 0;
  while (length < size) {
    const words = Array.from(
      { length: 3 + Math.floor(next() * 9) },
      () => PYTHON_WORDS[Math.floor(next() * PYTHON_WORDS.length)],
    );
    const line = `${'    '.repeat(Math.floor(next() * 3))}${words.join(' ')}\n`;
    lines.push(line);
    length += line.length;
  }
  return lines.join('');
}

/** `size` bytes drawn from `next`: data deflate cannot shrink. */
export function seededBytes(next: () => number, size: number): Buffer {
  const buffer = Buffer.alloc(size);
  for (let at = 0; at + 4 <= size; at += 4) buffer.writeUInt32LE(Math.floor(next() * 4294967296), at);
  return buffer;
}
