// upload-asset-dedup (the bundle in actions/upload-asset-dedup/dist, copied when the benchmark starts)
// against the local forge server, each part next to an anchor run in pairs (anchor, action, anchor,
// action …) so that drift in the machine's load hits both sides of a pair alike; a ratio is action ÷
// anchor, the median of the pairs' ratios, shown with their spread and next to both absolute medians:
//  - fixed cost: a run uploading one 64 KiB file and a re-run of it (nothing to upload), Gitea and GitHub
//    flavours, after one run not counted: the floor under every other run, used to say where the time
//    goes; every action run also times its start-up (spawn to the server's first request);
//  - memory: peak RSS of the action process (GNU time's maximum resident set size, the kernel's figure
//    for the node process) uploading a 2 GiB sparse file, next to a 1 KiB one (Gitea flavour);
//  - throughput: uploading 1 GiB − 1 B (curl 7.88's --data-binary reads the whole file into memory and
//    refuses 1 GiB) next to `curl -X POST -T file` (streams) and `curl --data-binary @file`, Gitea and
//    GitHub flavours; also each upload request as the server saw it and the sha256 of the file alone;
//  - re-run: 50 × 64 KiB + 5 × 50 MB (pseudo-random bytes from fixed seeds: the same on every machine,
//    incompressible), uploaded to an empty release and then run again unchanged; Gitea with checksums
//    none and sha256 (goals), GitHub for comparison. Asset downloads during re-runs are counted;
//  - replace: one changed 64 KiB file among 10 / 100 / 500 assets, next to curl doing it by hand (GET the
//    asset list, DELETE the old asset, POST the new one); curl works on its own release holding the same
//    assets, the action on one it uploaded itself (so a Gitea release carries its digest record).
// Every row gives the requests the server recorded (and asset downloads, where the action may download).
// A row that misses its goal says where the time goes: the start-up, the fixed cost of a run, the
// action's own sha256 of the files (its sha256File, timed in the bench process), the requests.
//
// The server runs in this process. While a client runs, this process does nothing but serve, so the
// server has a core of its own either way; curl and the action talk to the same server in the same run,
// taking turns. Every file and the server's data live in one temporary folder, removed at the end. The
// 1 GiB and 2 GiB parts take a few rounds only (each moves gigabytes); the others up to 5 or 10.
import { spawn } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sha256File } from '@forge-actions/system';
import { forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { runAction } from '@forge-actions/testing/run-action';
import {
  type ForgeServer,
  type RecordedRequest,
  startForgeServer,
} from '../../packages/forge-server/src/index.js';
import { type Benchmark, type BenchRow, median, seconds, snapshotAction } from './_support.js';

type Api = 'gitea' | 'github';

const TOKEN = 'test-token';
const KIB = 1024;
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const MB = 1e6;
const SMALL_SIZE = 64 * KIB;
/** The re-run's files: 50 × 64 KiB and 5 × 50 MB. */
const RERUN_SMALL = 50;
const RERUN_BIG = 5;
const BIG_SIZE = 50 * MB;
const REPLACE_AMONG = [10, 100, 500];
const GOAL = {
  rssMb: 80,
  /** action ÷ curl -X POST -T file. */
  streamed: 1.15,
  /** action ÷ curl --data-binary @file. */
  dataBinary: 1.0,
  /** re-run ÷ first upload. */
  rerun: 0.1,
  /** action ÷ curl list + DELETE + POST. */
  replace: { gitea: 2, github: 3 } as Record<Api, number>,
};
/** Rounds (pairs) per case at most: the 1 GiB and 2 GiB parts move gigabytes each time. */
const MAX_ROUNDS = { big: 3, fixed: 5, rerun: 5, replace: 10 };

const COLUMNS = [
  'part',
  'case',
  'runs',
  'median s',
  'anchor median s',
  'ratio',
  'requests',
  'result',
  'goal',
  'where the time goes',
] as const;
type Cells = Partial<Record<(typeof COLUMNS)[number], string | number>>;

/** A table row with every column, in order (the first row's keys are the table's columns). */
const row = (cells: Cells): BenchRow => Object.fromEntries(COLUMNS.map((c) => [c, cells[c] ?? '']));

interface Context {
  root: string;
  /** The snapshot of the action the runs use. */
  actionDir: string;
  /**
   * Runs node under GNU time, which writes the maximum RSS (KiB) to $BENCH_RSS_FILE. A bash script: dash
   * would drop the runner's `INPUT_RELEASE-ID`-style variables, whose names are not shell identifiers.
   */
  nodeUnderTime: string;
  /** Median wall times of the 1-file runs, per flavour (the fixed-cost part fills them first). */
  fixed: Partial<Record<Api, { upload: number; rerun: number }>>;
}

interface ActionRun {
  ms: number;
  /** Peak resident set size of the action's node process, in MB (10^6 bytes). */
  rssMb: number;
  /** From spawn to the first request's arrival: node, the bundle, the inputs, the files found and globbed. */
  startupMs: number;
  outputs: Record<string, string>;
  /** Requests the server received during the run. */
  requests: RecordedRequest[];
  /** Asset downloads among them. */
  downloads: number;
}

let serial = 0;
const fresh = (ctx: Context, prefix: string) => mkdtempSync(join(ctx.root, `${prefix}-`));
const mibPerS = (bytes: number, ms: number) => `${(((bytes / MIB) * 1000) / ms).toFixed(0)} MiB/s`;
const pad = (n: number) => String(n).padStart(3, '0');

/** action[i] ÷ anchor[i] for each pair: the median, and the spread as `1.02–1.10`. */
function pairedRatio(action: number[], anchor: number[]) {
  const ratios = action.map((ms, i) => ms / anchor[i]);
  const ratio = median(ratios);
  const spread = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  return { ratio, text: ratios.length > 1 ? `${ratio.toFixed(2)} (${spread})` : ratio.toFixed(2) };
}

const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/** `5` or `5–7`: a count per run, as one figure when they agree. */
function range(counts: number[]): string {
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  return low === high ? `${low}` : `${low}–${high}`;
}
const requestCounts = (runs: RecordedRequest[][]) => range(runs.map((r) => r.length));
const downloadCounts = (runs: ActionRun[]) => range(runs.map((r) => r.downloads));
const startup = (runs: ActionRun[]) =>
  `start-up to the first request ${seconds(median(runs.map((r) => r.startupMs)))} s`;

/** Downloads of asset bytes (Gitea by uuid, either flavour by name; GitHub's API form redirects to the latter). */
const downloadsIn = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === 'GET' && /\/attachments\/|\/releases\/download\//.test(r.path)).length;

/** Pseudo-random bytes: AES-128-CTR of zeros under a key from the seed (the same seed, the same bytes). */
function pseudoRandom(seed: string, size: number) {
  return (path: string) => {
    const key = createHash('sha256').update(`upload-asset-dedup bench ${seed}`).digest().subarray(0, 16);
    const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
    const fd = openSync(path, 'w');
    try {
      for (let left = size; left > 0; ) {
        const piece = Math.min(left, 4 * MIB);
        writeSync(fd, cipher.update(Buffer.alloc(piece)));
        left -= piece;
      }
    } finally {
      closeSync(fd);
    }
  };
}
/** A file of `size` bytes, all holes (as `truncate -s`): reads cost no disk. */
const sparse = (size: number) => (path: string) => {
  writeFileSync(path, '');
  truncateSync(path, size);
};

async function startServer(ctx: Context, flavour: Api): Promise<ForgeServer> {
  return startForgeServer({ flavour, dataDir: fresh(ctx, `server-${flavour}`) });
}

async function stopServer(server: ForgeServer): Promise<void> {
  await server.close();
  rmSync(server.dataDir, { recursive: true, force: true });
}

/** A workspace whose build/ holds the given files, made by `make(path)`. */
function workspace(ctx: Context, files: Record<string, (path: string) => void>): string {
  const dir = fresh(ctx, 'ws');
  mkdirSync(join(dir, 'build'));
  for (const [name, make] of Object.entries(files)) make(join(dir, 'build', name));
  return dir;
}

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
  let firstRequest = 0;
  const onRequest = () => {
    firstRequest ||= performance.now();
  };
  const before = server.requests.length;
  server.events.on('request', onRequest);
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
  }).finally(() => server.events.off('request', onRequest));
  // The harness's runner folders (output files, RUNNER_TEMP) are not needed past this point.
  rmSync(dirname(result.runnerTemp), { recursive: true, force: true });
  if (result.code !== 0) {
    throw new Error(`upload-asset-dedup failed: ${result.errors.join(' ') || result.stderr}`);
  }
  const kib = Number.parseInt(readFileSync(rssFile, 'utf8').trim(), 10);
  const requests = server.requests.slice(before);
  return {
    ms: ended - started,
    rssMb: (kib * KIB) / MB,
    startupMs: firstRequest - started,
    outputs: result.outputs,
    requests,
    downloads: downloadsIn(requests),
  };
}

