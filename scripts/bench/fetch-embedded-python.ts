// fetch-embedded-python against a python.org-shaped mirror on 127.0.0.1 (packages/testing's embed
// mirror) serving a 10 MB embeddable zip, as python.org's are, next to the shell line the action
// replaces (issue 15): `curl -sO <zip url> && unzip -qo <zip> -d python && sed -i` uncommenting
// `import site` in python311._pth, spawned as one `sh -c` in a fresh folder. Two cases:
//  - cold: an empty RUNNER_TOOL_CACHE each run (download, sha256, safe extraction, the tool cache entry
//    written, the ._pth patched);
//  - cache hit: the tool cache filled once beforehand (the entry checked against its digest, copied out,
//    patched); the anchor is the same cold shell line, as the issue's table has it.
// The action runs as a runner runs it, timed from spawn to exit: the built bundle, copied when the
// benchmark starts (snapshotAction). Runs are taken
// in pairs, anchor then action, after one untimed pair; the ratio is the median of the pairs' ratios.
// Where the action's time goes comes from its log, each line timed as it arrives (the phases between the
// lines named in MARKERS; start-up is spawn to the first line), and from probes timed alone: after each
// pair the bundle's start-up (a run that stops at an input error) and `node -e ''`; once, sha256 of the
// zip in-process (the hashing the download stream carries) and the anchor's curl and unzip.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishEmbedZip, startMirror } from '@forge-actions/testing/embed-mirror';
import {
  type Benchmark,
  type BenchRow,
  loggedRun,
  median,
  seconds,
  snapshotAction,
  timeSpawn,
} from './_support.js';

const ACTION = 'fetch-embedded-python';
const ZIP_BYTES = 10 * 1000 * 1000;
const VERSION = '3.11.9';
const PTH = 'python311._pth';
/** Untimed pairs first: the page cache, the mirror and both programs warmed alike. */
const WARMUP_PAIRS = 1;
/** Runs of the probes taken once (sha256, curl, unzip). */
const PROBES = 5;

/** The issue's shell line: $1 the zip URL, $2 its file name, $3 the folder, $4 the ._pth. */
const ANCHOR_SCRIPT =
  'curl -sO "$1" && unzip -qo "$2" -d "$3" && sed -i "s/^#import site/import site/" "$3/$4"';
/** The shell line gets the environment runAction gives the action: no proxy, no locale. */
const ANCHOR_ENV = { PATH: process.env.PATH, HOME: process.env.HOME };

/**
 * Log lines that end a phase, with the phase's name, in the order a run prints them. A phase runs
 * from the previous marker seen (or the spawn) to its own; what follows the last one is `summary,
 * outputs, exit`. `::debug::` lines (the package's and @actions/tool-cache's) mark the rest.
 */
const STARTUP_PHASE = 'start-up, inputs';
const MARKERS: Array<[RegExp, string]> = [
  [/^::group::/, STARTUP_PHASE],
  [/^::debug::Found tool in cache /, 'tool cache lookup'],
  [/^Tool cache hit: /, 'digest of the cached tree (its check)'],
  [/^Downloading /, 'temp folder, tool cache lookup'],
  [/: \d+ bytes, sha256 [0-9a-f]{64}$/, 'download + sha256'],
  [/^Extracted \d+ files/, 'extraction'],
  [/^::debug::Tool cache: payload digest /, 'tool cache entry: digest and copy side by side'],
  [/^Cached as /, 'tool cache entry: record, marker'],
  [/^::debug::Placed /, 'into the destination'],
  [/\._pth: /, '._pth patch'],
];
const EXIT_PHASE = 'summary, outputs, exit';
/** Phases shorter than this (medians) are left out of the table. */
const SHOWN_MS = 2;

/** Splits a run's wall time at the MARKERS lines (see there). */
function phasesOf(lines: Array<[number, string]>, started: number, ended: number): Map<string, number> {
  const phases = new Map<string, number>();
  let mark = started;
  for (const [at, line] of lines) {
    const marker = MARKERS.find(([pattern]) => pattern.test(line.trim()));
    if (!marker) continue;
    phases.set(marker[1], (phases.get(marker[1]) ?? 0) + at - mark);
    mark = at;
  }
  phases.set(EXIT_PHASE, ended - mark);
  return phases;
}

interface ActionRun {
  ms: number;
  phases: Map<string, number>;
}

/**
 * One run of the bundle, timed from spawn to exit and each line of its log as it arrives. It must end as
 * expected (success with the given cache-hit output, or for `cacheHit: undefined` one input error), or
 * the number means nothing.
 */
