// upload-asset-dedup against the local forge server (Gitea flavour unless noted):
//  - peak RSS of the action process (GNU time's maximum resident set size, the kernel's figure for the
//    node process) uploading a 2 GiB sparse file, next to a 1 KiB one: memory must not grow with size;
//  - throughput uploading 1 GiB (less one byte: curl 7.88's --data-binary reads the whole file into
//    memory and refuses 1 GiB), in the same run and against the same server as curl;
//  - a re-run over 50 unchanged small assets against the first upload's wall time.
//
// The server runs in this process. While a client uploads, this process does nothing but serve, so the
// server has a core of its own either way; what matters for fairness is that curl and the action talk to
// the same server in the same run, which they do, taking turns. Every file and the server's data live in
// one temporary folder, removed at the end.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { runAction } from '@forge-actions/testing/run-action';
import {
  type ForgeServer,
  type RecordedRequest,
  startForgeServer,
} from '../../packages/forge-server/src/index.js';
import { type Benchmark, type BenchRow, median, seconds, snapshotAction } from './_support.js';

const TOKEN = 'test-token';
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const GOAL_RSS_MB = 150;
const GOAL_THROUGHPUT_RATIO = 0.9;
const GOAL_RERUN_SHARE = 0.1;
const SMALL_FILES = 50;
const SMALL_SIZE = 64 * 1024;

interface Context {
  root: string;
  /** The snapshot of the action the runs use. */
  actionDir: string;
  /**
   * Runs node under GNU time, which writes the maximum RSS (KiB) to $BENCH_RSS_FILE. A bash script: dash
   * would drop the runner's `INPUT_RELEASE-ID`-style variables, whose names are not shell identifiers.
   */
  nodeUnderTime: string;
}

interface ActionRun {
  ms: number;
  /** Peak resident set size of the action's node process, in MB (10^6 bytes). */
  rssMb: number;
  outputs: Record<string, string>;
  /** Requests the server received during the run. */
  requests: RecordedRequest[];
}

let serial = 0;
const fresh = (ctx: Context, prefix: string) => mkdtempSync(join(ctx.root, `${prefix}-`));
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const mibPerS = (bytes: number, ms: number) => ((bytes / MIB) * 1000) / ms;

async function startServer(ctx: Context, flavour: 'gitea' | 'github'): Promise<ForgeServer> {
  return startForgeServer({ flavour, dataDir: fresh(ctx, `server-${flavour}`) });
}

/** A workspace whose build/ holds the given files, made by `make(path)`. */
function workspace(ctx: Context, files: Record<string, (path: string) => void>): string {
  const dir = fresh(ctx, 'ws');
  mkdirSync(join(dir, 'build'));
  for (const [name, make] of Object.entries(files)) make(join(dir, 'build', name));
  return dir;
}
const sparse = (size: number) => (path: string) => execFileSync('truncate', ['-s', String(size), path]);
const random = (size: number) => (path: string) => writeFileSync(path, randomBytes(size));

/** One run of the bundle under GNU time; it must succeed, or its numbers mean nothing. */
async function runUpload(
  ctx: Context,
  server: ForgeServer,
  cwd: string,
  inputs: Record<string, string>,
): Promise<ActionRun> {
  const rssFile = join(fresh(ctx, 'rss'), 'max-rss-kib');
  let started = 0;
  let ended = 0;
  const before = server.requests.length;
  const result = await runAction('upload-asset-dedup', {
    actionDir: ctx.actionDir,
    cwd,
    node: ctx.nodeUnderTime,
    inputs: { token: TOKEN, files: 'build/*', ...inputs },
    env: {
      ...forgeRunnerEnv(server),
      BENCH_RSS_FILE: rssFile,
      BENCH_NODE: process.execPath,
    },
    onSpawn: (child) => {
      started = performance.now();
      child.on('exit', () => {
        ended = performance.now();
      });
    },
  });
  // The harness's runner folders (output files, RUNNER_TEMP) are not needed past this point.
  rmSync(dirname(result.runnerTemp), { recursive: true, force: true });
  if (result.code !== 0) {
    throw new Error(`upload-asset-dedup failed: ${result.errors.join(' ') || result.stderr}`);
  }
  const kib = Number.parseInt(readFileSync(rssFile, 'utf8').trim(), 10);
  return {
    ms: ended - started,
    rssMb: (kib * 1024) / 1e6,
    outputs: result.outputs,
    requests: server.requests.slice(before),
  };
}

