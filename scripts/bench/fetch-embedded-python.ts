// fetch-embedded-python against a python.org-shaped mirror on 127.0.0.1 serving a 10 MB embeddable
// zip (python.org's are about that size): the first fetch (download, sha256, safe extraction, tool
// cache, ._pth patch) next to `curl -o` + `unzip` of the same zip in the same run, and a cache-hit run.
// Times are the bundle's wall time from spawn to exit, as a workflow step pays it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { publishEmbedZip, startMirror } from '@forge-actions/testing/embed-mirror';
import { runAction } from '@forge-actions/testing/run-action';
import { type Benchmark, type BenchRow, measure, timeSpawn } from './_support.js';

const CACHE_HIT_GOAL_SECONDS = 0.5;
const RATIO_GOAL = 1.2;
const ZIP_BYTES = 10 * 1000 * 1000;
const VERSION = '3.11.9';

/**
 * One timed run of the bundle; it must end as expected (success with the given cache-hit output, or
 * for `cacheHit: undefined` one input error), or the number means nothing.
 */
function bundleRun(
  inputs: Record<string, string>,
  cacheHit: boolean | undefined,
  toolCache?: string,
): () => Promise<number> {
  return async () => {
    let started = 0;
    let ended = 0;
    const result = await runAction('fetch-embedded-python', {
      inputs,
      env: toolCache ? { RUNNER_TOOL_CACHE: toolCache } : {},
      onSpawn: (child) => {
        started = performance.now();
        child.on('exit', () => {
          ended = performance.now();
        });
      },
    });
    if (cacheHit === undefined) {
      if (result.code !== 1 || result.errors.length !== 1) throw new Error('expected one input error');
    } else if (result.code !== 0) {
      throw new Error(`fetch-embedded-python failed: ${result.errors.join(' ') || result.stderr}`);
    } else if (result.outputs['cache-hit'] !== String(cacheHit)) {
      throw new Error(`expected cache-hit=${cacheHit}, got ${result.outputs['cache-hit']}`);
    }
    rmSync(dirname(result.runnerTemp), { recursive: true, force: true });
    return ended - started;
  };
}

/** `curl -o` then `unzip` into a fresh folder: what the seed's shell recipe does. */
function curlUnzip(url: string): () => Promise<number> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-curl-unzip-'));
    try {
      const zip = join(dir, 'python-embed.zip');
      const download = await timeSpawn('curl', ['-sSf', '-o', zip, url]);
      const extract = await timeSpawn('unzip', ['-qo', zip, '-d', join(dir, 'python')]);
      return download + extract;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

export const benchmark: Benchmark = {
  id: 'fetch-embedded-python',
  title: 'fetch-embedded-python: first fetch and cache hit',
  goal: `cache-hit run under ${CACHE_HIT_GOAL_SECONDS} s; first fetch of a 10 MB zip from a local mirror at most ${RATIO_GOAL}× curl -o + unzip of the same zip`,
  async run({ runs, log }) {
    for (const tool of ['curl', 'unzip']) execFileSync('which', [tool], { stdio: 'ignore' });
    const root = mkdtempSync(join(tmpdir(), 'bench-python-mirror-'));
    const mirror = await startMirror(root);
    try {
      const zip = await publishEmbedZip(root, VERSION, 'amd64', { payloadBytes: ZIP_BYTES });
      const size = Number(execFileSync('stat', ['-c', '%s', zip], { encoding: 'utf8' }).trim());
      log(`zip: ${(size / 1e6).toFixed(1)} MB`);
      const inputs = { mirror: mirror.url, 'python-version': VERSION, 'extra-paths': '../app/src' };
      const url = `${mirror.url}/${VERSION}/python-${VERSION}-embed-amd64.zip`;

      const rows: BenchRow[] = [];
      const row = (name: string, stats: Awaited<ReturnType<typeof measure>>, ratio: string, goal: string) => {
        rows.push({
          case: name,
          ...stats.columns,
          ratio,
          goal,
        });
        log(
          `${name}: median ${stats.median} s${ratio ? `, ratio ${ratio}` : ''}${goal ? ` (goal ${goal})` : ''}`,
        );
      };

      const baseline = await measure(runs, curlUnzip(url));
      row('curl -o + unzip (baseline)', baseline, '1.00', '');
      const first = await measure(runs, bundleRun(inputs, false));
      const ratio = first.medianMs / baseline.medianMs;
      row(
        `first fetch, ${(size / 1e6).toFixed(1)} MB zip (download, sha256, extract, cache, patch)`,
        first,
        ratio.toFixed(2),
        ratio <= RATIO_GOAL ? 'met' : 'MISSED',
      );

      const toolCache = mkdtempSync(join(tmpdir(), 'bench-tool-cache-'));
      try {
        await bundleRun(inputs, false, toolCache)();
        const hit = await measure(runs, bundleRun(inputs, true, toolCache));
        row(
          'cache hit (copy from the tool cache, patch)',
          hit,
          '',
          hit.medianMs < CACHE_HIT_GOAL_SECONDS * 1000 ? 'met' : 'MISSED',
        );
      } finally {
        rmSync(toolCache, { recursive: true, force: true });
      }
      // Where the time goes: Node itself, then loading the bundle (it stops at its first input).
      const bare = await measure(runs, () => timeSpawn(process.execPath, ['-e', '']));
      row(`node -e '' (${process.version})`, bare, (bare.medianMs / baseline.medianMs).toFixed(2), '');
      const load = await measure(runs, bundleRun({ ...inputs, 'python-version': 'latest' }, undefined));
      row('bundle start-up only (input error)', load, (load.medianMs / baseline.medianMs).toFixed(2), '');
      return rows;
    } finally {
      await mirror.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
