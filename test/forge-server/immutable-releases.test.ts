// GitHub's immutable releases (a repository setting, forge-behaviour.md): once published in such a
// repository a release keeps its assets, tag, target and state; deleting it does not free its tag.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { ForgeServer } from '../../packages/forge-server/src/index.js';
import { call, REPO, serverPerTest, streamedUpload, uploadUrl } from './client.js';

let server: ForgeServer;
const start = serverPerTest({ flavour: 'github' }, (started) => {
  server = started;
});

const create = (json: Record<string, unknown>) => call(server, 'POST', `${REPO}/releases`, { json });
const patch = (id: number, json: Record<string, unknown>) =>
  call(server, 'PATCH', `${REPO}/releases/${id}`, { json });
const githubError = (message: string, status = '422') => ({
  message,
  documentation_url: expect.any(String),
  status,
});
const customError = (field: string, message: string) => ({
  resource: 'Release',
  code: 'custom',
  field,
  message,
});

describe('github: which releases are immutable', () => {
  test('those published while the setting is on: not drafts, not those published before', async () => {
    await start();
    const before = server.seed.createRelease({ tag: 'v0' });
    server.seed.setImmutableReleases(true);
    const published = await create({ tag_name: 'v1' });
    const draft = await create({ tag_name: 'v2', draft: true });
    expect([published.json.immutable, draft.json.immutable]).toEqual([true, false]);
    expect((await patch(draft.json.id, { draft: false })).json.immutable).toBe(true);
    server.seed.setImmutableReleases(false);
    expect((await create({ tag_name: 'v3' })).json.immutable).toBe(false);
    expect(server.state.releases().map((r) => [r.tag, r.immutable])).toEqual([
      ['v3', false],
      ['v2', true],
      ['v1', true],
      ['v0', false],
    ]);
    expect((await call(server, 'GET', `${REPO}/releases/${before.id}`)).json.immutable).toBe(false);
  });

  test('the immutableReleases option turns the setting on for every configured repository', async () => {
    await start({ immutableReleases: true, repos: ['octo/app', 'octo/lib'] });
    expect((await create({ tag_name: 'v1' })).json.immutable).toBe(true);
    const lib = await call(server, 'POST', '/repos/octo/lib/releases', { json: { tag_name: 'v1' } });
    expect(lib.json.immutable).toBe(true);
    server.seed.setImmutableReleases(false, 'octo/lib');
    const later = await call(server, 'POST', '/repos/octo/lib/releases', { json: { tag_name: 'v2' } });
    expect(later.json.immutable).toBe(false);
  });

  test('gitea has no such setting', async () => {
    await start({ flavour: 'gitea' });
    expect(() => server.seed.setImmutableReleases(true)).toThrow('GitHub setting');
    expect(server.seed.createRelease({ tag: 'v1' }).immutable).toBe(false);
  });
});