/** Server-side duration of the upload requests that arrive while `work` runs (arrival to settled). */
async function uploadRequestMs(server: ForgeServer, work: () => Promise<unknown>): Promise<number> {
  const arrived = new Map<RecordedRequest, number>();
  let total = 0;
  const onRequest = (r: RecordedRequest) => {
    if (r.method === 'POST' && /\/assets$/.test(r.path)) arrived.set(r, performance.now());
  };
  const onSettled = (r: RecordedRequest) => {
    const at = arrived.get(r);
    if (at !== undefined) total += performance.now() - at;
  };
  server.events.on('request', onRequest);
  server.events.on('settled', onSettled);
  try {
    await work();
    await server.idle();
    return total;
  } finally {
    server.events.off('request', onRequest);
    server.events.off('settled', onSettled);
  }
}

/** Wall time of curl POSTing `file` to the Gitea upload route; the asset must arrive whole. */
function curlUpload(
  server: ForgeServer,
  releaseId: number,
  file: string,
  mode: 'data-binary' | 'upload-file',
) {
  const name = `curl-${++serial}.bin`;
  const url = `${server.apiUrl}/repos/octo/app/releases/${releaseId}/assets?name=${name}`;
  const body = mode === 'data-binary' ? ['--data-binary', `@${file}`] : ['-T', file];
  const args = [
    '-sS',
    '-f',
    '-o',
    '/dev/null',
    '-X',
    'POST',
    '-H',
    `Authorization: token ${TOKEN}`,
    '-H',
    'Content-Type: application/octet-stream',
    '-H',
    'Expect:',
    ...body,
    url,
  ];
  return new Promise<{ ms: number; name: string }>((done, failed) => {
    const started = performance.now();
    const child = spawn('curl', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', failed);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) done({ ms, name });
      else failed(new Error(`curl exited with ${code}`));
    });
  });
}

/** Frees the server's disk between rounds: deletes every asset of the release. */
async function emptyRelease(server: ForgeServer, releaseId: number): Promise<void> {
  for (const asset of server.state.release(releaseId)?.assets ?? []) {
    const res = await fetch(`${server.apiUrl}/repos/octo/app/releases/${releaseId}/assets/${asset.id}`, {
      method: 'DELETE',
      headers: { authorization: `token ${TOKEN}` },
    });
    if (res.status !== 204) throw new Error(`DELETE asset ${asset.id} answered ${res.status}`);
  }
}

function assetOf(server: ForgeServer, releaseId: number, name: string, size: number) {
  const found = server.state.release(releaseId)?.assets.filter((a) => a.name === name) ?? [];
  if (found.length !== 1 || found[0].size !== size) {
    throw new Error(`expected one ${name} of ${size} bytes on the release, found ${found.length}`);
  }
}

