import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { REPO_ROOT } from '@forge-actions/testing/run-action';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { listActions } from '../../scripts/actions.js';

const WORKFLOWS = join(REPO_ROOT, '.gitea', 'workflows');

/** Error paths and titles, readable in a failing assertion. */
function problems(state: ReturnType<typeof validateWorkflow>): string[] {
  return state.errors.map(
    (error) => `${'path' in error ? error.path : ''} ${error.title}: ${error.detail ?? ''}`,
  );
}

interface Workflow {
  on: Record<string, { tags?: string[]; branches?: string[]; inputs?: Record<string, unknown> } | null>;
  jobs: Record<
    string,
    { needs?: string | string[]; steps: { run?: string; uses?: string; with?: Record<string, string> }[] }
  >;
}

function load(file: string): { text: string; workflow: Workflow } {
  const text = readFileSync(join(WORKFLOWS, file), 'utf8');
  return { text, workflow: parse(text) as Workflow };
}

const runs = (workflow: Workflow) =>
  Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));

describe('workflows', () => {
  const files = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));

  test('test.yml and release.yml are there', () => {
    expect(files).toEqual(expect.arrayContaining(['release.yml', 'test.yml']));
  });

  test.each(files)('%s is a valid workflow', (file) => {
    const state = validateWorkflow(load(file).text);
    expect(state.actionType).toBe('workflow');
    expect(problems(state)).toEqual([]);
  });

  test('the validator rejects a broken workflow', () => {
    const broken = load('test.yml').text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(broken).not.toBe(load('test.yml').text);
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    expect(
      validateWorkflow('on: push\njobs:\n  a:\n    runs-on: x\n    steps: 3\n').errors.length,
    ).toBeGreaterThan(0);
  });

  test('test.yml runs what CI runs (.ci/run: tools, tests, lint, type-check, docs check) on pushes and pull requests', () => {
    const { workflow } = load('test.yml');
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(runs(workflow).filter((run) => run !== '')).toEqual(['bash .ci/run']);
    const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    for (const command of ['npm install-ci-test', 'npm run lint', 'npm run docs -- --check']) {
      expect(ci).toMatch(new RegExp(`^${command.replace(/[-.]/g, '\\$&')}$`, 'm'));
    }
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.lint).toContain('tsc');
  });

  test('release.yml runs on version tags and by hand, tests, then publishes without a token in the URL', () => {
    const { text, workflow } = load('release.yml');
    expect(workflow.on.push?.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+*']);
    expect(workflow.on.workflow_dispatch?.inputs).toHaveProperty('version');
    const commands = runs(workflow);
    expect(commands.indexOf('bash .ci/run')).toBeGreaterThanOrEqual(0);
    const publish = commands.findIndex((run) => run.startsWith('npm run release-tree -- publish'));
    expect(publish).toBeGreaterThan(commands.indexOf('bash .ci/run'));
    expect(commands[publish]).toContain('--remote "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY.git"');
    // Secrets reach the step only as RELEASE_TOKEN; Gitea forbids secret names starting with GITEA_/GITHUB_.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a JS template
    expect(text).toContain('RELEASE_TOKEN: ${{ secrets.DEPLOY_TOKEN || github.token }}');
    expect(text).not.toMatch(/secrets\.(GITEA|GITHUB)_/);
    expect(text).not.toMatch(/https:\/\/[^\s"]*\$\{\{/);
  });
});

describe('action metadata', () => {
  test.each(listActions())('actions/%s/action.yml is a valid action', (name) => {
    const state = validateAction(readFileSync(join(REPO_ROOT, 'actions', name, 'action.yml'), 'utf8'));
    expect(state.actionType).toBe('action');
    expect(problems(state)).toEqual([]);
  });

  test('the validator rejects a broken action', () => {
    expect(validateAction('name: x\ndescription: y\nruns:\n  using: node20\n').errors.length).toBeGreaterThan(
      0,
    );
  });
});

describe('example workflows (action-docs/examples, run end to end by test/e2e)', () => {
  const EXAMPLES = join(REPO_ROOT, 'action-docs', 'examples');
  const files = readdirSync(EXAMPLES).filter((file) => /\.ya?ml$/.test(file));
  const read = (file: string) => readFileSync(join(EXAMPLES, file), 'utf8');

  test('test.yml, build.yml and release.yml are there', () => {
    expect(files.sort()).toEqual(['build.yml', 'release.yml', 'test.yml']);
  });

  test.each(files)('%s is a valid workflow that names no secret Gitea refuses', (file) => {
    const state = validateWorkflow(read(file));
    expect(state.actionType).toBe('workflow');
    expect(problems(state)).toEqual([]);
    expect(read(file)).not.toMatch(/secrets\.(GITEA|GITHUB)_/);
  });

  test('release.yml announces the release once: one job creates it, every job that uploads needs that job', () => {
    const { jobs } = parse(read('release.yml')) as Workflow;
    const uses = (job: string, action: string) =>
      jobs[job].steps.some((step) => step.uses === `your-org/actions/${action}@v1`);
    // Forgejo fires a published webhook per extra simultaneous create (forge-behaviour.md).
    const creators = Object.keys(jobs).filter(
      (job) => uses(job, 'create-release') || uses(job, 'publish-release'),
    );
    expect(creators).toHaveLength(1);
    const uploaders = Object.keys(jobs).filter((job) => uses(job, 'upload-asset-dedup'));
    expect(uploaders.length).toBeGreaterThan(1);
    for (const job of uploaders) expect([job, [jobs[job].needs ?? []].flat()]).toEqual([job, creators]);
  });

  test.each(files)('%s: every step of the suite names an action and only inputs it has', (file) => {
    const workflow = parse(read(file)) as Workflow;
    for (const step of Object.values(workflow.jobs).flatMap((job) => job.steps)) {
      const name = /^your-org\/actions\/([a-z-]+)@v1$/.exec(step.uses ?? '')?.[1];
      if (!name) continue;
      expect(listActions()).toContain(name);
      const inputs = Object.keys(
        parse(readFileSync(join(REPO_ROOT, 'actions', name, 'action.yml'), 'utf8')).inputs,
      );
      for (const key of Object.keys(step.with ?? {}))
        expect([name, key, inputs.includes(key)]).toEqual([name, key, true]);
    }
  });
});

describe('Forgejo and Codeberg: the uses: form that works there (DEFAULT_ACTIONS_URL is data.forgejo.org)', () => {
  /** The `uses:` of the suite's actions in the first yaml block after `heading`. */
  const usesAfter = (text: string, heading: string) => {
    const from = text.indexOf(heading);
    expect(from).toBeGreaterThanOrEqual(0);
    const block = /```yaml\n([\s\S]*?)```/.exec(text.slice(from))?.[1] ?? '';
    return [...block.matchAll(/uses: (\S*your-org\/actions\/\S+)/g)].map((m) => m[1]);
  };

  test.each(listActions())('action-docs/%s.md: its Gitea and Forgejo example writes the full URL', (name) => {
    const text = readFileSync(join(REPO_ROOT, 'action-docs', `${name}.md`), 'utf8');
    const uses = usesAfter(text, '## Example on Gitea and Forgejo');
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^https:\/\/[^/]+\/your-org\/actions\/[a-z-]+@v1$/);
  });

  test("the README's Codeberg and Forgejo section: full-URL uses:, .forgejo/workflows, the secret rules", () => {
    const text = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const uses = usesAfter(text, '### From Codeberg and Forgejo Actions');
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^https:\/\/codeberg\.org\/your-org\/actions\//);
    const section = text.slice(text.indexOf('### From Codeberg and Forgejo Actions'));
    for (const fact of ['.forgejo/workflows', 'FORGEJO_TOKEN', 'DEFAULT_ACTIONS_URL', 'needs:'])
      expect(section).toContain(fact);
  });
});
