// The Forgejo flavour of the local forge server: what forge-behaviour.md says Forgejo does differently
// from Gitea (the rules they share run on both in gitea.test.ts).
import { describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';
import { call, REPO, serverPerTest, uploadUrl } from './client.js';

let server: ForgeServer;
const start = serverPerTest({ flavour: 'forgejo' }, (started) => {
  server = started;
});

describe('forgejo', () => {
  test('/version tells its own number with the Gitea it is compatible with', async () => {
    await start({ forgejoVersion: '7.0.5', giteaVersion: '1.21.11' });
    expect(server.flavour).toBe('forgejo');
    expect(server.apiUrl).toBe(`${server.url}/api/v1`);
    const reply = await call(server, 'GET', '/version', { token: null });
    expect(reply.json).toEqual({ version: '7.0.5+gitea-1.21.11' });
    // The Gitea part decides the API: 1.21 takes multipart uploads only (a raw body is a 500 there).
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const raw = await call(server, 'POST', uploadUrl(server, id, 'a.bin'), {
      body: 'raw bytes',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(raw.status).toBe(500);
  });

  test('defaults to Forgejo 11.0 (the LTS line), compatible with Gitea 1.22', async () => {
    await start();
    expect((await call(server, 'GET', '/version')).json).toEqual({ version: '11.0.3+gitea-1.22.0' });
  });

  test('hide_archive_links is stored on create and edit; archive_download_count and asset type are shown', async () => {
    await start();
    const created = await call(server, 'POST', `${REPO}/releases`, {
      json: { tag_name: 'v1', name: 'v1', hide_archive_links: true },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      hide_archive_links: true,
      archive_download_count: { zip: 0, tar_gz: 0 },
    });
    expect(server.state.release(created.json.id)?.hideArchiveLinks).toBe(true);
    const edited = await call(server, 'PATCH', `${REPO}/releases/${created.json.id}`, {
      json: { hide_archive_links: false },
    });
    expect(edited.json.hide_archive_links).toBe(false);
    const asset = await call(server, 'POST', uploadUrl(server, created.json.id, 'a.bin'), {
      body: 'bytes',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(asset.json.type).toBe('attachment');
  });

  test('an external link: type external, size 0, its own address as download link, downloads redirected', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const link = server.seed.addExternalAsset(id, 'Manual.pdf', 'https://mirror.example/Manual.pdf');
    const listed = await call(server, 'GET', `${REPO}/releases/${id}/assets`);
    expect(listed.json).toEqual([
      expect.objectContaining({
        id: link.id,
        name: 'Manual.pdf',
        size: 0,
        type: 'external',
        browser_download_url: 'https://mirror.example/Manual.pdf',
      }),
    ]);
    for (const path of [`/octo/app/releases/download/v1/Manual.pdf`, `/attachments/${link.uuid}`]) {
      const reply = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect([reply.status, reply.headers.get('location')]).toEqual([
        302,
        'https://mirror.example/Manual.pdf',
      ]);
    }
    const gitea = await startForgeServer({ flavour: 'gitea' });
    try {
      const release = gitea.seed.createRelease({ tag: 'v1' });
      expect(() => gitea.seed.addExternalAsset(release.id, 'a', 'https://x.example/a')).toThrow(
        /Forgejo only/,
      );
    } finally {
      await gitea.close();
    }
  });

  test('Gitea ignores hide_archive_links and shows none of the Forgejo fields', async () => {
    const gitea = await startForgeServer({ flavour: 'gitea' });
    try {
      const created = await call(gitea, 'POST', `${REPO}/releases`, {
        json: { tag_name: 'v1', hide_archive_links: true },
      });
      expect(created.json.hide_archive_links).toBeUndefined();
      expect(created.json.archive_download_count).toBeUndefined();
      expect(gitea.state.release(created.json.id)?.hideArchiveLinks).toBe(false);
    } finally {
      await gitea.close();
    }
  });

  test('no size limit on API uploads: maxAssetSize is not enforced', async () => {
    await start({ maxAssetSize: 10 });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const reply = await call(server, 'POST', uploadUrl(server, id, 'big.bin'), {
      body: 'x'.repeat(1000),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(reply.status).toBe(201);
    expect(reply.json.size).toBe(1000);
  });

  test("Forgejo 1.20's create that answers 500 while creating: the release exists after the 500", async () => {
    await start();
    server.faults.inject({ method: 'POST', path: /\/releases$/, respond: { status: 500, after: true } });
    const reply = await call(server, 'POST', `${REPO}/releases`, { json: { tag_name: 'v1' } });
    expect(reply.status).toBe(500);
    expect(server.state.releases().map((r) => r.tag)).toEqual(['v1']);
  });

  test('epochDateOnCreateRace: a lost race leaves the winner dated 1970-01-01 behind the older release; draft and publish again repairs it', async () => {
    await start({ epochDateOnCreateRace: true });
    server.seed.createRelease({ tag: 'v0.9.0' });
    const hold = server.faults.inject({
      method: 'POST',
      path: /\/releases$/,
      nth: 1,
      respond: { hold: true },
    });
    const winner = call(server, 'POST', `${REPO}/releases`, { json: { tag_name: 'v1.0.0' } });
    await hold.reached(1);
    const loser = await call(server, 'POST', `${REPO}/releases`, { json: { tag_name: 'v1.0.0' } });
    expect(loser.status).toBe(500);
    hold.release();
    const won = await winner;
    expect([won.status, won.json.created_at, won.json.published_at]).toEqual([
      201,
      '1970-01-01T00:00:00Z',
      '1970-01-01T00:00:00Z',
    ]);
    expect((await call(server, 'GET', `${REPO}/releases/latest`)).json.tag_name).toBe('v0.9.0');
    await call(server, 'PATCH', `${REPO}/releases/${won.json.id}`, { json: { draft: true } });
    const repaired = await call(server, 'PATCH', `${REPO}/releases/${won.json.id}`, {
      json: { draft: false },
    });
    expect(repaired.json.published_at).not.toMatch(/^1970/);
    expect((await call(server, 'GET', `${REPO}/releases/latest`)).json.tag_name).toBe('v1.0.0');
  });

  test('owner names Gitea reserves are reserved here too', async () => {
    await expect(startForgeServer({ flavour: 'forgejo', repos: ['org/actions'] })).rejects.toThrow(
      /reserves/,
    );
  });

  test('forgejoVersion is a Forgejo setting', async () => {
    await expect(startForgeServer({ flavour: 'gitea', forgejoVersion: '11.0.3' })).rejects.toThrow(
      /forgejoVersion is a Forgejo setting/,
    );
  });
});
