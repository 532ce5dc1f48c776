// Runs the benchmarks in scripts/bench/ (every module there exporting `benchmark`; `_*.ts` are helpers)
// and writes each one's table as its own section of docs/benchmarks.md, replacing that section when it
// already exists, so benchmarks can be added and re-run independently.
//
//   npm run bench                       all benchmarks (builds first)
//   npm run bench -- resolve-version    only these
//   BENCH_RUNS=50 npm run bench         timed runs per case (default 20)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './actions.js';
import type { Benchmark, BenchRow } from './bench/_support.js';

const BENCH_DIR = join(REPO_ROOT, 'scripts', 'bench');
export const RESULTS_FILE = join(REPO_ROOT, 'docs', 'benchmarks.md');
const PREAMBLE =
  '# Benchmarks\n\nWritten by `npm run bench` (scripts/bench.ts); each section is replaced when its benchmark runs again.\n';

export async function loadBenchmarks(dir: string = BENCH_DIR): Promise<Benchmark[]> {
  const benchmarks: Benchmark[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .sort()) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { benchmark?: Benchmark };
    if (!module.benchmark) throw new Error(`scripts/bench/${file} exports no benchmark`);
    benchmarks.push(module.benchmark);
  }
  return benchmarks;
}

export interface Machine {
  date: string;
  nproc: number;
  cpu: string;
  node: string;
  os: string;
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString().slice(0, 10),
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    os: `${platform()} ${arch()}`,
  };
}

export function renderSection(benchmark: Benchmark, rows: BenchRow[], machine: Machine): string {
  const headers = rows.length > 0 ? Object.keys(rows[0]) : [];
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `<!-- bench:${benchmark.id} -->`,
    `## ${benchmark.title}`,
    '',
    `Measured ${machine.date} on ${machine.nproc} CPUs (\`nproc\`, ${machine.cpu}), ${machine.os}, Node ${machine.node}.`,
    ...(benchmark.goal ? [`Goal: ${benchmark.goal}.`] : []),
    '',
    line(headers),
    line(headers.map(() => '---')),
    ...rows.map((row) => line(headers.map((h) => row[h] ?? ''))),
    `<!-- /bench:${benchmark.id} -->`,
  ].join('\n');
}

/** Replaces the benchmark's section in the document, or appends it. */
export function upsertSection(document: string, id: string, section: string): string {
  const start = `<!-- bench:${id} -->`;
  const end = `<!-- /bench:${id} -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from >= 0 && to > from) return document.slice(0, from) + section + document.slice(to + end.length);
  return `${document.trimEnd()}\n\n${section}\n`;
}

async function main(only: string[]): Promise<void> {
  const runs = Number.parseInt(process.env.BENCH_RUNS ?? '20', 10);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a positive integer`);
  const all = await loadBenchmarks();
  const unknown = only.filter((id) => !all.some((b) => b.id === id));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; have ${all.map((b) => b.id).join(', ')}`);
  const selected = only.length > 0 ? all.filter((b) => only.includes(b.id)) : all;
  const machine = describeMachine();
  let document: string;
  try {
    document = readFileSync(RESULTS_FILE, 'utf8');
  } catch {
    document = PREAMBLE;
  }
  for (const benchmark of selected) {
    console.log(`# ${benchmark.id} (${runs} runs per case)`);
    const rows = await benchmark.run({ runs, log: (line) => console.log(`  ${line}`) });
    document = upsertSection(document, benchmark.id, renderSection(benchmark, rows, machine));
  }
  mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
  writeFileSync(RESULTS_FILE, document);
  console.log(`wrote ${RESULTS_FILE.slice(REPO_ROOT.length + 1)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
