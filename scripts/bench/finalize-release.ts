// finalize-release on a draft of 50 assets against the local forge server, both flavours: how many
// requests it sends (by method, as the server recorded them) and the bundle's wall time from spawn to
// exit, for a first run that publishes (with and without writing SHA256SUMS) and for a re-run on the
// complete, published release (which must change nothing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { runAction } from '@forge-actions/testing/run-action';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';
import { type Benchmark, type BenchRow, measure, snapshotAction } from './_support.js';

const ASSETS = 50;
const TOKEN = 'test-token';

/** A draft for `tag` holding ASSETS small files, as the build jobs would have left it. */
async function draftWithAssets(server: ForgeServer, tag: string): Promise<void> {
  server.seed.pushTag(tag);
  const { id } = server.seed.createRelease({ tag, draft: true });
  for (let i = 0; i < ASSETS; i++)
    await server.seed.addAsset(id, `App-${i}.zip`, `bytes of file ${i} `.repeat(64));
}

interface Run {
  ms: number;
  byMethod: string;
  requests: number;
  mutations: number;
}

async function runOnce(actionDir: string, server: ForgeServer, tag: string, checksums: string): Promise<Run> {
  let started = 0;
  let ended = 0;
  const before = server.requests.length;
  const result = await runAction('finalize-release', {
    actionDir,
    inputs: { token: TOKEN, tag, checksums },
    env: forgeRunnerEnv(server, tag),
    onSpawn: (child) => {
      started = performance.now();
      child.on('exit', () => {
        ended = performance.now();
      });
    },
  });
  rmSync(dirname(result.runnerTemp), { recursive: true, force: true });
  if (result.code !== 0 || result.outputs.published !== 'true') {
    throw new Error(`finalize-release failed: ${result.errors.join(' ') || result.stderr}`);
  }
  const sent = server.requests.slice(before);
  const counts = new Map<string, number>();
  for (const request of sent) counts.set(request.method, (counts.get(request.method) ?? 0) + 1);
  return {
    ms: ended - started,
    byMethod: [...counts].map(([method, n]) => `${n} ${method}`).join(', '),
    requests: sent.length,
    mutations: sent.filter((r) => r.method !== 'GET').length,
  };
}

export const benchmark: Benchmark = {
  id: 'finalize-release',
  title: `finalize-release on a draft of ${ASSETS} assets: requests and wall time (local forge server)`,
  goal: 'a re-run on the complete, published release changes nothing (0 mutating requests)',
  async run({ runs, log }) {
    const rows: BenchRow[] = [];
    const root = mkdtempSync(join(tmpdir(), 'bench-finalize-release-'));
    const actionDir = snapshotAction('finalize-release', root);
    let serial = 0;
    try {
      for (const flavour of ['gitea', 'github'] as const) {
        const server = await startForgeServer({
          flavour,
          dataDir: mkdtempSync(join(root, `server-${flavour}-`)),
        });
        try {
          const cases = [
            { label: 'first run: publish', checksums: 'none', fresh: true },
            { label: 'first run: SHA256SUMS + publish', checksums: 'sha256', fresh: true },
            { label: 're-run on the published release', checksums: 'sha256', fresh: false },
          ];
          let published = '';
          for (const { label, checksums, fresh } of cases) {
            const seen: Run[] = [];
            const stats = await measure(runs, async () => {
              const tag = fresh || !published ? `v1.0.${serial++}` : published;
              if (tag !== published) await draftWithAssets(server, tag);
              // The re-run case publishes its release once (in the warm-up), then re-runs on it.
              if (!fresh) published = tag;
              const run = await runOnce(actionDir, server, tag, checksums);
              seen.push(run);
              return run.ms;
            });
            const last = seen.at(-1) as Run;
            const verdict = fresh ? '' : seen.every((r) => r.mutations === 0) ? 'met' : 'MISSED';
            rows.push({
              flavour,
              case: label,
              requests: last.requests,
              'requests by method': last.byMethod,
              ...stats.columns,
              goal: verdict,
            });
            log(
              `${flavour}, ${label}: ${last.requests} requests (${last.byMethod}); median ${stats.median} s`,
            );
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
