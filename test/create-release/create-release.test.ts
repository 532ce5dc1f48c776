import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAVOURS, forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { type RunOptions, runAction } from '@forge-actions/testing/run-action';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

const TOKEN = 'test-token';
const flavours = FLAVOURS;

let server: ForgeServer;

const runnerEnv = (tag = 'v1.0.0') => forgeRunnerEnv(server, tag);

function create(inputs: Record<string, string> = {}, options: RunOptions = {}) {
  return runAction('create-release', {
    ...options,
    inputs: { token: TOKEN, ...inputs },
    env: { ...runnerEnv(inputs.tag), ...options.env },
  });
}

const creates = () => server.requests.filter((r) => r.method === 'POST' && /\/releases$/.test(r.path));
const releasesFor = (tag: string) => server.state.releases().filter((r) => r.tag === tag);

/**
 * Three jobs at once, the first create held inside the server's in-flight window, so every other create
 * meets the lost-race answer (`lost`: Gitea 500, GitHub 422) until the winner completes.
 */
async function raceThreeCreates(lost: number) {
  const hold = server.faults.inject({ method: 'POST', path: /\/releases$/, nth: 1, respond: { hold: true } });
  const runs = [1, 2, 3].map(() => create());
  await hold.reached(1);
  await new Promise<void>((done) => {
    const check = () => {
      if (creates().filter((r) => r.status === lost).length >= 2) {
        server.events.off('settled', check);
        done();
      }
    };
    server.events.on('settled', check);
    check();
  });
  hold.release();
  return Promise.all(runs);
}

describe.each(['gitea', 'forgejo'] as const)(
  'create-release on %s: the release a create race left dated 1970-01-01',
  (flavour) => {
    beforeEach(async () => {
      server = await startForgeServer({ flavour, epochDateOnCreateRace: true });
    });
    afterEach(async () => {
      await server.close();
    });

    test('is published again, dated now, and served as latest instead of the older release', async () => {
      server.seed.createRelease({ tag: 'v0.9.0' });
      const results = await raceThreeCreates(500);
      expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
      const [release] = releasesFor('v1.0.0');
      expect(release?.draft).toBe(false);
      expect(release?.createdAt).not.toMatch(/^1970-01-01/);
      expect(release?.publishedAt).not.toMatch(/^1970-01-01/);
      expect(server.state.releases().find((r) => r.latest)?.tag).toBe('v1.0.0');
      expect(results.flatMap((r) => r.warnings)).toContainEqual(
        expect.stringMatching(/is dated 1970-01-01 \(left so by simultaneous creates\).*publishing it again/),
      );
    });
  },
);

