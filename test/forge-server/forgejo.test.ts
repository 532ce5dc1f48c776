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