/** The run's outputs must say it did this, or its time measures something else. */
function expectOutcome(run: ActionRun, want: { uploaded: number; replaced: number; skipped: number }): void {
  const { uploaded, replaced, skipped } = run.outputs;
  if (
    Number(uploaded) !== want.uploaded ||
    Number(replaced) !== want.replaced ||
    Number(skipped) !== want.skipped
  ) {
    throw new Error(
      `expected ${JSON.stringify(want)}, the action reported uploaded ${uploaded}, replaced ${replaced}, skipped ${skipped}`,
    );
  }
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

/** One curl call (token sent) from spawn to exit; with `capture`, its stdout. It must succeed. */
function curl(args: string[], capture = false) {
  return new Promise<{ ms: number; stdout: string }>((done, failed) => {
    const started = performance.now();
    const child = spawn('curl', ['-sS', '-f', '-H', `Authorization: token ${TOKEN}`, ...args], {
      stdio: ['ignore', capture ? 'pipe' : 'ignore', 'inherit'],
    });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', failed);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) done({ ms, stdout });
      else failed(new Error(`curl ${args.join(' ')} exited with ${code}`));
    });
  });
}

/** curl's arguments to POST `file` as asset `name` (the upload route of either flavour). */
function curlUploadArgs(
  server: ForgeServer,
  releaseId: number,
  name: string,
  file: string,
  mode: 'data-binary' | 'upload-file',
): string[] {
  const url = `${server.uploadsUrl}/repos/octo/app/releases/${releaseId}/assets?name=${encodeURIComponent(name)}`;
  const body = mode === 'data-binary' ? ['--data-binary', `@${file}`] : ['-T', file];
  const headers = ['-H', 'Content-Type: application/octet-stream', '-H', 'Expect:'];
  return ['-o', '/dev/null', '-X', 'POST', ...headers, ...body, url];
}

