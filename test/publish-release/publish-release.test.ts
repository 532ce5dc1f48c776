import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { loadActionMetadata } from '../../packages/action-kit/src/index.js';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';
import { act, actProject, runWorkflow } from '../support/act.js';
import { forgeRunnerEnv } from '../support/forge-env.js';
import { REPO_ROOT } from '../support/run-action.js';

const actionYml = (name: string) => join(REPO_ROOT, 'actions', name, 'action.yml');
const meta = (name: string) => loadActionMetadata(actionYml(name));
const rawYml = (name: string) => readFileSync(actionYml(name), 'utf8');

describe('publish-release: its interface is the union of its two steps', () => {
  const composite = meta('publish-release');
  const parts = [meta('create-release'), meta('upload-asset-dedup')];

  test('every input of either part, under the same name and default (release-id is wired inside)', () => {
    const expected = new Map<string, unknown>();
    for (const part of parts) {
      for (const [name, spec] of Object.entries(part.inputs)) {
        if (name !== 'release-id' && !expected.has(name))
          expected.set(name, { default: spec.default, required: spec.required });
      }
    }
    const actual = new Map(
      Object.entries(composite.inputs).map(([name, spec]) => [
        name,
        { default: spec.default, required: spec.required },
      ]),
    );
    expect(actual).toEqual(expected);
  });

  test('every output of either part, taken from its step', () => {
    const doc = parse(rawYml('publish-release')) as { outputs: Record<string, { value: string }> };
    const [release, assets] = parts;
    expect(Object.keys(doc.outputs).sort()).toEqual([...release.outputs, ...assets.outputs].sort());
    for (const name of release.outputs)
      expect(doc.outputs[name].value).toBe(`\${{ steps.release.outputs.${name} }}`);
    for (const name of assets.outputs)
      expect(doc.outputs[name].value).toBe(`\${{ steps.assets.outputs.${name} }}`);
  });

  test('each step receives every input it declares, by name', () => {
    const doc = parse(rawYml('publish-release')) as {
      runs: { steps: Array<{ uses: string; with: Record<string, string> }> };
    };
    for (const [step, part] of doc.runs.steps.map((s, i) => [s, parts[i]] as const)) {
      for (const name of Object.keys(part.inputs)) {
        // upload-asset-dedup takes release-id or tag, not both: the composite hands it the release id.
        if (step.uses === './actions/upload-asset-dedup' && name === 'tag') {
          expect(step.with.tag).toBeUndefined();
          continue;
        }
        const wired =
          name === 'release-id' ? `\${{ steps.release.outputs.release-id }}` : `\${{ inputs.${name} }}`;
        expect([name, step.with[name]]).toEqual([name, wired]);
      }
    }
  });
});

// The composite run by a real runner: act, on the host (no containers), against the local forge.
let server: ForgeServer;

describe.each(['gitea', 'github'] as const)('publish-release run by act on %s', (flavour) => {
  afterEach(async () => {
    await server?.close();
  });

  (act ? test : test.skip)('publishes, then a re-run reuses the release and skips the file', async () => {
    server = await startForgeServer({ flavour });
    const source = actProject([
      'on: push',
      'jobs:',
      '  publish:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: cp -r "$SOURCE/actions" "$SOURCE/build" .  # what actions/checkout would do',
      '      - id: publish',
      '        uses: ./actions/publish-release',
      '        with:',
      `          token: ${server.token}`,
      '          tag: v1.0.0',
      '          files: build/*',
      `      - run: echo "RESULT created=\${{ steps.publish.outputs.created }} uploaded=\${{ steps.publish.outputs.uploaded }} skipped=\${{ steps.publish.outputs.skipped }}"`,
    ]);
    mkdirSync(join(source, 'build'));
    writeFileSync(join(source, 'build', 'App.zip'), 'zip bytes');
    const run = async () => /\| RESULT (.*)/.exec(await runWorkflow(source, forgeRunnerEnv(server)))?.[1];
    expect(await run()).toBe('created=true uploaded=1 skipped=0');
    expect(await run()).toBe('created=false uploaded=0 skipped=1');
    const [release] = server.state.releases();
    expect(server.state.releases()).toHaveLength(1);
    expect(release.assets.map((a) => a.name)).toEqual(['App.zip']);
  });
});