async function bundleRun(
  actionDir: string,
  inputs: Record<string, string>,
  cacheHit: boolean | undefined,
  toolCache?: string,
): Promise<ActionRun> {
  const { ms, started, ended, lines, result } = await loggedRun(ACTION, {
    actionDir,
    inputs,
    env: toolCache ? { RUNNER_TOOL_CACHE: toolCache } : {},
  });
  if (cacheHit === undefined) {
    if (result.code !== 1 || result.errors.length !== 1) throw new Error('expected one input error');
  } else if (result.code !== 0) {
    throw new Error(`${ACTION} failed: ${result.errors.join(' ') || result.stderr}`);
  } else if (result.outputs['cache-hit'] !== String(cacheHit)) {
    throw new Error(`expected cache-hit=${cacheHit}, got ${result.outputs['cache-hit']}`);
  }
  return { ms, phases: phasesOf(lines, started, ended) };
}

/** The shell line in a fresh folder; checks that it patched the ._pth. */
async function anchorRun(url: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fep-anchor-'));
  try {
    const zip = url.slice(url.lastIndexOf('/') + 1);
    const ms = await timeSpawn('sh', ['-c', ANCHOR_SCRIPT, 'sh', url, zip, 'python', PTH], {
      cwd: dir,
      env: ANCHOR_ENV,
    });
    if (!/^import site\r?$/m.test(readFileSync(join(dir, 'python', PTH), 'utf8'))) {
      throw new Error(`the shell line left ${PTH} without import site`);
    }
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The anchor's two programs alone, in a fresh folder: curl's download, then unzip's extraction. */
async function anchorParts(url: string): Promise<{ curl: number; unzip: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fep-anchor-'));
  try {
    const zip = url.slice(url.lastIndexOf('/') + 1);
    const curl = await timeSpawn('curl', ['-sO', url], { cwd: dir, env: ANCHOR_ENV });
    const unzip = await timeSpawn('unzip', ['-qo', zip, '-d', 'python'], { cwd: dir, env: ANCHOR_ENV });
    return { curl, unzip };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** sha256 of the zip's bytes in this process, the file already read: what hashing adds to the download. */
function sha256Alone(zip: string): number {
  const data = readFileSync(zip);
  const started = performance.now();
  createHash('sha256').update(data).digest('hex');
  return performance.now() - started;
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

/** Probes timed once, before the pairs. */
interface Probes {
  sha256: number;
  curl: number;
  unzip: number;
}

interface Case {
  label: string;
  goal: number;
  cacheHit: boolean;
  /** RUNNER_TOOL_CACHE for the action's runs; undefined: a fresh empty one each run. */
  toolCache?: string;
}

async function runCase(
  spec: Case,
  context: { actionDir: string; url: string; inputs: Record<string, string>; runs: number; probes: Probes },
  log: (line: string) => void,
): Promise<BenchRow> {
  const { actionDir, url, inputs, runs, probes } = context;
  const anchorTimes: number[] = [];
  const actionTimes: number[] = [];
  const ratios: number[] = [];
  const phaseRuns: Array<Map<string, number>> = [];
  /** Each run's time after its first log line: the action's own work. */
  const ownWork: number[] = [];
  const startUps: number[] = [];
  const nodes: number[] = [];
  const badInput = { ...inputs, 'python-version': 'latest' };
  for (let i = 0; i < WARMUP_PAIRS + runs; i++) {
    const anchor = await anchorRun(url);
    const run = await bundleRun(actionDir, inputs, spec.cacheHit, spec.toolCache);
    // Start-up alone, next to the pair so it sees the same load: the bundle to an input error, and node.
    const startUp = (await bundleRun(actionDir, badInput, undefined)).ms;
    const node = await timeSpawn(process.execPath, ['-e', '']);
    if (i < WARMUP_PAIRS) continue;
    anchorTimes.push(anchor);
    actionTimes.push(run.ms);
    ratios.push(run.ms / anchor);
    phaseRuns.push(run.phases);
    ownWork.push(run.ms - (run.phases.get(STARTUP_PHASE) ?? 0));
    startUps.push(startUp);
    nodes.push(node);
    const phases = [...run.phases].map(([name, ms]) => `${name} ${secs(ms)}`).join(', ');
    log(
      `  pair ${i + 1 - WARMUP_PAIRS}: anchor ${seconds(anchor)} s, action ${seconds(run.ms)} s (${phases}); ` +
        `alone: start-up ${seconds(startUp)} s, node -e '' ${seconds(node)} s`,
    );
  }
  const names = [...new Set(phaseRuns.flatMap((phases) => [...phases.keys()]))];
  const phaseMedians = names.map((name) => [name, median(phaseRuns.map((p) => p.get(name) ?? 0))] as const);
  const anchorMedian = median(anchorTimes);
  const actionMedian = median(actionTimes);
  const ratio = median(ratios);
  const own = median(ownWork);
  const shown = phaseMedians.filter(([name, ms]) => name !== STARTUP_PHASE && ms >= SHOWN_MS);
  const hidden = phaseMedians.length - 1 - shown.length;
  const where = [
    `start-up (spawn to the first log line) ${secs(phaseMedians.find(([n]) => n === STARTUP_PHASE)?.[1] ?? 0)} s ` +
      `of the action's ${secs(actionMedian)} s (alone: bundle to an input error ${secs(median(startUps))} s, ` +
      `node -e '' ${secs(median(nodes))} s); own work after it ${secs(own)} s = ${(own / anchorMedian).toFixed(2)}× ` +
      `the anchor's ${secs(anchorMedian)} s (curl ${secs(probes.curl)} s, unzip ${secs(probes.unzip)} s alone)`,
    `own work by the log: ${shown.map(([name, ms]) => `${name} ${secs(ms)} s`).join(', ')}` +
      (hidden > 0 ? ` (${hidden} more under ${SHOWN_MS} ms)` : ''),
    ...(spec.cacheHit ? [] : [`sha256 of the zip alone in-process ${secs(probes.sha256)} s`]),
  ].join('; ');
  const spread = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  log(`  ratio ${ratio.toFixed(3)} (median of ${runs} pairs, ${spread}); where: ${where}`);
  return {
    case: `${spec.label}, ${runs} pairs`,
    'anchor median s': seconds(anchorMedian),
    'action median s': seconds(actionMedian),
    ratio: ratio.toFixed(2),
    goal: `≤ ${spec.goal.toFixed(1)}×: ${ratio <= spec.goal ? 'met' : 'MISSED'}`,
    'where the time goes (medians)': where,
  };
}

export const benchmark: Benchmark = {
  id: ACTION,
  title: 'fetch-embedded-python: cold and cache hit, next to curl -sO && unzip -qo && sed',
  goal:
    'cold (empty tool cache) at most 1.3×, cache hit at most 1.0× one `sh -c` running `curl -sO <zip url> && ' +
    'unzip -qo <zip> -d python && sed -i` (uncommenting import site in python311._pth) against the same local ' +
    'mirror serving a 10 MB zip; spawn to exit, median of paired ratios (anchor then action)',
  async run({ runs, log }) {
    for (const tool of ['curl', 'unzip', 'sed']) execFileSync('which', [tool], { stdio: 'ignore' });
    log(`load average over the last minute ${loadavg()[0].toFixed(2)}`);
    const root = mkdtempSync(join(tmpdir(), 'bench-fep-'));
    const mirrorRoot = join(root, 'mirror');
    const mirror = await startMirror(mirrorRoot);
    try {
      log(`the built action with ncc's bundle of actions/${ACTION}/src/main.ts, in ${root}`);
      const actionDir = snapshotAction(ACTION, root);
      const zip = await publishEmbedZip(mirrorRoot, VERSION, 'amd64', { payloadBytes: ZIP_BYTES });
      log(`zip: ${(statSync(zip).size / 1e6).toFixed(1)} MB`);
      const inputs = { mirror: mirror.url, 'python-version': VERSION };
      const url = `${mirror.url}/${VERSION}/python-${VERSION}-embed-amd64.zip`;

      const hashes: number[] = [];
      const curls: number[] = [];
      const unzips: number[] = [];
      for (let i = 0; i < PROBES; i++) {
        hashes.push(sha256Alone(zip));
        const parts = await anchorParts(url);
        curls.push(parts.curl);
        unzips.push(parts.unzip);
      }
      const probes: Probes = { sha256: median(hashes), curl: median(curls), unzip: median(unzips) };
      log(
        `alone (medians of ${PROBES}): sha256 of the zip ${secs(probes.sha256)} s, curl ${secs(probes.curl)} s, ` +
          `unzip ${secs(probes.unzip)} s`,
      );

      const context = { actionDir, url, inputs, runs, probes };
      const rows: BenchRow[] = [];
      log('cold: an empty tool cache each run');
      rows.push(
        await runCase(
          {
            label: 'cold: empty tool cache (download, sha256, extract, cache, patch)',
            goal: 1.3,
            cacheHit: false,
          },
          context,
          log,
        ),
      );
      const toolCache = join(root, 'tool-cache');
      await bundleRun(actionDir, inputs, false, toolCache);
      log('cache hit: the tool cache filled once');
      rows.push(
        await runCase(
          {
            label: 'cache hit (entry checked, copied out, patched); anchor the cold shell line',
            goal: 1.0,
            cacheHit: true,
            toolCache,
          },
          context,
          log,
        ),
      );
      return rows;
    } finally {
      await mirror.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