const assetUrl = (server: ForgeServer, releaseId: number, assetId: number) =>
  server.flavour === 'github'
    ? `${server.apiUrl}/repos/octo/app/releases/assets/${assetId}`
    : `${server.apiUrl}/repos/octo/app/releases/${releaseId}/assets/${assetId}`;

/** Frees the server's disk between rounds: deletes every asset of the release. */
async function emptyRelease(server: ForgeServer, releaseId: number): Promise<void> {
  for (const asset of server.state.release(releaseId)?.assets ?? []) {
    const res = await fetch(assetUrl(server, releaseId, asset.id), {
      method: 'DELETE',
      headers: { authorization: `token ${TOKEN}` },
    });
    if (res.status !== 204) throw new Error(`DELETE asset ${asset.id} answered ${res.status}`);
  }
}

/** The release must hold exactly one asset of the name, of that size (and those bytes, when given). */
function expectAsset(server: ForgeServer, releaseId: number, name: string, size: number, sha256?: string) {
  const found = server.state.release(releaseId)?.assets.filter((a) => a.name === name) ?? [];
  if (found.length !== 1 || found[0].size !== size || (sha256 !== undefined && found[0].sha256 !== sha256)) {
    throw new Error(`expected one ${name} of ${size} bytes on the release, found ${found.length}`);
  }
}

/** Wall time of `work` in the bench process. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The action's own sha256 (worker threads for large files), all files at once as the action starts them. */
const hashAll = (paths: string[]) => timed(() => Promise.all(paths.map((path) => sha256File(path))));

