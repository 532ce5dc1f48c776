// finalize-release as a runner runs it, after the build jobs of a multi-job release: draft → parallel
// uploads → finalize, on both flavours, with GitHub's immutable releases.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAVOURS, forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { upload, workspace } from '@forge-actions/testing/release-jobs';
import { runAction } from '@forge-actions/testing/run-action';
import { scriptedServerPerTest } from '@forge-actions/testing/scripted-server';
import { afterEach, describe, expect, test } from '@jest/globals';
import {
  type Flavour,
  type ForgeServer,
  type ForgeServerOptions,
  startForgeServer,
} from '../../packages/forge-server/src/index.js';

const TOKEN = 'test-token';
const TAG = 'v1.2.0';
const FILES = [`App-${TAG}-setup.exe`, `App-${TAG}-win-x64.zip`, `App-${TAG}-linux-x64.tar.gz`];
const DOWNLOADS = [
  'Windows (installer) | App-{tag}-setup.exe',
  'Windows (portable) | App-{tag}-win-x64.zip',
  'Linux | App-{tag}-linux-x64.tar.gz',
].join('\n');

let server: ForgeServer;
afterEach(async () => {
  await server?.close();
});

const start = async (flavour: Flavour, options: Partial<ForgeServerOptions> = {}) => {
  server = await startForgeServer({ flavour, ...options });
  server.seed.pushTag(TAG);
  return server;
};
const env = (tag = TAG) => forgeRunnerEnv(server, tag);
const createDraft = (tag = TAG) =>
  runAction('create-release', {
    inputs: { token: TOKEN, tag, draft: 'true', downloads: DOWNLOADS },
    env: env(tag),
  });
const finalize = (inputs: Record<string, string> = {}) =>
  runAction('finalize-release', { inputs: { token: TOKEN, tag: TAG, ...inputs }, env: env() });
const buildJob = (file: string, bytes = `bytes of ${file}`) =>
  upload(server, workspace({ [file]: bytes }), { tag: TAG }, { env: env() });
const mutations = () => server.requests.filter((r) => r.method !== 'GET');
const releaseOf = (tag = TAG) => server.state.releases().find((r) => r.tag === tag);

/** The assets on the release at the moment it first stopped being a draft. */
function watchPublish(): { names: string[] | undefined } {
  const seen: { names: string[] | undefined } = { names: undefined };
  server.events.on('settled', () => {
    const release = releaseOf();
    if (release && !release.draft && !seen.names) seen.names = release.assets.map((a) => a.name).sort();
  });
  return seen;
}

interface Reported {
  name: string;
  id: number;
  size: number;
  sha256: string;
  url: string;
  action: string;
}

describe.each(['gitea', 'forgejo'] as const)(
  'finalize-release on %s, a release dated 1970-01-01',
  (flavour) => {
    test('is published again, dated now, before success is reported', async () => {
      await start(flavour);
      server.seed.createRelease({ tag: 'v0.9.0' });
      server.seed.createRelease({ tag: TAG, epochDate: true });
      expect(server.state.releases().find((r) => r.latest)?.tag).toBe('v0.9.0');
      const r = await finalize({ expect: '' });
      expect(r.errors).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.warnings).toContainEqual(expect.stringMatching(/is dated 1970-01-01/));
      expect(releaseOf()?.publishedAt).not.toMatch(/^1970-01-01/);
      expect(server.state.releases().find((r) => r.latest)?.tag).toBe(TAG);
    });
  },
);