describe('github: an immutable release', () => {
  test('refuses uploads (422, body drained); a draft takes them and is published afterwards', async () => {
    await start({ immutableReleases: true });
    const draft = await create({ tag_name: 'v1', draft: true });
    expect(
      (await call(server, 'POST', uploadUrl(server, draft.json.id, 'a.zip'), { body: 'a' })).status,
    ).toBe(201);
    expect((await patch(draft.json.id, { draft: false })).status).toBe(200);
    const refused = await streamedUpload(uploadUrl(server, draft.json.id, 'b.zip'), server.token, {
      chunks: 64,
      chunkSize: 64 * 1024,
    });
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.body ?? '')).toEqual(
      githubError('Cannot upload assets to an immutable release.'),
    );
    expect(server.state.release(draft.json.id)?.assets.map((a) => a.name)).toEqual(['a.zip']);
    expect(await readdir(join(server.dataDir, 'tmp'))).toEqual([]);
  });

  test('an upload in flight when the release is published fails at its commit', async () => {
    await start({ immutableReleases: true });
    const draft = await create({ tag_name: 'v1', draft: true });
    const hold = server.faults.inject({ method: 'POST', path: /\/assets$/, respond: { hold: true } });
    const upload = call(server, 'POST', uploadUrl(server, draft.json.id, 'a.zip'), { body: 'bytes' });
    await hold.reached();
    expect((await patch(draft.json.id, { draft: false })).json.immutable).toBe(true);
    hold.release();
    const reply = await upload;
    expect([reply.status, reply.json.message]).toEqual([
      422,
      'Cannot upload assets to an immutable release.',
    ]);
    expect(server.state.release(draft.json.id)?.assets).toEqual([]);
    expect(await readdir(join(server.dataDir, 'tmp'))).toEqual([]);
  });

  test('its assets cannot be renamed, relabelled or deleted; a draft’s can', async () => {
    await start({ immutableReleases: true });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const asset = await server.seed.addAsset(id, 'a.zip', 'a');
    const path = `${REPO}/releases/assets/${asset.id}`;
    for (const [method, json] of [
      ['PATCH', { name: 'b.zip' }],
      ['PATCH', { label: 'A' }],
      ['DELETE', undefined],
    ] as const) {
      const reply = await call(server, method, path, { json });
      expect([method, reply.status, reply.json]).toEqual([
        method,
        422,
        githubError('Cannot modify an immutable release.'),
      ]);
    }
    expect(server.state.asset(asset.id)).toMatchObject({ name: 'a.zip', label: null });
    expect((await call(server, 'GET', path)).status).toBe(200);

    const draft = server.seed.createRelease({ tag: 'v2', draft: true });
    const draftAsset = await server.seed.addAsset(draft.id, 'a.zip', 'a');
    const draftPath = `${REPO}/releases/assets/${draftAsset.id}`;
    expect((await call(server, 'PATCH', draftPath, { json: { name: 'b.zip' } })).status).toBe(200);
    expect((await call(server, 'DELETE', draftPath)).status).toBe(204);
  });

  test('PATCH may change name, body and make_latest; tag, target, draft and prerelease only to the same value', async () => {
    await start({ immutableReleases: true, branches: ['main', 'next'] });
    const { json: release } = await create({ tag_name: 'v1', name: 'One', body: 'old' });
    const edited = await patch(release.id, { name: 'Uno', body: 'new', make_latest: 'true' });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ name: 'Uno', body: 'new' });
    // Sending the current values is not a change.
    const same = { tag_name: 'v1', target_commitish: 'main', draft: false, prerelease: false };
    expect((await patch(release.id, same)).status).toBe(200);

    for (const [field, value] of [
      ['tag_name', 'v2'],
      ['target_commitish', 'next'],
      ['draft', true],
      ['prerelease', true],
    ] as const) {
      const reply = await patch(release.id, { [field]: value, name: 'Refused' });
      expect([field, reply.status]).toEqual([field, 422]);
      expect(reply.json.message).toBe('Validation Failed');
      expect(reply.json.errors).toEqual([
        customError(field, `Cannot modify ${field} of an immutable release`),
      ]);
    }
    const both = await patch(release.id, { draft: true, tag_name: 'v2' });
    expect(both.json.errors.map((e: { field: string }) => e.field)).toEqual(['tag_name', 'draft']);
    expect(server.state.release(release.id)).toMatchObject({
      tag: 'v1',
      name: 'Uno',
      targetCommitish: 'main',
      draft: false,
      prerelease: false,
    });
  });

  test('can be deleted, but its tag is never free again: not for a create, a draft, nor a publish', async () => {
    await start({ immutableReleases: true });
    const waiting = await create({ tag_name: 'v1', draft: true });
    const { json: release } = await create({ tag_name: 'v1' });
    expect((await call(server, 'DELETE', `${REPO}/releases/${release.id}`)).status).toBe(204);
    expect(server.state.tags()).toEqual(['v1']);
    const retired = [customError('tag_name', 'tag_name was used by an immutable release')];
    for (const attempt of [
      () => create({ tag_name: 'v1' }),
      () => create({ tag_name: 'v1', draft: true }),
      () => patch(waiting.json.id, { draft: false }),
    ]) {
      const reply = await attempt();
      expect([reply.status, reply.json.errors]).toEqual([422, retired]);
    }
    // Turning the setting off does not free it either.
    server.seed.setImmutableReleases(false);
    expect((await create({ tag_name: 'v1' })).status).toBe(422);
    // A release that was not immutable leaves its tag free.
    const { json: mutable } = await create({ tag_name: 'v2' });
    await call(server, 'DELETE', `${REPO}/releases/${mutable.id}`);
    expect((await create({ tag_name: 'v2' })).status).toBe(201);
  });
});