async function fixedCost(ctx: Context, flavour: Api, rounds: number, log: (line: string) => void) {
  const cwd = workspace(ctx, { 'one.bin': pseudoRandom('one', SMALL_SIZE) });
  const server = await startServer(ctx, flavour);
  const first: ActionRun[] = [];
  const again: ActionRun[] = [];
  try {
    // Round 0 warms up (caches, the bundle read once) and is not counted.
    for (let round = 0; round <= rounds; round++) {
      const releaseId = server.seed.createRelease({ tag: `v-fixed-${round}` }).id;
      const one = await runUpload(ctx, server, cwd, { 'release-id': String(releaseId) });
      expectOutcome(one, { uploaded: 1, replaced: 0, skipped: 0 });
      const two = await runUpload(ctx, server, cwd, { 'release-id': String(releaseId) });
      expectOutcome(two, { uploaded: 0, replaced: 0, skipped: 1 });
      if (round === 0) continue;
      first.push(one);
      again.push(two);
      log(
        `fixed cost, ${flavour}, round ${round}: upload ${seconds(one.ms)} s, re-run ${seconds(two.ms)} s ` +
          `(${startup([one, two])})`,
      );
    }
  } finally {
    await stopServer(server);
    rmSync(cwd, { recursive: true, force: true });
  }
  const upload = median(first.map((r) => r.ms));
  const rerun = median(again.map((r) => r.ms));
  ctx.fixed[flavour] = { upload, rerun };
  return [
    row({
      part: 'fixed cost',
      case: `a run uploading 1 × 64 KiB to an empty release (start-up, connect, list, upload, body), ${flavour}`,
      runs: first.length,
      'median s': seconds(upload),
      requests: requestCounts(first.map((r) => r.requests)),
      result: `${startup(first)}; peak RSS ${median(first.map((r) => r.rssMb)).toFixed(1)} MB`,
    }),
    row({
      part: 'fixed cost',
      case: `a re-run of it, nothing to upload, ${flavour}`,
      runs: again.length,
      'median s': seconds(rerun),
      requests: requestCounts(again.map((r) => r.requests)),
      result: `${startup(again)}; asset downloads per run: ${downloadCounts(again)}`,
    }),
  ];
}

async function peakRss(ctx: Context, log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const server = await startServer(ctx, 'gitea');
  let baseline = 0;
  try {
    for (const [label, size, make] of [
      ['1 KiB file', KIB, pseudoRandom('1 KiB', KIB)],
      ['2 GiB sparse file', 2 * GIB, sparse(2 * GIB)],
    ] as const) {
      const releaseId = server.seed.createRelease({ tag: `v-rss-${++serial}` }).id;
      const cwd = workspace(ctx, { 'big.bin': make });
      const run = await runUpload(ctx, server, cwd, { 'release-id': String(releaseId) });
      expectAsset(server, releaseId, 'big.bin', size);
      await emptyRelease(server, releaseId);
      rmSync(cwd, { recursive: true, force: true });
      const big = size >= GIB;
      if (!big) baseline = run.rssMb;
      const met = run.rssMb < GOAL.rssMb;
      rows.push(
        row({
          part: 'memory',
          case: `peak RSS of the action uploading a ${label}, gitea`,
          runs: 1,
          'median s': seconds(run.ms),
          requests: run.requests.length,
          result: `${run.rssMb.toFixed(1)} MB peak RSS`,
          goal: big ? `< ${GOAL.rssMb} MB: ${verdict(met)}` : '',
          'where the time goes':
            big && !met
              ? `a 1 KiB upload already peaks at ${baseline.toFixed(1)} MB (node and the bundle); 2 GiB adds ${(run.rssMb - baseline).toFixed(1)} MB`
              : '',
        }),
      );
      log(`memory, ${label}: peak RSS ${run.rssMb.toFixed(1)} MB in ${seconds(run.ms)} s`);
    }
  } finally {
    await stopServer(server);
  }
  return rows;
}