async function peakRss(ctx: Context, log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const server = await startServer(ctx, 'gitea');
  try {
    for (const [label, size, make] of [
      ['1 KiB file', 1024, random(1024)],
      ['2 GiB sparse file (truncate -s 2G)', 2 * GIB, sparse(2 * GIB)],
    ] as const) {
      const releaseId = server.seed.createRelease({ tag: `v-rss-${++serial}` }).id;
      const cwd = workspace(ctx, { 'big.bin': make });
      const run = await runUpload(ctx, server, cwd, { 'release-id': String(releaseId) });
      assetOf(server, releaseId, 'big.bin', size);
      await emptyRelease(server, releaseId);
      rmSync(cwd, { recursive: true, force: true });
      const verdict = size >= GIB ? (run.rssMb < GOAL_RSS_MB ? 'met' : 'MISSED') : '';
      rows.push({
        part: 'memory',
        case: `peak RSS of the action, ${label}, gitea`,
        runs: 1,
        'median s': seconds(run.ms),
        result: `${mb(run.rssMb * 1e6)} MB peak RSS`,
        goal: verdict ? `< ${GOAL_RSS_MB} MB: ${verdict}` : '',
      });
      log(`${label}: peak RSS ${run.rssMb.toFixed(1)} MB in ${seconds(run.ms)} s`);
    }
  } finally {
    await server.close();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
  return rows;
}

async function throughput(ctx: Context, rounds: number, log: (line: string) => void): Promise<BenchRow[]> {
  // curl --data-binary @file holds the file in memory; curl 7.88 refuses anything from 1 GiB up.
  const size = GIB - 1;
  const server = await startServer(ctx, 'gitea');
  const cwd = workspace(ctx, { 'one-gib.bin': sparse(size) });
  const file = join(cwd, 'build', 'one-gib.bin');
  const times = {
    'data-binary': [] as number[],
    'upload-file': [] as number[],
    action: [] as number[],
    'action upload request': [] as number[],
    'curl upload request': [] as number[],
    hash: [] as number[],
  };
  const rss: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      // Taking turns within each round, so a slow moment of the machine hits all of them alike.
      const releaseId = server.seed.createRelease({ tag: `v-throughput-${round}` }).id;
      for (const mode of ['data-binary', 'upload-file'] as const) {
        let curl = { ms: 0, name: '' };
        const requestMs = await uploadRequestMs(server, async () => {
          curl = await curlUpload(server, releaseId, file, mode);
        });
        assetOf(server, releaseId, curl.name, size);
        times[mode].push(curl.ms);
        if (mode === 'data-binary') times['curl upload request'].push(requestMs);
        await emptyRelease(server, releaseId);
      }
      let run: ActionRun | undefined;
      const requestMs = await uploadRequestMs(server, async () => {
        run = await runUpload(ctx, server, cwd, { 'release-id': String(releaseId) });
      });
      if (!run) throw new Error('no action run');
      assetOf(server, releaseId, 'one-gib.bin', size);
      times.action.push(run.ms);
      times['action upload request'].push(requestMs);
      rss.push(run.rssMb);
      await emptyRelease(server, releaseId);
      // The action hashes the file before it uploads it (curl does not): that part alone, in this process.
      const started = performance.now();
      await pipeline(createReadStream(file), createHash('sha256'));
      times.hash.push(performance.now() - started);
      log(
        `round ${round + 1}: curl --data-binary ${seconds(times['data-binary'][round])} s, curl -T ${seconds(times['upload-file'][round])} s, action ${seconds(run.ms)} s (upload request ${seconds(requestMs)} s)`,
      );
    }
  } finally {
    await server.close();
    rmSync(server.dataDir, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
  const curlMs = median(times['data-binary']);
  const actionMs = median(times.action);
  const ratio = curlMs / actionMs;
  const streamedRatio = median(times['upload-file']) / actionMs;
  const requestRatio = median(times['curl upload request']) / median(times['action upload request']);
  const row = (kase: string, ms: number[], result: string, goal = ''): BenchRow => ({
    part: 'throughput',
    case: kase,
    runs: ms.length,
    'median s': seconds(median(ms)),
    result,
    goal,
  });
  const rate = (ms: number[]) => `${mibPerS(size, median(ms)).toFixed(0)} MiB/s`;
  return [
    row(
      'curl --data-binary @file (reads it all into memory first), 1 GiB − 1 B, gitea',
      times['data-binary'],
      rate(times['data-binary']),
    ),
    row('curl -T file -X POST (streams from disk)', times['upload-file'], rate(times['upload-file'])),
    row(
      'action (spawn to exit: start-up, sha256, list, upload, verify, body check)',
      times.action,
      `${rate(times.action)} = ${ratio.toFixed(2)} of curl --data-binary, ${streamedRatio.toFixed(2)} of curl -T; peak RSS ${median(rss).toFixed(1)} MB`,
      `≥ ${GOAL_THROUGHPUT_RATIO} of curl: ${ratio >= GOAL_THROUGHPUT_RATIO ? 'met' : 'MISSED'}`,
    ),
    row(
      'upload request alone, as the server saw it: curl --data-binary',
      times['curl upload request'],
      rate(times['curl upload request']),
    ),
    row(
      'upload request alone, as the server saw it: action',
      times['action upload request'],
      `${rate(times['action upload request'])} = ${requestRatio.toFixed(2)} of curl's request`,
    ),
    row(
      'sha256 of the file alone (node crypto, streamed, in the bench process)',
      times.hash,
      rate(times.hash),
    ),
  ];
}

async function rerun(
  ctx: Context,
  flavour: 'gitea' | 'github',
  rounds: number,
  inputs: Record<string, string>,
  label: string,
  log: (line: string) => void,
  count = SMALL_FILES,
): Promise<BenchRow[]> {
  const files: Record<string, (path: string) => void> = {};
  for (let i = 1; i <= count; i++) files[`asset-${String(i).padStart(2, '0')}.bin`] = random(SMALL_SIZE);
  const cwd = workspace(ctx, files);
  const server = await startServer(ctx, flavour);
  const first: ActionRun[] = [];
  const again: ActionRun[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const releaseId = server.seed.createRelease({ tag: `v-rerun-${round}` }).id;
      const one = await runUpload(ctx, server, cwd, { 'release-id': String(releaseId), ...inputs });
      const two = await runUpload(ctx, server, cwd, { 'release-id': String(releaseId), ...inputs });
      if (Number(two.outputs.skipped) < count || two.outputs.uploaded !== '0') {
        throw new Error(`the re-run did not skip every file: ${JSON.stringify(two.outputs)}`);
      }
      first.push(one);
      again.push(two);
      log(`${label} round ${round + 1}: first ${seconds(one.ms)} s, re-run ${seconds(two.ms)} s`);
    }
  } finally {
    await server.close();
    rmSync(server.dataDir, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
  const firstMs = median(first.map((r) => r.ms));
  const againMs = median(again.map((r) => r.ms));
  const share = againMs / firstMs;
  const requests = (runs: ActionRun[]) => {
    const counts = runs.map((r) => r.requests.length);
    const low = Math.min(...counts);
    const high = Math.max(...counts);
    return low === high ? `${low}` : `${low}–${high}`;
  };
  // Gitea has no digests: without SHA256SUMS each unchanged asset is downloaded and hashed; with it,
  // SHA256SUMS is read (and itself hashed by download).
  const downloads = again[0].requests.filter(
    (r) => r.method === 'GET' && /\/attachments\/|\/releases\/download\//.test(r.path),
  ).length;
  const goal = count === SMALL_FILES;
  return [
    {
      part: 're-run',
      case: `first upload of ${count} × 64 KiB, ${label}`,
      runs: first.length,
      'median s': seconds(firstMs),
      result: `${requests(first)} requests`,
      goal: '',
    },
    {
      part: 're-run',
      case: `re-run of those ${count}, all unchanged, ${label}`,
      runs: again.length,
      'median s': seconds(againMs),
      result: `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} % of the first upload; ${requests(again)} requests, ${downloads} of them asset downloads`,
      goal: goal ? `≤ ${GOAL_RERUN_SHARE * 100} %: ${share <= GOAL_RERUN_SHARE ? 'met' : 'MISSED'}` : '',
    },
  ];
}

export const benchmark: Benchmark = {
  id: 'upload-asset-dedup',
  title: 'upload-asset-dedup: memory, throughput and re-runs (local forge server)',
  goal:
    `peak RSS under ${GOAL_RSS_MB} MB uploading 2 GiB; throughput ≥ ${GOAL_THROUGHPUT_RATIO} of curl --data-binary ` +
    `to the same server; a re-run of ${SMALL_FILES} unchanged assets ≤ ${GOAL_RERUN_SHARE * 100} % of the first upload's wall time`,
  async run({ runs, log }) {
    const root = mkdtempSync(join(tmpdir(), 'bench-upload-asset-dedup-'));
    const nodeUnderTime = join(root, 'node-under-time');
    writeFileSync(
      nodeUnderTime,
      '#!/bin/bash\nexec /usr/bin/time -f %M -o "$BENCH_RSS_FILE" "$BENCH_NODE" "$@"\n',
      {
        mode: 0o755,
      },
    );
    const ctx: Context = { root, nodeUnderTime, actionDir: snapshotAction('upload-asset-dedup', root) };
    // Each round moves gigabytes; a few rounds give a stable median without taking many minutes.
    const rounds = Math.min(runs, 5);
    // Other work on the machine slows both sides of the comparisons; this says how busy it was.
    const load: BenchRow = {
      part: 'machine',
      case: 'load average over the last minute when the benchmark started',
      runs: '',
      'median s': '',
      result: loadavg()[0].toFixed(2),
      goal: '',
    };
    try {
      return [
        load,
        ...(await peakRss(ctx, log)),
        ...(await throughput(ctx, rounds, log)),
        ...(await rerun(ctx, 'gitea', rounds, {}, 'gitea', log)),
        // The floor under any run: start-up, connect, list, one file; what 50 files add comes on top.
        ...(await rerun(ctx, 'gitea', rounds, {}, 'gitea (fixed cost of a run)', log, 1)),
        ...(await rerun(ctx, 'gitea', rounds, { checksums: 'sha256' }, 'gitea, checksums: sha256', log)),
        // GitHub asks for 1 s between mutating requests: the first upload alone takes 50 s, so one round.
        ...(await rerun(ctx, 'github', 1, {}, 'github', log)),
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
