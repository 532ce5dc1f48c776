import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadActionMetadata } from '@forge-actions/action-kit/action-yml';
import { act, actProject, runWorkflow } from '@forge-actions/testing/act';
import { forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { REPO_ROOT } from '@forge-actions/testing/run-action';
import { afterEach, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

const actionYml = (name: string) => join(REPO_ROOT, 'actions', name, 'action.yml');
const meta = (name: string) => loadActionMetadata(actionYml(name));
const rawYml = (name: string) => readFileSync(actionYml(name), 'utf8');

describe('publish-release: its interface is the union of its three steps', () => {
  const composite = meta('publish-release');
  const parts = [meta('create-release'), meta('upload-asset-dedup'), meta('finalize-release')];
  const [release, assets, finalize] = parts;

  test('every input of any part, under the same name and default (release-id is wired inside), and finalize', () => {
    const expected = new Map<string, unknown>([['finalize', { default: 'false', required: false }]]);
    for (const part of parts) {
      for (const [name, spec] of Object.entries(part.inputs)) {
        const wanted = { default: spec.default, required: spec.required };
        // The release id is wired inside; the later steps are handed it instead of the tag.
        if (name === 'release-id' || (part !== release && name === 'tag')) continue;
        // An input shared by two parts means the same thing in both, with the same default.
        if (expected.has(name)) expect([name, expected.get(name)]).toEqual([name, wanted]);
        else expected.set(name, wanted);
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

  test('every output of any part, taken from its step (finalize first where it has the newer value)', () => {
    const doc = parse(rawYml('publish-release')) as { outputs: Record<string, { value: string }> };
    const all = new Set([...release.outputs, ...assets.outputs, ...finalize.outputs]);
    expect(Object.keys(doc.outputs).sort()).toEqual([...all].sort());
    const special: Record<string, string> = {
      'html-url': `\${{ steps.finalize.outputs.html-url || steps.release.outputs.html-url }}`,
      draft: `\${{ steps.finalize.outputs.published == 'true' && 'false' || steps.release.outputs.draft }}`,
    };
    for (const name of all) {
      const step = release.outputs.includes(name)
        ? 'release'
        : assets.outputs.includes(name)
          ? 'assets'
          : 'finalize';
      expect([name, doc.outputs[name].value]).toEqual([
        name,
        special[name] ?? `\${{ steps.${step}.outputs.${name} }}`,
      ]);
    }
  });

  test('each step receives every input it declares, by name', () => {
    const doc = parse(rawYml('publish-release')) as {
      runs: { steps: Array<{ uses: string; if?: string; with: Record<string, string> }> };
    };
    expect(doc.runs.steps.map((s) => s.uses)).toEqual([
      './actions/create-release',
      './actions/upload-asset-dedup',
      './actions/finalize-release',
    ]);
    expect(doc.runs.steps[2].if).toBe("inputs.finalize == 'true'");
    for (const [step, part] of doc.runs.steps.map((s, i) => [s, parts[i]] as const)) {
      for (const name of Object.keys(part.inputs)) {
        // The later steps take release-id or tag, not both: the composite hands them the release id.
        if (step.uses !== './actions/create-release' && name === 'tag') {
          expect(step.with.tag).toBeUndefined();
          continue;
        }
        const wired =
          name === 'release-id'
            ? `\${{ steps.release.outputs.release-id }}`
            : step.uses === './actions/create-release' && name === 'draft'
              ? `\${{ inputs.finalize == 'true' || inputs.draft }}`
              : `\${{ inputs.${name} }}`;
        expect([step.uses, name, step.with[name]]).toEqual([step.uses, name, wired]);
      }
    }
  });
});

// The composite run by a real runner: act, on the host (no containers), against the local forge.
let server: ForgeServer;

/**
 * A project whose one job copies build/App.zip in (as actions/checkout would), runs publish-release with
 * the token, tag v1.0.0, files build/* and the extra `with:` lines, then echoes `RESULT <report>`.
 */
function publishProject(extra: string[], report: string): string {
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
    ...extra.map((line) => `          ${line}`),
    `      - run: echo "RESULT ${report}"`,
  ]);
  mkdirSync(join(source, 'build'));
  writeFileSync(join(source, 'build', 'App.zip'), 'zip bytes');
  return source;
}

describe.each(['gitea', 'github'] as const)('publish-release run by act on %s', (flavour) => {
  afterEach(async () => {
    await server?.close();
  });

  (act ? test : test.skip)('publishes, then a re-run reuses the release and skips the file', async () => {
    server = await startForgeServer({ flavour });
    const source = publishProject(
      [],
      `created=\${{ steps.publish.outputs.created }} uploaded=\${{ steps.publish.outputs.uploaded }} skipped=\${{ steps.publish.outputs.skipped }}`,
    );
    const run = async () => /\| RESULT (.*)/.exec(await runWorkflow(source, forgeRunnerEnv(server)))?.[1];
    expect(await run()).toBe('created=true uploaded=1 skipped=0');
    expect(await run()).toBe('created=false uploaded=0 skipped=1');
    const [release] = server.state.releases();
    expect(server.state.releases()).toHaveLength(1);
    expect(release.assets.map((a) => a.name)).toEqual(['App.zip']);
  });

  (act ? test : test.skip)(
    'finalize: true publishes a draft once complete (GitHub: immutable releases on)',
    async () => {
      server = await startForgeServer({
        flavour,
        ...(flavour === 'github' ? { immutableReleases: true } : {}),
      });
      const source = publishProject(
        ['downloads: Windows | App.zip', 'finalize: true'],
        `draft=\${{ steps.publish.outputs.draft }} published=\${{ steps.publish.outputs.published }} missing=[\${{ steps.publish.outputs.missing }}]`,
      );
      const output = await runWorkflow(source, forgeRunnerEnv(server));
      expect(/\| RESULT (.*)/.exec(output)?.[1]).toBe('draft=false published=true missing=[]');
      const [release] = server.state.releases();
      expect(release).toMatchObject({ draft: false, immutable: flavour === 'github' });
      expect(release.assets.map((a) => a.name)).toEqual(['App.zip']);
    },
  );
});