async function throughput(
  ctx: Context,
  flavour: Api,
  rounds: number,
  hashMs: number[],
  log: (line: string) => void,
): Promise<BenchRow[]> {
  // curl --data-binary @file holds the file in memory; curl 7.88 refuses anything from 1 GiB up.
  const size = GIB - 1;
  const server = await startServer(ctx, flavour);
  const cwd = workspace(ctx, { 'one-gib.bin': sparse(size) });
  const file = join(cwd, 'build', 'one-gib.bin');
  const curlModes = ['data-binary', 'upload-file'] as const;
  const times = { 'data-binary': [] as number[], 'upload-file': [] as number[], action: [] as number[] };
  const serverSide = { 'data-binary': [] as number[], 'upload-file': [] as number[], action: [] as number[] };
  const curlRequests: RecordedRequest[][] = [];
  const runs: ActionRun[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      // Taking turns within each round, so a slow moment of the machine hits all of them alike.
      const releaseId = server.seed.createRelease({ tag: `v-throughput-${round}` }).id;
      for (const mode of curlModes) {
        const name = `curl-${++serial}.bin`;
        const before = server.requests.length;
        let ms = 0;
        serverSide[mode].push(
          await uploadRequestMs(server, async () => {
            ms = (await curl(curlUploadArgs(server, releaseId, name, file, mode))).ms;
          }),
        );
        curlRequests.push(server.requests.slice(before));
        expectAsset(server, releaseId, name, size);
        times[mode].push(ms);
        await emptyRelease(server, releaseId);
      }
      let run: ActionRun | undefined;
      serverSide.action.push(
        await uploadRequestMs(server, async () => {
          run = await runUpload(ctx, server, cwd, { 'release-id': String(releaseId) });
        }),
      );
      if (!run) throw new Error('no action run');
      expectOutcome(run, { uploaded: 1, replaced: 0, skipped: 0 });
      expectAsset(server, releaseId, 'one-gib.bin', size);
      times.action.push(run.ms);
      runs.push(run);
      await emptyRelease(server, releaseId);
      // The action hashes the file beside the upload (curl does not): that part alone, in this process.
      if (flavour === 'gitea') hashMs.push(await hashAll([file]));
      log(
        `throughput, ${flavour}, round ${round + 1}: curl --data-binary ${seconds(times['data-binary'][round])} s, ` +
          `curl -T ${seconds(times['upload-file'][round])} s, action ${seconds(run.ms)} s ` +
          `(its upload request ${seconds(serverSide.action[round])} s)`,
      );
    }
  } finally {
    await stopServer(server);
    rmSync(cwd, { recursive: true, force: true });
  }
  const actionMs = median(times.action);
  const actionRequests = requestCounts(runs.map((r) => r.requests));
  const rss = median(runs.map((r) => r.rssMb)).toFixed(1);
  const curlRow = (mode: (typeof curlModes)[number], label: string) =>
    row({
      part: 'throughput',
      case: `${label}, 1 GiB − 1 B, ${flavour}`,
      runs: times[mode].length,
      'median s': seconds(median(times[mode])),
      requests: requestCounts(curlRequests.filter((_, i) => i % 2 === curlModes.indexOf(mode))),
      result: mibPerS(size, median(times[mode])),
    });
  const actionRow = (mode: (typeof curlModes)[number], label: string, goal: number) => {
    const { ratio, text } = pairedRatio(times.action, times[mode]);
    const met = ratio <= goal;
    const fixed = ctx.fixed[flavour];
    const where = [
      startup(runs),
      ...(fixed ? [`a whole 1-file run ${seconds(fixed.upload)} s`] : []),
      `its upload request ${seconds(median(serverSide.action))} s at the server vs ${seconds(median(serverSide[mode]))} s for ${label}`,
      ...(hashMs.length > 0
        ? [`sha256 of the file alone ${seconds(median(hashMs))} s (beside the upload)`]
        : []),
      `${actionRequests} requests vs 1`,
    ].join('; ');
    return row({
      part: 'throughput',
      case: `action vs ${label}, 1 GiB − 1 B, ${flavour}`,
      runs: times.action.length,
      'median s': seconds(actionMs),
      'anchor median s': seconds(median(times[mode])),
      ratio: text,
      requests: actionRequests,
      result: `${mibPerS(size, actionMs)}; peak RSS ${rss} MB`,
      goal: `≤ ${goal.toFixed(2)}×: ${verdict(met)}`,
      'where the time goes': met ? '' : where,
    });
  };
  return [
    curlRow('upload-file', 'curl -X POST -T file (streams from disk)'),
    curlRow('data-binary', 'curl --data-binary @file (reads it all into memory first)'),
    actionRow('upload-file', 'curl -T', GOAL.streamed),
    actionRow('data-binary', 'curl --data-binary', GOAL.dataBinary),
    row({
      part: 'throughput',
      case: `the upload request alone, as the server saw it (arrival to settled), ${flavour}`,
      runs: times.action.length,
      result:
        `curl -T ${seconds(median(serverSide['upload-file']))} s, ` +
        `curl --data-binary ${seconds(median(serverSide['data-binary']))} s, action ${seconds(median(serverSide.action))} s`,
    }),
    ...(flavour === 'gitea'
      ? [
          row({
            part: 'throughput',
            case: 'sha256 of the 1 GiB − 1 B file alone (the action’s sha256File, in the bench process)',
            runs: hashMs.length,
            'median s': seconds(median(hashMs)),
            result: mibPerS(size, median(hashMs)),
          }),
        ]
      : []),
  ];
}

