// pack-portable zipping a generated 150 MiB tree of 8,000 files (compressible text and random bytes,
// a few large files among many small ones), next to `zip -qr -X` at zip's default level 6. Runs are
// cold (a fresh process each, no warm-up) and taken in pairs, zip then pack-portable, so that drift in
// the machine's load hits both sides of a pair alike; the ratio is the median of the pairs' ratios.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction } from '@forge-actions/testing/run-action';
import {
  type Benchmark,
  median,
  pythonLikeText,
  seconds,
  seededBytes,
  seededRandom,
  snapshotAction,
  timeSpawn,
} from './_support.js';

const FILES = 8_000;
const TOTAL_BYTES = 150 * 1024 * 1024;
/** A portable app has a few large files (a runtime DLL, a data bundle) among thousands of small ones. */
const LARGE_FILES = 4;
const LARGE_BYTES = 8 * 1024 * 1024;
/** Each pair takes seconds: a handful gives a stable median. */
const MAX_PAIRS = 7;
const RATIO_GOAL = 1.0;

/** Writes the tree under `root`/app: two files in three text, one random; folders three deep. */
function makeTree(root: string): void {
  const next = seededRandom(2024);
  const source = join(root, 'app');
  const small = FILES - LARGE_FILES;
  const smallMean = (TOTAL_BYTES - LARGE_FILES * LARGE_BYTES) / small;
  for (let i = 0; i < FILES; i++) {
    const large = i < LARGE_FILES;
    const size = large ? LARGE_BYTES : Math.min(Math.floor(-Math.log(1 - next()) * smallMean), 1 << 20);
    const file = join(
      source,
      `lib${i % 7}`,
      `pkg${i % 53}`,
      `mod${i % 11}`,
      `file${i}.${i % 3 ? 'py' : 'bin'}`,
    );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      i % 3 ? Buffer.from(pythonLikeText(next, size)).subarray(0, size) : seededBytes(next, size),
    );
  }
}

export const benchmark: Benchmark = {
  id: 'pack-portable',
  title: `pack-portable: a zip of ${FILES.toLocaleString('en')} files, ${TOTAL_BYTES / 1024 / 1024} MiB`,
  goal: `at most ${RATIO_GOAL.toFixed(1)}× \`zip -qr -X\` at its default level 6, cold (a fresh process per run), median of paired ratios`,
  async run({ runs, log }) {
    const pairs = Math.min(runs, MAX_PAIRS);
    const root = mkdtempSync(join(tmpdir(), 'bench-pack-portable-'));
    const actionDir = snapshotAction('pack-portable', root);
    try {
      makeTree(root);
      const zipOut = join(root, 'by-zip.zip');
      const byZip = () => {
        rmSync(zipOut, { force: true });
        return timeSpawn('zip', ['-qr', '-X', zipOut, 'app'], { cwd: root });
      };
      const bundle = async () => {
        let started = 0;
        let ended = 0;
        const result = await runAction('pack-portable', {
          actionDir,
          cwd: root,
          inputs: { source: 'app', output: 'out/App.zip', 'root-dir': 'app' },
          env: { SOURCE_DATE_EPOCH: '1700000000' },
          onSpawn: (child) => {
            started = performance.now();
            child.on('exit', () => {
              ended = performance.now();
            });
          },
        });
        if (result.code !== 0)
          throw new Error(`pack-portable failed: ${result.errors.join(' ') || result.stderr}`);
        rmSync(dirname(result.runnerTemp), { recursive: true, force: true });
        rmSync(join(root, 'out'), { recursive: true, force: true });
        return ended - started;
      };
      const zipTimes: number[] = [];
      const packTimes: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < pairs; i++) {
        zipTimes.push(await byZip());
        packTimes.push(await bundle());
        ratios.push(packTimes[i] / zipTimes[i]);
        log(`pair ${i + 1}: zip ${seconds(zipTimes[i])} s, pack-portable ${seconds(packTimes[i])} s`);
      }
      const columns = (times: number[]) => ({
        runs: pairs,
        'median s': seconds(median(times)),
        'min s': seconds(Math.min(...times)),
        'max s': seconds(Math.max(...times)),
      });
      return [
        { case: 'zip -qr -X (level 6)', ...columns(zipTimes), ratio: '1.00' },
        { case: 'pack-portable (level 6)', ...columns(packTimes), ratio: median(ratios).toFixed(2) },
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