describe.each(flavours)('create-release on %s', (flavour) => {
  beforeEach(async () => {
    server = await startForgeServer({ flavour });
  });
  afterEach(async () => {
    await server.close();
  });

  test('creates on the first run and reuses on a re-run, with the same id', async () => {
    const first = await create({ downloads: 'Windows (installer) | App-{tag}-setup.exe' });
    expect(first.errors).toEqual([]);
    expect(first.code).toBe(0);
    const [release] = releasesFor('v1.0.0');
    expect(first.outputs).toEqual({
      'release-id': String(release.id),
      'html-url': `${server.url}/octo/app/releases/tag/v1.0.0`,
      'upload-url': expect.stringMatching(new RegExp(`/releases/${release.id}/assets$`)),
      tag: 'v1.0.0',
      prerelease: 'false',
      draft: 'false',
      created: 'true',
    });
    expect(release.body).toContain('| Windows (installer) | `App-v1.0.0-setup.exe` |');
    expect(first.summary).toContain('| outcome | created |');

    const again = await create({ downloads: 'Windows (installer) | App-{tag}-setup.exe' });
    expect(again.code).toBe(0);
    expect(again.outputs['release-id']).toBe(first.outputs['release-id']);
    expect(again.outputs.created).toBe('false');
    expect(again.summary).toContain('| outcome | reused |');
    expect(releasesFor('v1.0.0')).toHaveLength(1);
  });

  test('hide-archive-links: stored on Forgejo (and set to match by on-existing: update); elsewhere ignored with a note', async () => {
    const r = await create({ 'hide-archive-links': 'true' });
    expect(r.code).toBe(0);
    const sent = server.requests.filter((q) => q.method === 'POST' && /\/releases$/.test(q.path));
    expect(sent).toHaveLength(1);
    expect(server.state.releases()[0]?.hideArchiveLinks).toBe(flavour === 'forgejo');
    if (flavour === 'forgejo') {
      expect(r.summary).toContain('| forge | Forgejo |');
      const shown = await create({ 'on-existing': 'update' });
      expect(shown.code).toBe(0);
      expect(server.state.releases()[0]?.hideArchiveLinks).toBe(false);
    } else {
      expect(r.stdout).toContain('hide-archive-links is ignored here:');
    }
  });

  test('a pre-release tag is a pre-release; the name template expands', async () => {
    const r = await create({ tag: 'v0.3.0-alpha.1', name: 'App {version} ({tag})' });
    expect(r.code).toBe(0);
    expect(r.outputs.prerelease).toBe('true');
    expect(releasesFor('v0.3.0-alpha.1')[0]).toMatchObject({
      name: 'App 0.3.0-alpha.1 (v0.3.0-alpha.1)',
      prerelease: true,
    });
  });

  test('four jobs started at once end with exactly one release', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map(() => create()));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(releasesFor('v1.0.0')).toHaveLength(1);
    expect(new Set(runs.map((r) => r.outputs['release-id'])).size).toBe(1);
    expect(runs.filter((r) => r.outputs.created === 'true')).toHaveLength(1);
  });

  test('jobs that lose the race while the winner is still creating converge on its release', async () => {
    const results = await raceThreeCreates(flavour !== 'github' ? 500 : 422);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(releasesFor('v1.0.0')).toHaveLength(1);
    expect(results.filter((r) => r.outputs.created === 'true')).toHaveLength(1);
  });

  test.each([
    ['500', { status: 500 }],
    ['502', { status: 502 }],
    ['a connection reset', { reset: 'before' as const }],
    ['a reset mid-body', { reset: 'mid-body' as const }],
  ])('an injected %s on create still ends with one release', async (_name, respond) => {
    server.faults.inject({ method: 'POST', path: /\/releases$/, nth: 1, respond });
    const r = await create();
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(releasesFor('v1.0.0')).toHaveLength(1);
    expect(r.outputs.created).toBe('true');
  });

  test('a 500 after the server created the release is resolved by looking up, not by a second release', async () => {
    // The fault answers 500 once the request has been handled: the release exists, the job was told otherwise.
    server.faults.inject({
      method: 'POST',
      path: /\/releases$/,
      nth: 1,
      respond: { status: 500, after: true },
    });
    const r = await create();
    expect(r.code).toBe(0);
    expect(releasesFor('v1.0.0')).toHaveLength(1);
  });

  test.each([
    ['a bad token', { token: 'wrong-token-value' }, 401, /rejected the token \(401 Unauthorized\)/],
    [
      'a read-only token',
      { token: 'read-token-value' },
      403,
      flavour !== 'github' ? /write:repository/ : /contents: write/,
    ],
    [
      'an unknown repository',
      { repository: 'octo/missing' },
      404,
      /repository octo\/missing was not found .*not visible to the token/,
    ],
  ])(
    '%s fails with the mapped message, without retries or the token',
    async (_name, inputs, status, message) => {
      await server.close();
      server = await startForgeServer({
        flavour,
        tokens: { [TOKEN]: { scopes: 'write' }, 'read-token-value': { scopes: 'read' } },
      });
      const r = await create(inputs);
      expect(r.code).toBe(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(message);
      const sent = server.requests
        .filter((q) => q.path !== '/api/v1/version')
        .map((q) => `${q.method} ${q.path}`);
      expect(new Set(sent).size).toBe(sent.length);
      expect(server.requests.at(-1)?.status).toBe(status);
      for (const secret of [TOKEN, 'wrong-token-value', 'read-token-value']) {
        expect(r.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(secret);
        expect(r.stderr).not.toContain(secret);
      }
    },
  );

  test('on-existing update rewrites only the generated section; fail refuses', async () => {
    const first = await create({ downloads: 'Linux | App-{tag}.tar.gz' });
    const id = Number(first.outputs['release-id']);
    // An upload run's digest record sits at the end of the generated section.
    const record = `<!-- forge-actions:digests {"7":[3,"${'A'.repeat(43)}"]} -->`;
    const generated = (server.state.release(id)?.body ?? '').replace(
      /\n<!-- forge-actions:generated -->$/,
      `\n\n${record}$&`,
    );
    const edited = `Notes a maintainer wrote by hand.\n\n${generated}\n\nAnd a footer.`;
    await fetch(`${server.apiUrl}/repos/octo/app/releases/${id}`, {
      method: 'PATCH',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: edited }),
    });
    const updated = await create({ downloads: 'Windows | App-{tag}.zip', 'on-existing': 'update' });
    expect(updated.code).toBe(0);
    const body = server.state.release(id)?.body ?? '';
    expect(body.startsWith('Notes a maintainer wrote by hand.\n\n')).toBe(true);
    expect(body.endsWith('\n\nAnd a footer.')).toBe(true);
    expect(body).toContain('| Windows | `App-v1.0.0.zip` |');
    expect(body).not.toContain('App-v1.0.0.tar.gz');
    // The table is the workflow's to change; the uploads' digest record stays.
    expect(body).toContain(`\n\n${record}\n<!-- forge-actions:generated -->`);

    const refused = await create({ 'on-existing': 'fail' });
    expect(refused.code).toBe(1);
    expect(refused.errors).toEqual([
      `A release for tag v1.0.0 already exists (id ${id}) and on-existing is 'fail'.`,
    ]);
  });

  test('the notes file comes before the generated section; a named file must exist, the default may not', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'notes-'));
    writeFileSync(join(cwd, 'RELEASE_NOTES.md'), '## Changes\n- faster\n');
    const r = await create({ body: 'Intro.', downloads: 'Linux | app.tar.gz' }, { cwd });
    expect(r.code).toBe(0);
    const body = releasesFor('v1.0.0')[0].body ?? '';
    expect(body.startsWith('Intro.\n\n## Changes\n- faster\n\n<!-- forge-actions:generated -->')).toBe(true);

    const before = server.requests.length;
    const missing = await create({ tag: 'v2.0.0', 'notes-file': 'CHANGES.md' }, { cwd });
    expect(missing.errors).toEqual(["Input 'notes-file' names 'CHANGES.md', which does not exist"]);
    expect(server.requests.length).toBe(before);

    const none = await create({ tag: 'v3.0.0' });
    expect(none.code).toBe(0);
  });
});

