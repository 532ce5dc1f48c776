// linux-portable building a portable app with 20 wheels from a local index and python-build-standalone
// from a local mirror, cold (empty pip cache) and warm (pip's cache filled), next to the same steps by
// hand in shell as the seed writes them: curl + tar -x of the CPython, pip install, cp, tar -czf.
// Times are the bundle's wall time from spawn to exit, as a workflow step pays it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startMirror } from '@forge-actions/testing/embed-mirror';
import { startIndex, writeWheel } from '@forge-actions/testing/package-index';
import { runAction } from '@forge-actions/testing/run-action';
import { standaloneTarball } from '@forge-actions/testing/standalone-python';
import { type Benchmark, type BenchRow, measure, timeSpawn } from './_support.js';

const WHEELS = 20;
/** Each build takes seconds: a few runs give a stable median. */
const MAX_RUNS = 3;
const RATIO_GOAL = 1.5;

/** The seed's section 5 with a standalone CPython instead of a venv, step by step. */
const BY_HAND = `set -eu
rm -rf "$DIST" && mkdir -p "$DIST"
curl -sSf -o "$WORK/python.tar.gz" "$PYTHON_URL"
tar -xzf "$WORK/python.tar.gz" -C "$DIST"
"$DIST/python/bin/python3" -m pip install -q --disable-pip-version-check --no-warn-script-location -r "$APP/requirements.txt"
cp -r "$APP/src" "$DIST/app"
printf '#!/bin/sh\\nHERE=$(cd "$(dirname "$0")" && pwd)\\nPYTHONPATH="$HERE/app" exec "$HERE/python/bin/python3" -m benchapp "$@"\\n' > "$DIST/run.sh"
chmod +x "$DIST/run.sh"
tar -czf "$OUT" -C "$(dirname "$DIST")" "$(basename "$DIST")"
`;

export const benchmark: Benchmark = {
  id: 'linux-portable',
  title: `linux-portable: an app with ${WHEELS} wheels, cold and warm`,
  goal: `at most ${RATIO_GOAL}× the same steps by hand in shell (curl, tar -x, pip install, cp, tar -czf)`,
  async run({ runs, log }) {
    const times = Math.min(runs, MAX_RUNS);
    const root = mkdtempSync(join(tmpdir(), 'bench-linux-portable-'));
    const tarball = await standaloneTarball();
    mkdirSync(join(root, 'mirror', 'standalone'), { recursive: true });
    copyFileSync(tarball.path, join(root, 'mirror', 'standalone', tarball.name));
    const wheels = join(root, 'wheels');
    mkdirSync(wheels);
    const names = Array.from({ length: WHEELS }, (_, i) => `benchdep${i}`);
    for (const name of names) {
      const module = `${name}/__init__.py`;
      writeWheel(wheels, {
        name,
        version: '1.0',
        files: { [module]: `VALUE = ${JSON.stringify('x'.repeat(200_000))}\n` },
      });
    }
    const app = join(root, 'app');
    mkdirSync(join(app, 'src', 'benchapp'), { recursive: true });
    writeFileSync(join(app, 'src', 'benchapp', '__init__.py'), names.map((n) => `import ${n}\n`).join(''));
    writeFileSync(join(app, 'requirements.txt'), `${names.join('\n')}\n`);
    const [mirror, index] = await Promise.all([startMirror(join(root, 'mirror')), startIndex(wheels)]);
    const pythonUrl = `${mirror.url}/standalone/${tarball.name}`;
    const pipCache = join(root, 'pip-cache');
    try {
      const bundle = (cold: boolean) => async () => {
        if (cold) rmSync(pipCache, { recursive: true, force: true });
        let started = 0;
        let ended = 0;
        const result = await runAction('linux-portable', {
          cwd: app,
          inputs: {
            'python-dist-url': pythonUrl,
            'requirements-file': 'requirements.txt',
            'index-url': index.url,
            'app-dir': 'src',
            'app-module': 'benchapp',
            output: 'dist/App-v1.0.0-linux-x64.tar.gz',
          },
          env: { PIP_CACHE_DIR: pipCache, SOURCE_DATE_EPOCH: '1700000000' },
          onSpawn: (child) => {
            started = performance.now();
            child.on('exit', () => {
              ended = performance.now();
            });
          },
        });
        if (result.code !== 0)
          throw new Error(`linux-portable failed: ${result.errors.join(' ') || result.stderr}`);
        rmSync(dirname(result.runnerTemp), { recursive: true, force: true });
        return ended - started;
      };
      const byHand = (cold: boolean) => async () => {
        if (cold) rmSync(pipCache, { recursive: true, force: true });
        const work = mkdtempSync(join(root, 'hand-'));
        try {
          return await timeSpawn('sh', ['-c', BY_HAND], {
            env: {
              ...process.env,
              DIST: join(work, 'App-v1.0.0-linux-x64'),
              WORK: work,
              APP: app,
              OUT: join(work, 'App.tar.gz'),
              PYTHON_URL: pythonUrl,
              PIP_INDEX_URL: index.url,
              PIP_CACHE_DIR: pipCache,
            },
          });
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      };
      const rows: BenchRow[] = [];
      for (const cold of [true, false]) {
        const label = cold ? 'cold (empty pip cache)' : 'warm (pip cache filled)';
        const hand = await measure(times, byHand(cold), cold ? 0 : 1);
        const action = await measure(times, bundle(cold), cold ? 0 : 1);
        log(`${label}: by hand ${hand.median} s, linux-portable ${action.median} s`);
        rows.push({ case: `by hand, ${label}`, ...hand.columns, ratio: '1.00' });
        rows.push({
          case: `linux-portable, ${label}`,
          ...action.columns,
          ratio: (action.medianMs / hand.medianMs).toFixed(2),
        });
      }
      return rows;
    } finally {
      await Promise.all([mirror.close(), index.close()]);
      rmSync(root, { recursive: true, force: true });
    }
  },
};
