// The suite exactly as `uses: your-org/actions/<name>@v1` gets it: the tree scripts/release-tree.ts
// builds and publishes, checked out from the published repository. Every action.yml is valid, composite
// steps are pinned to the exact release, every bundle starts (Node 20 and Node 24), and a runner shows
// its own messages for a mistyped input and a missing action.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction } from '@action-validator/core';
import { act } from '@forge-actions/testing/act';
import {
  publishedSuite,
  runAct,
  SUITE,
  SUITE_VERSION,
  scratch,
  suiteRepositories,
} from '@forge-actions/testing/e2e-world';
import { REPO_ROOT, runAction } from '@forge-actions/testing/run-action';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { parse } from 'yaml';
import { listActions } from '../../scripts/actions.js';

jest.setTimeout(120_000);

const NODES = {
  'Node 20': process.execPath,
  'Node 24': join(REPO_ROOT, 'tools', 'node24', 'node_modules', '.bin', 'node'),
};

let work: ReturnType<typeof scratch>;
let suite: string;

beforeAll(async () => {
  work = scratch('tree');
  suite = await publishedSuite(work.root);
});
afterAll(() => work?.remove());

interface ActionYml {
  runs: { using: string; main?: string; steps?: Array<{ uses?: string }> };
}
const actionYml = (name: string) => readFileSync(join(suite, name, 'action.yml'), 'utf8');
const meta = (name: string) => parse(actionYml(name)) as ActionYml;
/** Known before the tree is published (the tests are listed first): the source says which run a bundle. */
const JAVASCRIPT = listActions().filter((name) =>
  (
    parse(readFileSync(join(REPO_ROOT, 'actions', name, 'action.yml'), 'utf8')) as ActionYml
  ).runs.using.startsWith('node'),
);

describe('the published tree', () => {
  test('holds every action of this repository, without their sources', () => {
    expect(listActions(suite)).toEqual(listActions());
    expect(existsSync(join(suite, 'package.json'))).toBe(false);
    for (const name of listActions())
      expect([name, existsSync(join(suite, name, 'src'))]).toEqual([name, false]);
  });

  test.each(listActions())('%s/action.yml is a valid action', (name) => {
    const state = validateAction(actionYml(name));
    expect(state.actionType).toBe('action');
    expect(state.errors).toEqual([]);
  });

  test('composite steps use their siblings at the exact release tag, never a local path', () => {
    const composites = listActions().filter((name) => meta(name).runs.using === 'composite');
    expect(composites.length).toBeGreaterThan(0);
    for (const name of composites) {
      for (const step of meta(name).runs.steps ?? []) {
        if (!step.uses) continue;
        expect([name, step.uses]).toEqual([
          name,
          expect.stringMatching(new RegExp(`^${SUITE}/[a-z-]+@v${SUITE_VERSION.replace(/\./g, '\\.')}$`)),
        ]);
        const sibling = step.uses.slice(SUITE.length + 1).split('@')[0];
        expect(listActions(suite)).toContain(sibling);
      }
    }
  });

  describe.each(Object.entries(NODES))('every runs.main starts on %s', (_label, node) => {
    test.each(JAVASCRIPT)('%s: a run without inputs ends with its own message, not a crash', async (name) => {
      const entry = join(suite, name, meta(name).runs.main ?? '');
      const run = await runAction(name, { actionDir: join(suite, name), entry, node });
      expect([name, run.stderr]).toEqual([name, '']);
      expect(run.stdout).not.toContain('Unexpected error');
      expect([0, 1]).toContain(run.code);
      // A failure is one line the user can act on (an input, a missing release, a missing tool).
      if (run.code === 1) expect(run.errors).toHaveLength(1);
    });
  });
});

(act ? describe : describe.skip)('a runner running the published suite', () => {
  function project(steps: string[]): string {
    const dir = join(work.root, `project-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(dir, '.gitea', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.gitea', 'workflows', 'check.yml'),
      ['on: push', 'jobs:', '  check:', '    runs-on: ubuntu-latest', '    steps:', ...steps, ''].join('\n'),
    );
    return dir;
  }

  test('a mistyped input: the warning names it and the action runs as documented', async () => {
    const dir = project([
      `      - id: v`,
      `        uses: ${SUITE}/resolve-version@v1`,
      '        with:',
      '          version: 1.2.3',
      '          versoin: 9.9.9',
      `      - run: echo "RESULT \${{ steps.v.outputs.version }}"`,
    ]);
    const run = await runAct(dir, ['push', '-W', '.gitea/workflows/check.yml', ...suiteRepositories(suite)]);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(
      /::warning::Unexpected input\(s\) 'versoin', ignored; valid inputs are version, /,
    );
    expect(run.output).toContain('| RESULT 1.2.3');
  });

  test("a uses: that names no action fails with the runner's own message", async () => {
    const dir = project([`      - uses: ${SUITE}/no-such-action@v1`]);
    const run = await runAct(dir, ['push', '-W', '.gitea/workflows/check.yml', ...suiteRepositories(suite)]);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      `failed to read 'action.yml' from action '${SUITE}/no-such-action@v1' with path 'no-such-action' of step: file does not exist`,
    );
  });
});