describe.each(FLAVOURS)('draft → parallel build jobs → finalize-release on %s', (flavour) => {
  test('published only once every file is there, with one SHA256SUMS and the links as published', async () => {
    await start(flavour);
    const draft = await createDraft();
    expect(draft.outputs).toMatchObject({ draft: 'true', created: 'true' });
    const publish = watchPublish();
    const jobs = await Promise.all(FILES.map((file) => buildJob(file)));
    expect(jobs.map((j) => j.code)).toEqual([0, 0, 0]);
    expect(releaseOf()?.draft).toBe(true);

    const done = await finalize({ checksums: 'sha256' });
    expect(done.errors).toEqual([]);
    expect(publish.names).toEqual([...FILES, 'SHA256SUMS'].sort());
    const release = releaseOf();
    expect(release).toMatchObject({ draft: false, id: Number(draft.outputs['release-id']) });
    expect(done.outputs).toMatchObject({
      'release-id': String(release?.id),
      'html-url': `${server.url}/octo/app/releases/tag/${TAG}`,
      published: 'true',
      missing: '',
    });
    const assets = JSON.parse(done.outputs.assets) as Reported[];
    expect(assets.map((a) => a.name)).toEqual(['SHA256SUMS', ...FILES].sort((a, b) => (a < b ? -1 : 1)));
    for (const asset of assets) {
      expect(asset.url).toBe(`${server.url}/octo/app/releases/download/${TAG}/${asset.name}`);
      expect(asset.sha256).toBe(release?.assets.find((a) => a.id === asset.id)?.sha256);
    }
    expect(assets.find((a) => a.name === 'SHA256SUMS')?.action).toBe('uploaded');

    const dir = mkdtempSync(join(tmpdir(), 'finalize-sums-'));
    for (const asset of release?.assets ?? [])
      writeFileSync(join(dir, asset.name), await server.state.readAsset(asset.id));
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toBe(
      `${[...FILES]
        .sort()
        .map((f) => `${f}: OK`)
        .join('\n')}\n`,
    );
    // The downloads table carries the published by-name links, sizes and digests.
    for (const file of FILES) {
      const asset = release?.assets.find((a) => a.name === file);
      expect(release?.body).toContain(
        `[\`${file}\`](${server.url}/octo/app/releases/download/${TAG}/${file}) | ${asset?.size} B | \`${asset?.sha256}\` |`,
      );
    }
    expect(done.summary).toContain(`Release ${TAG}: published`);

    // A re-run on the complete, published release changes nothing.
    const before = mutations().length;
    const again = await finalize({ checksums: 'sha256' });
    expect(again.code).toBe(0);
    expect(again.outputs.published).toBe('true');
    expect(mutations().length).toBe(before);
  });

  test('a missing file fails finalize with its name and keeps the draft; re-run that job, then finalize publishes', async () => {
    await start(flavour);
    await createDraft();
    await Promise.all(FILES.slice(0, 2).map((file) => buildJob(file)));
    const before = mutations().length;
    const blocked = await finalize();
    expect(blocked.code).toBe(1);
    expect(blocked.errors).toEqual([
      `Release ${TAG} is missing 1 expected file(s): ${FILES[2]}; it stays a draft. Re-run the jobs that build them, then this one.`,
    ]);
    expect(blocked.outputs).toMatchObject({ published: 'false', missing: FILES[2] });
    expect(releaseOf()?.draft).toBe(true);
    expect(mutations().length).toBe(before);

    expect((await buildJob(FILES[2])).code).toBe(0);
    const done = await finalize();
    expect(done.errors).toEqual([]);
    expect(done.outputs).toMatchObject({ published: 'true', missing: '' });
    expect(releaseOf()?.draft).toBe(false);
  });

  test('expect globs: one that matches nothing is reported by name; allow-missing publishes anyway', async () => {
    await start(flavour);
    await createDraft();
    await buildJob(FILES[0]);
    const blocked = await finalize({ expect: 'App-*-setup.exe\n*.AppImage' });
    expect(blocked.errors).toEqual([
      `Release ${TAG} is missing 1 expected file(s): *.AppImage; it stays a draft. Re-run the jobs that build them, then this one.`,
    ]);
    const allowed = await finalize({ expect: 'App-*-setup.exe\n*.AppImage', 'allow-missing': 'true' });
    expect(allowed.code).toBe(0);
    expect(allowed.warnings).toEqual([
      `Release ${TAG} is missing 1 expected file(s): *.AppImage; allow-missing is true, so it goes on.`,
    ]);
    expect(allowed.outputs).toMatchObject({ published: 'true', missing: '*.AppImage' });
  });

  test('leftovers of killed jobs are removed before publishing; of a name held twice the newest stays', async () => {
    await start(flavour);
    await createDraft();
    await Promise.all(FILES.map((file) => buildJob(file)));
    const id = releaseOf()?.id ?? 0;
    await server.seed.addAsset(id, `${FILES[0]}.forge-partial-0badc0de`, 'half');
    // GitHub keeps a broken upload as a `starter`; Gitea stores only complete uploads.
    if (flavour === 'github') await server.seed.addAsset(id, 'App.msi', 'broken', { state: 'starter' });
    if (flavour !== 'github') await server.seed.addAsset(id, FILES[1], 'a newer upload of the portable zip');
    const done = await finalize();
    expect(done.errors).toEqual([]);
    const names = (releaseOf()?.assets ?? []).map((a) => a.name).sort();
    expect(names).toEqual([...FILES].sort());
    if (flavour !== 'github') {
      const kept = releaseOf()?.assets.find((a) => a.name === FILES[1]);
      expect((await server.state.readAsset(kept?.id ?? 0)).toString()).toBe(
        'a newer upload of the portable zip',
      );
    }
  });

  test('publish: false checks and writes, and leaves the draft', async () => {
    await start(flavour);
    await createDraft();
    await Promise.all(FILES.map((file) => buildJob(file)));
    const done = await finalize({ publish: 'false' });
    expect(done.code).toBe(0);
    expect(done.outputs.published).toBe('false');
    expect(releaseOf()?.draft).toBe(true);
  });
});