/** The re-run's workspace: 50 × 64 KiB + 5 × 50 MB, the same bytes on every machine. */
function rerunWorkspace(ctx: Context): { cwd: string; paths: string[]; bytes: number } {
  const files: Record<string, (path: string) => void> = {};
  for (let i = 1; i <= RERUN_SMALL; i++)
    files[`small-${pad(i)}.bin`] = pseudoRandom(`small ${i}`, SMALL_SIZE);
  for (let i = 1; i <= RERUN_BIG; i++) files[`big-${pad(i)}.bin`] = pseudoRandom(`big ${i}`, BIG_SIZE);
  const cwd = workspace(ctx, files);
  return {
    cwd,
    paths: Object.keys(files).map((name) => join(cwd, 'build', name)),
    bytes: RERUN_SMALL * SMALL_SIZE + RERUN_BIG * BIG_SIZE,
  };
}

async function rerun(
  ctx: Context,
  files: { cwd: string; paths: string[]; bytes: number },
  flavour: Api,
  checksums: 'none' | 'sha256',
  rounds: number,
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const label = `${flavour}, checksums: ${checksums}`;
  const count = files.paths.length;
  const server = await startServer(ctx, flavour);
  const first: ActionRun[] = [];
  const again: ActionRun[] = [];
  const hashMs: number[] = [];
  const extra = checksums === 'sha256' ? 1 : 0; // SHA256SUMS
  try {
    for (let round = 0; round < rounds; round++) {
      const releaseId = server.seed.createRelease({ tag: `v-rerun-${round}` }).id;
      const inputs = { 'release-id': String(releaseId), checksums };
      const one = await runUpload(ctx, server, files.cwd, inputs);
      expectOutcome(one, { uploaded: count + extra, replaced: 0, skipped: 0 });
      const two = await runUpload(ctx, server, files.cwd, inputs);
      expectOutcome(two, { uploaded: 0, replaced: 0, skipped: count + extra });
      first.push(one);
      again.push(two);
      hashMs.push(await hashAll(files.paths));
      await emptyRelease(server, releaseId);
      log(
        `re-run, ${label}, round ${round + 1}: first ${seconds(one.ms)} s, re-run ${seconds(two.ms)} s, ` +
          `sha256 of the files ${seconds(hashMs[round])} s`,
      );
    }
  } finally {
    await stopServer(server);
  }
  const firstMs = first.map((r) => r.ms);
  const againMs = again.map((r) => r.ms);
  const { ratio, text } = pairedRatio(againMs, firstMs);
  const downloads = again.reduce((sum, r) => sum + r.downloads, 0);
  const requests = requestCounts(again.map((r) => r.requests));
  const hasGoal = flavour === 'gitea';
  const met = ratio <= GOAL.rerun && downloads === 0;
  const fixed = ctx.fixed[flavour];
  const where = [
    startup(again),
    ...(fixed ? [`a whole re-run of 1 file ${seconds(fixed.rerun)} s`] : []),
    `sha256 of the ${(files.bytes / MB).toFixed(0)} MB alone ${seconds(median(hashMs))} s (the action’s sha256File in the bench process)`,
    `${requests} requests`,
  ].join('; ');
  const what = `${RERUN_SMALL} × 64 KiB + ${RERUN_BIG} × 50 MB`;
  return [
    row({
      part: 're-run',
      case: `first upload of ${what} to an empty release, ${label}`,
      runs: first.length,
      'median s': seconds(median(firstMs)),
      requests: requestCounts(first.map((r) => r.requests)),
      result: `${mibPerS(files.bytes, median(firstMs))}; peak RSS ${median(first.map((r) => r.rssMb)).toFixed(1)} MB`,
    }),
    row({
      part: 're-run',
      case: `re-run, all ${count} unchanged, vs the first upload, ${label}`,
      runs: again.length,
      'median s': seconds(median(againMs)),
      'anchor median s': seconds(median(firstMs)),
      ratio: text,
      requests,
      result: `asset downloads per run: ${downloadCounts(again)}`,
      goal: hasGoal ? `≤ ${GOAL.rerun}×, no asset downloaded: ${verdict(met)}` : '',
      'where the time goes': hasGoal && !met ? where : '',
    }),
  ];
}

