// Which release is "Latest": GitHub decides with make_latest, Gitea takes the newest stable release.
// `GET /releases/latest` and the state view's `latest` flag always agree.
import { describe, expect, test } from '@jest/globals';
import type { ForgeServer } from '../../packages/forge-server/src/index.js';
import { call, REPO, serverPerTest } from './client.js';

let server: ForgeServer;
const start = serverPerTest({}, (started) => {
  server = started;
});

const create = async (json: Record<string, unknown>): Promise<number> => {
  const reply = await call(server, 'POST', `${REPO}/releases`, { json });
  expect(reply.status).toBe(201);
  return reply.json.id;
};
const patch = (id: number, json: Record<string, unknown>) =>
  call(server, 'PATCH', `${REPO}/releases/${id}`, { json });

/** The latest release's tag, as GET /releases/latest answers, checked against the state view. */
async function latest(): Promise<string | undefined> {
  const reply = await call(server, 'GET', `${REPO}/releases/latest`);
  const flagged = server.state.releases().filter((r) => r.latest);
  const tag = reply.status === 200 ? reply.json.tag_name : undefined;
  expect(flagged.map((r) => r.tag)).toEqual(tag === undefined ? [] : [tag]);
  if (tag === undefined) expect(reply.status).toBe(404);
  return tag;
}

describe('github: make_latest', () => {
  test('a stable release published with make_latest omitted or "true" takes the badge; "false" leaves it', async () => {
    await start({ flavour: 'github' });
    expect(await latest()).toBeUndefined();
    await create({ tag_name: 'v1.0.0' });
    expect(await latest()).toBe('v1.0.0');
    await create({ tag_name: 'v2.0.0', make_latest: 'false' });
    expect(await latest()).toBe('v1.0.0');
    await create({ tag_name: 'v1.1.0', make_latest: 'true' });
    expect(await latest()).toBe('v1.1.0');
    // A hot-fix on an old line published with the default becomes Latest.
    await create({ tag_name: 'v1.0.1' });
    expect(await latest()).toBe('v1.0.1');
  });

  test('drafts and prereleases never take it, even with "true"; publishing a draft does', async () => {
    await start({ flavour: 'github' });
    await create({ tag_name: 'v1.0.0' });
    const draft = await create({ tag_name: 'v2.0.0', draft: true, make_latest: 'true' });
    await create({ tag_name: 'v3.0.0-rc.1', prerelease: true, make_latest: 'true' });
    expect(await latest()).toBe('v1.0.0');
    const quiet = await create({ tag_name: 'v2.1.0', draft: true });
    expect((await patch(quiet, { draft: false, make_latest: 'false' })).status).toBe(200);
    expect(await latest()).toBe('v1.0.0');
    expect((await patch(draft, { draft: false })).status).toBe(200);
    expect(await latest()).toBe('v2.0.0');
  });

  test('"legacy" hands it to the stable release created last', async () => {
    await start({ flavour: 'github' });
    const early = await create({ tag_name: 'v3.0.0', draft: true });
    await create({ tag_name: 'v1.0.0' });
    const last = await create({ tag_name: 'v2.0.0', make_latest: 'false' });
    expect(await latest()).toBe('v1.0.0');
    // Published now, but created before the others: with "legacy" the badge goes to v2.0.0.
    expect((await patch(early, { draft: false, make_latest: 'legacy' })).status).toBe(200);
    expect(await latest()).toBe('v2.0.0');
    expect((await patch(last, { make_latest: 'false' })).status).toBe(200);
    expect(await latest()).toBe('v2.0.0');
  });

  test('PATCH "true" on a published stable release takes it; other edits do not', async () => {
    await start({ flavour: 'github' });
    const first = await create({ tag_name: 'v1.0.0' });
    await create({ tag_name: 'v2.0.0' });
    expect((await patch(first, { body: 'edited' })).status).toBe(200);
    expect(await latest()).toBe('v2.0.0');
    expect((await patch(first, { make_latest: 'true' })).status).toBe(200);
    expect(await latest()).toBe('v1.0.0');
  });

  test('when the latest is deleted or stops being stable, the newest published stable one takes over', async () => {
    await start({ flavour: 'github' });
    await create({ tag_name: 'v1.0.0' });
    const second = await create({ tag_name: 'v2.0.0' });
    const third = await create({ tag_name: 'v3.0.0', make_latest: 'false' });
    await create({ tag_name: 'v4.0.0-rc.1', prerelease: true });
    expect(await latest()).toBe('v2.0.0');
    expect((await call(server, 'DELETE', `${REPO}/releases/${second}`)).status).toBe(204);
    expect(await latest()).toBe('v3.0.0');
    // The fallback now holds the badge: a release published with "false" does not take it.
    await create({ tag_name: 'v5.0.0', make_latest: 'false' });
    expect(await latest()).toBe('v3.0.0');
    expect((await patch(third, { prerelease: true })).status).toBe(200);
    expect(await latest()).toBe('v5.0.0');
  });

  test('anything but "true", "false" or "legacy" is a 422 on create and update', async () => {
    await start({ flavour: 'github' });
    const id = await create({ tag_name: 'v1.0.0' });
    const invalid = [{ resource: 'Release', code: 'invalid', field: 'make_latest' }];
    for (const value of ['yes', '', true, null]) {
      const created = await call(server, 'POST', `${REPO}/releases`, {
        json: { tag_name: 'v2.0.0', make_latest: value },
      });
      expect([value, created.status, created.json.errors]).toEqual([value, 422, invalid]);
      const updated = await patch(id, { make_latest: value, name: 'changed' });
      expect([value, updated.status, updated.json.errors]).toEqual([value, 422, invalid]);
    }
    expect(server.state.releases()).toEqual([expect.objectContaining({ tag: 'v1.0.0', name: null })]);
  });
});

describe('gitea: latest', () => {
  test('is the newest published stable release; make_latest is not part of its API', async () => {
    await start({ flavour: 'gitea' });
    await create({ tag_name: 'v2.0.0' });
    await create({ tag_name: 'v3.0.0-rc.1', prerelease: true });
    await create({ tag_name: 'v4.0.0', draft: true });
    expect(await latest()).toBe('v2.0.0');
    await create({ tag_name: 'v1.0.1', make_latest: 'false' });
    expect(await latest()).toBe('v1.0.1');
  });

  test('a repository with drafts and prereleases only has none', async () => {
    await start({ flavour: 'gitea' });
    await create({ tag_name: 'v1.0.0', draft: true });
    await create({ tag_name: 'v2.0.0-rc.1', prerelease: true });
    expect(await latest()).toBeUndefined();
  });
});