describe('create-release on github: drafts', () => {
  beforeEach(async () => {
    server = await startForgeServer({ flavour: 'github' });
  });
  afterEach(async () => {
    await server.close();
  });

  test('a draft left by an earlier failed run is adopted and published, not duplicated', async () => {
    const draft = server.seed.createRelease({ tag: 'v1.0.0', draft: true, name: 'v1.0.0' });
    const r = await create();
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ 'release-id': String(draft.id), created: 'false', draft: 'false' });
    expect(releasesFor('v1.0.0')).toHaveLength(1);
    expect(creates()).toHaveLength(0);
  });

  test('parallel draft creates (drafts do not hold the tag) converge on one draft', async () => {
    // The first job's create is held until a second job has created its own draft, so two drafts for
    // one tag really exist at once; the held one lands last (newest) and must give way to the oldest.
    const hold = server.faults.inject({
      method: 'POST',
      path: /\/releases$/,
      nth: 1,
      respond: { hold: true },
    });
    const first = create({ draft: 'true' });
    await hold.reached(1);
    const second = await create({ draft: 'true' });
    hold.release();
    const runs = [await first, second];
    expect(server.changes.filter((c) => c.kind === 'release-created')).toHaveLength(2);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(releasesFor('v1.0.0')).toHaveLength(1);
    expect(runs.map((r) => r.outputs['release-id'])).toEqual([
      second.outputs['release-id'],
      second.outputs['release-id'],
    ]);
    expect(runs[0].outputs.created).toBe('false');
  });
});