describe('GitHub immutable releases', () => {
  test('draft → uploads → finalize works; after publishing, an identical re-run is green and a changed file fails clearly', async () => {
    await start('github', { immutableReleases: true });
    await createDraft();
    expect((await Promise.all(FILES.map((file) => buildJob(file)))).map((j) => j.code)).toEqual([0, 0, 0]);
    const done = await finalize({ checksums: 'sha256' });
    expect(done.errors).toEqual([]);
    expect(releaseOf()).toMatchObject({ draft: false, immutable: true });

    const before = mutations().length;
    const identical = await upload(server, workspace({ [FILES[0]]: `bytes of ${FILES[0]}` }), {
      tag: TAG,
      checksums: 'sha256',
    });
    expect(identical.errors).toEqual([]);
    expect(identical.outputs).toMatchObject({ skipped: '2', uploaded: '0', replaced: '0' });
    expect(await finalize({ checksums: 'sha256' })).toMatchObject({ code: 0 });
    expect(mutations().length).toBe(before);

    const changed = await upload(server, workspace({ [FILES[0]]: 'rebuilt', 'App-extra.zip': 'new' }), {
      tag: TAG,
    });
    expect(changed.code).toBe(1);
    expect(changed.errors).toEqual([
      `Release ${TAG} is published and immutable (this GitHub repository has immutable releases), so its assets ` +
        `can no longer be added, changed or deleted, and these differ from this run's: App-extra.zip (not on the release), ` +
        `${FILES[0]} (different bytes). Create the release as a draft (create-release draft: true), upload from every job, ` +
        'then publish it with finalize-release.',
    ]);
    expect(mutations().length).toBe(before);
  });

  test('create-then-upload (published at once) fails on the upload with the clear message', async () => {
    await start('github', { immutableReleases: true });
    const created = await runAction('create-release', { inputs: { token: TOKEN, tag: TAG }, env: env() });
    expect(created.code).toBe(0);
    const r = await buildJob(FILES[0]);
    expect(r.code).toBe(1);
    expect(r.errors[0]).toMatch(
      new RegExp(
        `^Release ${TAG.replace(/\./g, '\\.')} is published and immutable .*${FILES[0].replace(/\./g, '\\.')} \\(not on the release\\)`,
      ),
    );
    expect(releaseOf()?.assets).toEqual([]);
  });
});

describe('make-latest on GitHub', () => {
  test('auto: a hot-fix of an older line does not take "Latest" from a newer release; a newer one does', async () => {
    await start('github');
    for (const tag of ['v2.0.0', 'v1.5.1', 'v2.1.0']) server.seed.pushTag(tag);
    // createDraft's downloads rows expect files: these releases ship none.
    const noRows = async (tag: string) => {
      const id = server.state.releases().find((release) => release.tag === tag)?.id;
      await fetch(`${server.apiUrl}/repos/octo/app/releases/${id}`, {
        method: 'PATCH',
        headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'notes' }),
      });
    };
    const publishBare = async (tag: string) => {
      await createDraft(tag);
      await noRows(tag);
      const r = await runAction('finalize-release', { inputs: { token: TOKEN, tag }, env: env(tag) });
      expect([tag, r.errors]).toEqual([tag, []]);
      return server.state.releases().find((release) => release.latest)?.tag;
    };
    expect(await publishBare('v2.0.0')).toBe('v2.0.0');
    expect(await publishBare('v1.5.1')).toBe('v2.0.0');
    expect(await publishBare('v2.1.0')).toBe('v2.1.0');
  });
});