/** curl replacing asset `name` by hand: GET the asset list, DELETE the old asset, POST the new one. */
async function curlReplace(
  server: ForgeServer,
  releaseId: number,
  name: string,
  file: string,
): Promise<number> {
  const started = performance.now();
  // GitHub pages the list (30 by default): one page of 100 holds the asset (the benchmark changes early ones).
  const page = server.flavour === 'github' ? '?per_page=100' : '';
  const list = await curl([`${server.apiUrl}/repos/octo/app/releases/${releaseId}/assets${page}`], true);
  const old = (JSON.parse(list.stdout) as { id: number; name: string }[]).find((a) => a.name === name);
  if (!old) throw new Error(`${name} is not on the first page of the asset list`);
  await curl(['-o', '/dev/null', '-X', 'DELETE', assetUrl(server, releaseId, old.id)]);
  await curl(curlUploadArgs(server, releaseId, name, file, 'upload-file'));
  return performance.now() - started;
}

async function replace(
  ctx: Context,
  flavour: Api,
  among: number,
  rounds: number,
  log: (line: string) => void,
): Promise<BenchRow> {
  const files: Record<string, (path: string) => void> = {};
  for (let i = 1; i <= among; i++) files[`asset-${pad(i)}.bin`] = pseudoRandom(`asset ${i}`, SMALL_SIZE);
  const cwd = workspace(ctx, files);
  const paths = Object.keys(files).map((name) => join(cwd, 'build', name));
  const server = await startServer(ctx, flavour);
  const curlTimes: number[] = [];
  const curlRequests: RecordedRequest[][] = [];
  const runs: ActionRun[] = [];
  const hashMs: number[] = [];
  try {
    // The same assets on two releases: curl's seeded directly, the action's uploaded by the action.
    const curlRelease = server.seed.createRelease({ tag: `v-replace-curl-${among}` }).id;
    for (const [name, path] of Object.keys(files).map((n, i) => [n, paths[i]] as const)) {
      await server.seed.addAsset(curlRelease, name, readFileSync(path));
    }
    const actionRelease = server.seed.createRelease({ tag: `v-replace-action-${among}` }).id;
    const inputs = { 'release-id': String(actionRelease) };
    const setup = await runUpload(ctx, server, cwd, inputs);
    expectOutcome(setup, { uploaded: among, replaced: 0, skipped: 0 });
    log(
      `replace, ${flavour}, ${among} assets: the action's first upload of them took ${seconds(setup.ms)} s`,
    );
    for (let round = 0; round < rounds; round++) {
      // A different early file each round (so it is on curl's first page), with new bytes of the same size.
      const name = `asset-${pad((round % among) + 1)}.bin`;
      const path = join(cwd, 'build', name);
      pseudoRandom(`changed ${flavour} ${among} ${round}`, SMALL_SIZE)(path);
      const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
      const before = server.requests.length;
      curlTimes.push(await curlReplace(server, curlRelease, name, path));
      curlRequests.push(server.requests.slice(before));
      expectAsset(server, curlRelease, name, SMALL_SIZE, sha256);
      const run = await runUpload(ctx, server, cwd, inputs);
      expectOutcome(run, { uploaded: 0, replaced: 1, skipped: among - 1 });
      expectAsset(server, actionRelease, name, SMALL_SIZE, sha256);
      runs.push(run);
      // The local hashing is steady from round to round: a few samples say enough.
      if (round < 3) hashMs.push(await hashAll(paths));
      log(
        `replace, ${flavour}, 1 among ${among}, round ${round + 1}: curl ${seconds(curlTimes[round])} s, ` +
          `action ${seconds(run.ms)} s (${run.requests.length} requests)`,
      );
    }
  } finally {
    await stopServer(server);
    rmSync(cwd, { recursive: true, force: true });
  }
  const actionMs = runs.map((r) => r.ms);
  const { ratio, text } = pairedRatio(actionMs, curlTimes);
  const goal = GOAL.replace[flavour];
  const met = ratio <= goal;
  const requests = requestCounts(runs.map((r) => r.requests));
  const curlCount = requestCounts(curlRequests);
  const fixed = ctx.fixed[flavour];
  const downloads = downloadCounts(runs);
  const where = [
    startup(runs),
    ...(fixed ? [`a whole 1-file upload run ${seconds(fixed.upload)} s`] : []),
    `sha256 of the ${among} files alone ${seconds(median(hashMs))} s (the action’s sha256File, all at once)`,
    `${requests} requests vs curl's ${curlCount}`,
    ...(downloads !== '0' ? [`${downloads} asset downloads per run`] : []),
  ].join('; ');
  return row({
    part: 'replace',
    case: `replace 1 changed 64 KiB file among ${among} assets vs curl list + DELETE + POST, ${flavour}`,
    runs: runs.length,
    'median s': seconds(median(actionMs)),
    'anchor median s': seconds(median(curlTimes)),
    ratio: text,
    requests: `${requests} (curl ${curlCount})`,
    result: `asset downloads per run: ${downloads}`,
    goal: `≤ ${goal}×: ${verdict(met)}`,
    'where the time goes': met ? '' : where,
  });
}

