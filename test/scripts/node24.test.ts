// Every bundle must start under Node 24 (GitHub's runners moved JavaScript actions to it; Gitea runs
// whatever node the job image has). With no inputs beyond action.yml's defaults an action may succeed
// or fail with one clear line, but must never crash on module loading or syntax.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runAction } from '@forge-actions/testing/run-action';
import { describe, expect, test } from '@jest/globals';
import { listJavaScriptActions } from '../../scripts/actions.js';

const NODE24 = join(REPO_ROOT, 'tools', 'node24', 'node_modules', '.bin', 'node');
const available = existsSync(NODE24);
const inCi = process.env.CI === 'true';

describe('bundles under Node 24', () => {
  if (!available) {
    if (inCi) {
      test('Node 24 is installed', () => {
        throw new Error(
          `${NODE24} is missing: run \`npm ci --prefix tools/node24\` (root postinstall does it)`,
        );
      });
    } else {
      console.warn(`SKIPPED: Node 24 bundle runs: ${NODE24} is missing (npm ci --prefix tools/node24)`);
      test.skip('Node 24 is not installed', () => {});
    }
    return;
  }

  test('the binary is Node 24', () => {
    expect(execFileSync(NODE24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  });

  test.each(listJavaScriptActions())('%s starts and ends cleanly', async (name) => {
    const run = await runAction(name, { node: NODE24 });
    expect(run.stderr).not.toMatch(/SyntaxError|ERR_/);
    expect(run.signal).toBeNull();
    if (run.code === 0) {
      expect(run.errors).toEqual([]);
    } else {
      expect(run.code).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).not.toContain('\n');
      expect(run.errors[0].length).toBeGreaterThan(0);
    }
  });
});