describe('create-release on gitea: a tag already pushed', () => {
  beforeEach(async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    server.seed.pushTag('v1.0.0');
  });
  afterEach(async () => {
    await server.close();
  });

  test('simultaneous creates all get 201 with the same release: one release, each job green, the body intact', async () => {
    // Gitea converts the pushed tag's row on every simultaneous create (forge-behaviour.md): every
    // create is held once it has looked, so all three look before the first one commits.
    const hold = server.faults.inject({
      method: 'POST',
      path: /\/releases$/,
      times: Number.POSITIVE_INFINITY,
      respond: { hold: true },
    });
    const downloads = 'Windows (installer) | App-{tag}-setup.exe';
    const first = create({ downloads });
    const others = [create({ downloads }), create({ downloads })];
    await hold.reached(3);
    hold.release();
    const runs = await Promise.all([first, ...others]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(creates().map((r) => r.status)).toEqual([201, 201, 201]);
    const [release] = releasesFor('v1.0.0');
    expect(releasesFor('v1.0.0')).toHaveLength(1);
    expect(new Set(runs.map((r) => r.outputs['release-id']))).toEqual(new Set([String(release.id)]));
    expect(release.body).toContain('| Windows (installer) | `App-v1.0.0-setup.exe` |');
    // Gitea gives no way to tell the creator here: every job was answered 201 (documented on `created`).
    expect(runs.filter((r) => r.outputs.created === 'true').length).toBeGreaterThanOrEqual(1);
  });
});

describe('create-release on github: immutable releases and make-latest', () => {
  afterEach(async () => {
    await server.close();
  });

  test('a tag once used by an immutable release cannot be released again: the error says so and what to do', async () => {
    server = await startForgeServer({ flavour: 'github', immutableReleases: true });
    const first = await create();
    expect(first.code).toBe(0);
    await fetch(`${server.apiUrl}/repos/octo/app/releases/${first.outputs['release-id']}`, {
      method: 'DELETE',
      headers: { authorization: `token ${TOKEN}` },
    });
    const again = await create();
    expect(again.code).toBe(1);
    expect(again.errors).toHaveLength(1);
    expect(again.errors[0]).toMatch(
      /the server rejected the request as invalid \(422\): .*tag_name was used by an immutable release.* GitHub never frees a tag .*release under a new tag\.$/,
    );
  });

  test('make-latest auto keeps "Latest" on the newest line; true and false are sent as given', async () => {
    server = await startForgeServer({ flavour: 'github' });
    const latest = () => server.state.releases().find((r) => r.latest)?.tag;
    expect((await create({ tag: 'v2.0.0' })).code).toBe(0);
    expect((await create({ tag: 'v1.5.1' })).code).toBe(0);
    expect(latest()).toBe('v2.0.0');
    expect((await create({ tag: 'v1.5.2', 'make-latest': 'true' })).code).toBe(0);
    expect(latest()).toBe('v1.5.2');
    expect((await create({ tag: 'v2.1.0', 'make-latest': 'false' })).code).toBe(0);
    expect(latest()).toBe('v1.5.2');
  });

  test('make-latest on Gitea is ignored with a note', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    const r = await create({ 'make-latest': 'false' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'make-latest is ignored here: Gitea shows its newest published stable release as latest.',
    );
  });
});

describe('create-release bad input: one line naming the input, no request sent', () => {
  beforeEach(async () => {
    server = await startForgeServer({ flavour: 'gitea' });
  });
  afterEach(async () => {
    await server.close();
  });

  test.each([
    ['tag', { tag: 'bad tag' }],
    ['repository', { repository: 'not-a-repo' }],
    ['forge', { forge: 'gitlab' }],
    ['on-existing', { 'on-existing': 'replace' }],
    ['downloads', { downloads: 'Windows installer.exe' }],
    ['prerelease', { prerelease: 'maybe' }],
    ['draft', { draft: 'yes' }],
    ['make-latest', { 'make-latest': 'legacy' }],
    ['name', { name: 'App {ver}' }],
    ['body', { body: 'x'.repeat(125_001) }],
  ])('%s', async (input, inputs) => {
    const r = await create(inputs);
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(new RegExp(`^Input '${input}' `));
    expect(r.stdout).not.toContain('Unexpected error');
    expect(server.requests).toHaveLength(0);
  });

  test('an empty tag (no tag ref, none given)', async () => {
    const r = await runAction('create-release', {
      inputs: { token: TOKEN },
      env: { GITHUB_SERVER_URL: server.url, GITHUB_REPOSITORY: 'octo/app', GITEA_ACTIONS: 'true' },
    });
    expect(r.errors).toEqual(["Input 'tag' must not be empty"]);
    expect(server.requests).toHaveLength(0);
  });
});
