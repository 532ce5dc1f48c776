// create-release against the local forge server, both flavours: how many requests a first run (create)
// and a re-run (reuse) send, as the server recorded them, and the bundle's wall time from spawn to exit.
// The server runs in this process; it only answers while the bundle runs, so it does not compete with it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FLAVOURS, forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { type RunOptions, runAction } from '@forge-actions/testing/run-action';
import { type Flavour, type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';
import { type Benchmark, type BenchRow, measure, snapshotAction } from './_support.js';

const GOAL_REUSE_REQUESTS = 2;
const TOKEN = 'test-token';

/** `GET /api/v1/repos/octo/app/releases/tags/v1.0.3` → `GET …/releases/tags/{tag}`. */
function route(server: ForgeServer, method: string, path: string, tag: string): string {
  const short = path
    .replace(`${server.apiUrl.slice(server.url.length)}/repos/octo/app/`, '…/')
    .replace(encodeURIComponent(tag), '{tag}')
    .replace(/\/\d+(?=\/|$)/g, '/{id}');
  return `${method} ${short}`;
}

/**
 * How the run learns the flavour. On a Gitea runner GITEA_ACTIONS is set (Forgejo's sets FORGEJO_ACTIONS too); elsewhere `forge: auto` asks
 * GET /api/v1/version unless the host is github.com (the local server is on 127.0.0.1, as a GHES or a
 * Gitea reached from another CI would be); naming `forge` skips the question.
 */
interface Detection {
  label: string;
  env: Record<string, string>;
  inputs: Record<string, string>;
}

const DETECTIONS: Record<Flavour, Detection[]> = {
  gitea: [
    {
      label: 'GITEA_ACTIONS=true (Gitea runner: probe tells Gitea from Forgejo)',
      env: { GITEA_ACTIONS: 'true' },
      inputs: {},
    },
    { label: 'forge: auto, no GITEA_ACTIONS (probe)', env: {}, inputs: {} },
  ],
  forgejo: [
    {
      label: 'FORGEJO_ACTIONS=true (Forgejo runner)',
      env: { FORGEJO_ACTIONS: 'true', GITEA_ACTIONS: 'true' },
      inputs: {},
    },
    {
      label: 'GITEA_ACTIONS only (Forgejo runner before mid-2025: probe)',
      env: { GITEA_ACTIONS: 'true' },
      inputs: {},
    },
  ],
  github: [
    { label: 'forge: auto, host not github.com (probe, as on GHES)', env: {}, inputs: {} },
    { label: 'forge: github', env: {}, inputs: { forge: 'github' } },
  ],
};

interface Run {
  ms: number;
  routes: string[];
}

/** One run of the bundle for `tag`; it must succeed with the expected `created`, or the number means nothing. */
async function runOnce(
  actionDir: string,
  server: ForgeServer,
  detection: Detection,
  tag: string,
  created: boolean,
): Promise<Run> {
  let started = 0;
  let ended = 0;
  const before = server.requests.length;
  // Whether the runner says it is Gitea's is what each detection case varies.
  const { GITEA_ACTIONS: _, FORGEJO_ACTIONS: __, ...runner } = forgeRunnerEnv(server, tag);
  const env = { ...runner, ...detection.env };
  const options: RunOptions = {
    actionDir,
    inputs: { token: TOKEN, tag, ...detection.inputs },
    env,
    onSpawn: (child) => {
      started = performance.now();
      child.on('exit', () => {
        ended = performance.now();
      });
    },
  };
  const result = await runAction('create-release', options);
  // The harness's runner folders (output files, RUNNER_TEMP) are not needed past this point.
  rmSync(dirname(result.runnerTemp), { recursive: true, force: true });
  if (result.code !== 0)
    throw new Error(`create-release failed: ${result.errors.join(' ') || result.stderr}`);
  if (result.outputs.created !== String(created)) {
    throw new Error(`create-release said created=${result.outputs.created} for ${tag}, expected ${created}`);
  }
  const routes = server.requests.slice(before).map((r) => route(server, r.method, r.path, tag));
  return { ms: ended - started, routes };
}

/** Times creates (a fresh tag each) and reuses (the first of those tags) with one way of detecting the flavour. */
async function measureDetection(
  actionDir: string,
  server: ForgeServer,
  detection: Detection,
  runs: number,
  nextTag: () => string,
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let reuseTag: string | undefined;
  for (const kind of ['create', 'reuse'] as const) {
    const seen = new Set<string>();
    const counts: number[] = [];
    const stats = await measure(runs, async () => {
      const tag = kind === 'create' ? nextTag() : (reuseTag ?? '');
      reuseTag ??= tag;
      const run = await runOnce(actionDir, server, detection, tag, kind === 'create');
      seen.add(run.routes.join(', '));
      counts.push(run.routes.length);
      return run.ms;
    });
    const low = Math.min(...counts);
    const high = Math.max(...counts);
    const verdict = kind === 'reuse' ? (high <= GOAL_REUSE_REQUESTS ? 'met' : 'MISSED') : '';
    const row: BenchRow = {
      flavour: server.flavour,
      'flavour from': detection.label,
      case: kind === 'create' ? 'first run (creates)' : 're-run (reuses)',
      requests: low === high ? low : `${low}–${high}`,
      'requests sent': [...seen].join(' / '),
      ...stats.columns,
      goal: verdict,
    };
    rows.push(row);
    log(
      `${server.flavour}, ${detection.label}, ${row.case}: ${row.requests} requests (${row['requests sent']}); median ${stats.median} s${verdict ? ` (goal ${verdict})` : ''}`,
    );
  }
  return rows;
}

export const benchmark: Benchmark = {
  id: 'create-release',
  title: 'create-release: requests per create-or-reuse and wall time (local forge server)',
  goal: `a re-run that reuses the release sends at most ${GOAL_REUSE_REQUESTS} requests`,
  async run({ runs, log }) {
    const rows: BenchRow[] = [];
    const root = mkdtempSync(join(tmpdir(), 'bench-create-release-'));
    const actionDir = snapshotAction('create-release', root);
    let serial = 0;
    const nextTag = () => `v1.0.${serial++}`;
    try {
      for (const flavour of FLAVOURS) {
        const server = await startForgeServer({
          flavour,
          dataDir: mkdtempSync(join(root, `server-${flavour}-`)),
        });
        try {
          for (const detection of DETECTIONS[flavour]) {
            rows.push(...(await measureDetection(actionDir, server, detection, runs, nextTag, log)));
          }
        } finally {
          await server.close();
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return rows;
  },
};