describe('finalize-release on forgejo, with external links on the release', () => {
  const thirdPartyServer = scriptedServerPerTest((_req, res) => res.end('a third party file'));
  const links = (tag = TAG) => releaseOf(tag)?.assets.filter((a) => a.externalUrl) ?? [];

  test('keeps every link (two of one name too), lists none in SHA256SUMS, fetches none, reports them', async () => {
    const mirror = await thirdPartyServer();
    await start('forgejo');
    const draft = await createDraft();
    const id = Number(draft.outputs['release-id']);
    for (const url of [
      `${mirror.url}/a/Mirror.zip`,
      `${mirror.url}/b/Mirror.zip`,
      `${mirror.url}/Manual.pdf`,
    ])
      server.seed.addExternalAsset(id, url.split('/').at(-1) as string, url);
    const jobs = await Promise.all(FILES.map((file) => buildJob(file)));
    expect(jobs.map((j) => j.code)).toEqual([0, 0, 0]);

    const done = await finalize({ checksums: 'sha256' });
    expect(done.errors).toEqual([]);
    expect(releaseOf()?.draft).toBe(false);
    expect(links().map((a) => a.name)).toEqual(['Mirror.zip', 'Mirror.zip', 'Manual.pdf']);
    const sums = releaseOf()?.assets.find((a) => a.name === 'SHA256SUMS');
    const listed = (await server.state.readAsset(sums?.id as number)).toString();
    expect(
      listed
        .trim()
        .split('\n')
        .map((line) => line.split('  ')[1]),
    ).toEqual([...FILES].sort());
    expect(mirror.seen).toEqual([]);
    const assets = JSON.parse(done.outputs.assets) as Reported[];
    expect(assets.filter((a) => a.action === 'external')).toEqual([
      expect.objectContaining({ name: 'Manual.pdf', size: 0, sha256: '', url: `${mirror.url}/Manual.pdf` }),
      expect.objectContaining({ name: 'Mirror.zip', size: 0, sha256: '' }),
      expect.objectContaining({ name: 'Mirror.zip', size: 0, sha256: '' }),
    ]);
    expect(done.summary).toContain('| Manual.pdf | external link |  |');

    // A re-run changes nothing.
    const before = mutations().length;
    expect((await finalize({ checksums: 'sha256' })).code).toBe(0);
    expect(mutations().length).toBe(before);
  });

  test('a link named SHA256SUMS stops checksums: sha256 before the draft is published', async () => {
    const mirror = await thirdPartyServer();
    await start('forgejo');
    const id = Number((await createDraft()).outputs['release-id']);
    server.seed.addExternalAsset(id, 'SHA256SUMS', `${mirror.url}/SHA256SUMS`);
    await Promise.all(FILES.map((file) => buildJob(file)));
    const before = mutations().length;
    const done = await finalize({ checksums: 'sha256' });
    expect(done.code).toBe(1);
    expect(done.errors).toEqual([
      `SHA256SUMS is an external link on the release (to ${mirror.url}/SHA256SUMS), not a file this action ` +
        'replaces: remove the link on the release, or set checksums: none.',
    ]);
    expect(releaseOf()?.draft).toBe(true);
    expect(mutations().length).toBe(before);
    expect(links()).toHaveLength(1);
  });
});

describe('finalize-release bad input and missing things: one line, nothing changed', () => {
  test.each([
    ['make-latest', { 'make-latest': 'sometimes' }, /^Input 'make-latest' must be one of auto, true, false/],
    ['checksums', { checksums: 'md5' }, /^Input 'checksums' must be one of none, sha256/],
    ['publish', { publish: 'yes' }, /^Input 'publish' must be true or false/],
    ['release-id', { 'release-id': '7' }, /^Input 'release-id' and 'tag' were both given/],
  ])('%s', async (_input, inputs, message) => {
    await start('gitea');
    const r = await finalize(inputs);
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  test.each(FLAVOURS)(
    '%s: a tag without a release, and a repository the token cannot see',
    async (flavour) => {
      await start(flavour);
      const none = await finalize({ tag: 'v9.9.9' });
      expect(none.errors).toEqual([
        'octo/app has no release for tag v9.9.9; create it as a draft with create-release (draft: true) before the build jobs.',
      ]);
      const missing = await finalize({ repository: 'octo/missing' });
      expect(missing.errors).toEqual([
        `Repository octo/missing was not found at ${server.apiUrl}, or the token cannot see it: check the 'repository' and 'api-url' inputs and the token's access.`,
      ]);
      expect(mutations()).toEqual([]);
    },
  );
});