export const benchmark: Benchmark = {
  id: 'upload-asset-dedup',
  title: 'upload-asset-dedup: memory, throughput, re-runs and replacing a file (local forge server)',
  goal:
    `ratios are action ÷ anchor, the median of paired runs; peak RSS under ${GOAL.rssMb} MB uploading 2 GiB; ` +
    `uploading 1 GiB − 1 B ≤ ${GOAL.streamed}× curl -X POST -T file and ≤ ${GOAL.dataBinary.toFixed(1)}× curl --data-binary @file ` +
    `(Gitea and GitHub flavours); a re-run of ${RERUN_SMALL} × 64 KiB + ${RERUN_BIG} × 50 MB unchanged ≤ ${GOAL.rerun}× the first ` +
    `upload with no asset downloaded (Gitea, checksums none and sha256); replacing 1 changed file among ` +
    `${REPLACE_AMONG.join(' / ')} assets ≤ ${GOAL.replace.gitea}× (Gitea) and ≤ ${GOAL.replace.github}× (GitHub) curl's list + DELETE + POST`,
  async run({ runs, log }) {
    const root = mkdtempSync(join(tmpdir(), 'bench-upload-asset-dedup-'));
    const nodeUnderTime = join(root, 'node-under-time');
    writeFileSync(
      nodeUnderTime,
      '#!/bin/bash\nexec /usr/bin/time -f %M -o "$BENCH_RSS_FILE" "$BENCH_NODE" "$@"\n',
      { mode: 0o755 },
    );
    const ctx: Context = {
      root,
      nodeUnderTime,
      actionDir: snapshotAction('upload-asset-dedup', root),
      fixed: {},
    };
    const rounds = {
      big: Math.min(runs, MAX_ROUNDS.big),
      fixed: Math.min(runs, MAX_ROUNDS.fixed),
      rerun: Math.min(runs, MAX_ROUNDS.rerun),
      replace: Math.min(runs, MAX_ROUNDS.replace),
    };
    // Other work on the machine slows both sides of the comparisons; this says how busy it was.
    const loadAtStart = loadavg()[0];
    try {
      const rows: BenchRow[] = [];
      for (const flavour of ['gitea', 'github'] as const)
        rows.push(...(await fixedCost(ctx, flavour, rounds.fixed, log)));
      rows.push(...(await peakRss(ctx, log)));
      const hashMs: number[] = [];
      for (const flavour of ['gitea', 'github'] as const)
        rows.push(...(await throughput(ctx, flavour, rounds.big, hashMs, log)));
      const files = rerunWorkspace(ctx);
      try {
        for (const [flavour, checksums] of [
          ['gitea', 'none'],
          ['gitea', 'sha256'],
          ['github', 'none'],
        ] as const) {
          rows.push(...(await rerun(ctx, files, flavour, checksums, rounds.rerun, log)));
        }
      } finally {
        rmSync(files.cwd, { recursive: true, force: true });
      }
      for (const flavour of ['gitea', 'github'] as const) {
        for (const among of REPLACE_AMONG) rows.push(await replace(ctx, flavour, among, rounds.replace, log));
      }
      const load = row({
        part: 'machine',
        case: 'load average over the last minute, when the benchmark started and ended',
        result: `${loadAtStart.toFixed(2)}, ${loadavg()[0].toFixed(2)}`,
      });
      return [load, ...rows];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
