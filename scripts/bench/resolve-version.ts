// Start-up cost of the resolve-version bundle: a workflow pays it on every step that uses it. Runs the
// built dist/index.js through the runner harness (real env, real output files) and times the child
// from spawn to exit, next to a bare `node -e ''` baseline.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git as runGit } from '@forge-actions/testing/git';
import { runAction } from '@forge-actions/testing/run-action';
import { REPO_ROOT } from '../actions.js';
import { type Benchmark, type BenchRow, measure, timeSpawn } from './_support.js';

const GOAL_SECONDS = 0.25;
const NODE24 = join(REPO_ROOT, 'tools', 'node24', 'node_modules', '.bin', 'node');

/** One timed run of the bundle; it must succeed and find the version where expected, or the number means nothing. */
function bundleRun(source: string, options: Parameters<typeof runAction>[1]): () => Promise<number> {
  return async () => {
    let started = 0;
    let ended = 0;
    const result = await runAction('resolve-version', {
      ...options,
      onSpawn: (child) => {
        started = performance.now();
        child.on('exit', () => {
          ended = performance.now();
        });
      },
    });
    if (result.code !== 0) {
      throw new Error(`resolve-version failed: ${result.errors.join(' ') || result.stderr}`);
    }
    if (result.outputs.source !== source) {
      throw new Error(
        `resolve-version took its version from '${result.outputs.source}', expected '${source}'`,
      );
    }
    return ended - started;
  };
}

/** A repository whose HEAD carries tag v1.2.3: the usual tag-triggered release. */
function taggedRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-resolve-version-'));
  const git = (...args: string[]) => runGit(dir, ...args);
  git('init', '-q');
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "app"\nversion = "0.0.0"\n');
  git('add', '.');
  git('commit', '-q', '-m', 'app');
  git('tag', 'v1.2.3');
  return dir;
}

export const benchmark: Benchmark = {
  id: 'resolve-version',
  title: 'resolve-version bundle wall time',
  goal: `median under ${GOAL_SECONDS} s per run of the bundle (spawn to exit)`,
  async run({ runs, log }) {
    const rows: BenchRow[] = [];
    const add = async (name: string, once: () => Promise<number>, goal: boolean) => {
      const stats = await measure(runs, once);
      const verdict = !goal ? '' : stats.medianMs < GOAL_SECONDS * 1000 ? 'met' : 'MISSED';
      rows.push({
        case: name,
        ...stats.columns,
        goal: verdict,
      });
      log(`${name}: median ${stats.median} s${verdict ? ` (goal ${verdict})` : ''}`);
    };

    await add(
      `node -e '' (${process.version}, baseline)`,
      () => timeSpawn(process.execPath, ['-e', '']),
      false,
    );
    await add('version input', bundleRun('input', { inputs: { version: 'v1.2.3' } }), true);
    const repo = taggedRepository();
    try {
      await add('exact tag on HEAD (git)', bundleRun('tag', { cwd: repo }), true);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
    if (existsSync(NODE24)) {
      const version = execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim();
      await add(`node -e '' (${version}, baseline)`, () => timeSpawn(NODE24, ['-e', '']), false);
      await add(
        `version input, Node ${version}`,
        bundleRun('input', { inputs: { version: 'v1.2.3' }, node: NODE24 }),
        true,
      );
    }
    return rows;
  },
};
