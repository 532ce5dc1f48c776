// The Gitea flavour of the local forge server, rule by rule from forge-behaviour.md; Forgejo serves the
// same API, so every rule they share runs on both (its own rules: forgejo.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { ForgeServer } from '../../packages/forge-server/src/index.js';
import { call, REPO, serverPerTest, streamedMultipart, streamedUpload, uploadUrl } from './client.js';

describe.each(['gitea', 'forgejo'] as const)('%s', (flavour) => {
  let server: ForgeServer;
  const start = serverPerTest({ flavour }, (started) => {
    server = started;
  });

  const create = (json: Record<string, unknown>) => call(server, 'POST', `${REPO}/releases`, { json });

  describe('gitea: API root and auth', () => {
    test('serves /api/v1/version and builds URLs from its own address', async () => {
      await start({ giteaVersion: '1.21.0' });
      expect(server.apiUrl).toBe(`${server.url}/api/v1`);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const reply = await call(server, 'GET', '/version', { token: null });
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ version: flavour === 'gitea' ? '1.21.0' : '11.0.3+gitea-1.21.0' });
    });

    test('accepts token, Bearer and Basic (token as user or as password)', async () => {
      await start();
      const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
      for (const authorization of [
        'token test-token',
        'Bearer test-token',
        basic('test-token:x-oauth-basic'),
        basic('someone:test-token'),
      ]) {
        const reply = await call(server, 'GET', `${REPO}/releases`, { authorization });
        expect([authorization, reply.status]).toEqual([authorization, 200]);
      }
    });

    test('401 without or with a bad token, 403 for a read token on writes, 404 for an unknown repo', async () => {
      await start({ tokens: { w: { scopes: 'write' }, r: { scopes: 'read' } } });
      expect((await call(server, 'GET', `${REPO}/releases`, { token: null })).status).toBe(401);
      expect((await call(server, 'GET', `${REPO}/releases`, { token: 'nope' })).status).toBe(401);
      expect((await call(server, 'GET', `${REPO}/releases`, { token: 'r' })).status).toBe(200);
      const readWrite = await call(server, 'POST', `${REPO}/releases`, {
        token: 'r',
        json: { tag_name: 'v1' },
      });
      expect(readWrite.status).toBe(403);
      expect(readWrite.json.message).toContain('write:repository');
      expect((await call(server, 'GET', '/repos/octo/other/releases', { token: 'w' })).status).toBe(404);
      // Gitea checks the token's scope before it looks the repository up.
      expect(
        (await call(server, 'POST', '/repos/octo/other/releases', { token: 'r', json: {} })).status,
      ).toBe(403);
      expect(server.state.releases()).toEqual([]);
    });

    test('the repository name matches case-insensitively', async () => {
      await start({ repos: ['Octo/App'] });
      expect((await call(server, 'GET', '/repos/octo/app/releases')).status).toBe(200);
    });
  });

  describe('gitea: releases', () => {
    test('create returns the release JSON with a plain upload_url', async () => {
      await start();
      const reply = await create({
        tag_name: 'v1.0.0',
        name: 'One',
        body: 'notes',
        target_commitish: 'main',
      });
      expect(reply.status).toBe(201);
      const r = reply.json;
      for (const field of [
        'id',
        'tag_name',
        'target_commitish',
        'name',
        'body',
        'url',
        'html_url',
        'tarball_url',
        'zipball_url',
        'upload_url',
        'draft',
        'prerelease',
        'created_at',
        'published_at',
        'author',
        'assets',
      ]) {
        expect(r).toHaveProperty(field);
      }
      expect(r.upload_url).toBe(`${server.apiUrl}/repos/octo/app/releases/${r.id}/assets`);
      expect(r.html_url).toBe(`${server.url}/octo/app/releases/tag/v1.0.0`);
      expect(server.state.tags()).toEqual(['v1.0.0']);
    });

    test('409 when a release (draft or published) exists for the tag, compared case-insensitively', async () => {
      await start();
      expect((await create({ tag_name: 'v1.0.0', draft: true })).status).toBe(201);
      expect((await create({ tag_name: 'v1.0.0' })).status).toBe(409);
      expect((await create({ tag_name: 'V1.0.0' })).status).toBe(409);
      expect(server.state.releases()).toHaveLength(1);
      // A draft creates no git tag.
      expect(server.state.tags()).toEqual([]);
    });

    test('a pushed tag without a release becomes a release (201)', async () => {
      await start();
      server.seed.pushTag('v2.0.0');
      const reply = await create({ tag_name: 'v2.0.0' });
      expect(reply.status).toBe(201);
      expect(server.state.tags()).toEqual(['v2.0.0']);
    });

    test('an invalid tag name is a 500 and creates nothing', async () => {
      await start();
      for (const tag of ['v1..0', 'bad tag', 'v1:0', 'v1.lock', 'v1/', '.v1']) {
        const reply = await create({ tag_name: tag });
        expect([tag, reply.status]).toEqual([tag, 500]);
      }
      expect(server.state.releases()).toEqual([]);
      expect((await create({ tag_name: 'release/v1.0' })).status).toBe(201);
    });

    test('GET /releases/tags/{tag} finds drafts, case-insensitively', async () => {
      await start();
      const draft = server.seed.createRelease({ tag: 'v3.0.0-rc.1', draft: true });
      const reply = await call(server, 'GET', `${REPO}/releases/tags/V3.0.0-RC.1`);
      expect(reply.status).toBe(200);
      expect(reply.json.id).toBe(draft.id);
      expect(reply.json.draft).toBe(true);
      expect((await call(server, 'GET', `${REPO}/releases/tags/v9`)).status).toBe(404);
    });

    test('list pages with limit (default 30, max 50), Link and X-Total-Count', async () => {
      await start();
      for (let i = 1; i <= 61; i++) server.seed.createRelease({ tag: `v0.0.${i}` });
      const first = await call(server, 'GET', `${REPO}/releases`);
      expect(first.json).toHaveLength(30);
      expect(first.headers.get('x-total-count')).toBe('61');
      expect(first.json[0].tag_name).toBe('v0.0.61');
      const big = await call(server, 'GET', `${REPO}/releases?limit=100`);
      expect(big.json).toHaveLength(50);
      const link = big.headers.get('link') ?? '';
      expect(link).toContain('rel="next"');
      expect(link).toContain('rel="last"');
      const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
      // Gitea echoes the requested limit in its links; the pages still hold 50.
      expect(new URL(next).searchParams.get('limit')).toBe('100');
      const second = await call(server, 'GET', next);
      expect(second.json).toHaveLength(11);
      expect(second.headers.get('link')).toContain('rel="prev"');
      expect(second.headers.get('link')).not.toContain('rel="next"');
      const all = [...big.json, ...second.json].map((r: { tag_name: string }) => r.tag_name);
      expect(new Set(all).size).toBe(61);
    });

    test('a client following the Link headers with limit=100 sees each of 120 releases once', async () => {
      await start();
      for (let i = 1; i <= 120; i++) server.seed.createRelease({ tag: `v${i}` });
      const seen: string[] = [];
      const sizes: number[] = [];
      let url = `${server.apiUrl}${REPO}/releases?limit=100`;
      while (url) {
        expect(new URL(url).searchParams.get('limit')).toBe('100');
        const reply = await call(server, 'GET', url);
        sizes.push(reply.json.length);
        seen.push(...reply.json.map((r: { tag_name: string }) => r.tag_name));
        url = /<([^>]+)>; rel="next"/.exec(reply.headers.get('link') ?? '')?.[1] ?? '';
      }
      expect(sizes).toEqual([50, 50, 20]);
      expect(new Set(seen).size).toBe(120);
      expect(seen).toHaveLength(120);
      // Pages hold 50 whatever the limit says: page 2 starts at the 51st release.
      const second = await call(server, 'GET', `${REPO}/releases?limit=100&page=2`);
      expect(second.json[0].tag_name).toBe('v70');
      // Without a limit in the request, the links carry none.
      const plain = await call(server, 'GET', `${REPO}/releases`);
      const next = /<([^>]+)>; rel="next"/.exec(plain.headers.get('link') ?? '')?.[1] ?? '';
      expect([...new URL(next).searchParams.keys()]).toEqual(['page']);
    });

    test('list filters by draft and pre-release', async () => {
      await start();
      server.seed.createRelease({ tag: 'v1', draft: true });
      server.seed.createRelease({ tag: 'v2', prerelease: true });
      server.seed.createRelease({ tag: 'v3' });
      const drafts = await call(server, 'GET', `${REPO}/releases?draft=true`);
      expect(drafts.json.map((r: { tag_name: string }) => r.tag_name)).toEqual(['v1']);
      const pre = await call(server, 'GET', `${REPO}/releases?pre-release=true`);
      expect(pre.json.map((r: { tag_name: string }) => r.tag_name)).toEqual(['v2']);
    });

    test('PATCH ignores empty strings, applies the rest, and publishing creates the tag', async () => {
      await start();
      const seeded = server.seed.createRelease({ tag: 'v1.0.0', name: 'Name', body: 'Body', draft: true });
      const reply = await call(server, 'PATCH', `${REPO}/releases/${seeded.id}`, {
        json: { name: '', body: '', tag_name: '', draft: false, prerelease: true },
      });
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({
        name: 'Name',
        body: 'Body',
        tag_name: 'v1.0.0',
        draft: false,
        prerelease: true,
      });
      expect(server.state.tags()).toEqual(['v1.0.0']);
      const renamed = await call(server, 'PATCH', `${REPO}/releases/${seeded.id}`, { json: { body: 'New' } });
      expect(renamed.json.body).toBe('New');
    });

    test('GET and DELETE by id; latest is the newest published non-prerelease', async () => {
      await start();
      const a = server.seed.createRelease({ tag: 'v1' });
      server.seed.createRelease({ tag: 'v2', prerelease: true });
      expect((await call(server, 'GET', `${REPO}/releases/${a.id}`)).json.tag_name).toBe('v1');
      expect((await call(server, 'GET', `${REPO}/releases/latest`)).json.id).toBe(a.id);
      await server.seed.addAsset(a.id, 'x.bin', 'xyz');
      const file = server.state.release(a.id)?.assets[0].file ?? '';
      expect((await call(server, 'DELETE', `${REPO}/releases/${a.id}`)).status).toBe(204);
      expect((await call(server, 'GET', `${REPO}/releases/${a.id}`)).status).toBe(404);
      expect(await readdir(join(server.dataDir, 'files'))).not.toContain(file.split('/').pop());
      expect(server.state.tags()).toContain('v1');
    });

    test('DELETE /releases/tags/{tag} deletes the release, not the tag', async () => {
      await start();
      server.seed.createRelease({ tag: 'v1' });
      expect((await call(server, 'DELETE', `${REPO}/releases/tags/v1`)).status).toBe(204);
      expect(server.state.releases()).toEqual([]);
      expect(server.state.tags()).toEqual(['v1']);
    });
  });

  describe('gitea: attachments', () => {
    test('raw-body upload (>= 1.22) stores the bytes on disk; duplicates are appended silently', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const first = await call(server, 'POST', uploadUrl(server, id, 'App.zip'), { body: 'first copy' });
      expect(first.status).toBe(201);
      for (const field of [
        'id',
        'name',
        'size',
        'download_count',
        'created_at',
        'uuid',
        'browser_download_url',
      ]) {
        expect(first.json).toHaveProperty(field);
      }
      expect(first.json).not.toHaveProperty('digest');
      const second = await call(server, 'POST', uploadUrl(server, id, 'App.zip'), {
        body: 'second, longer copy',
      });
      expect(second.status).toBe(201);
      const assets = server.state.release(id)?.assets ?? [];
      expect(assets.map((a) => [a.name, a.size])).toEqual([
        ['App.zip', 10],
        ['App.zip', 19],
      ]);
      expect((await server.state.readAsset(second.json.id)).toString()).toBe('second, longer copy');
      expect(assets[0].file.startsWith(join(server.dataDir, 'files'))).toBe(true);
      expect(assets[0].sha256).toBe(createHash('sha256').update('first copy').digest('hex'));
    });

    test('the download link serves the oldest of duplicates; /attachments/{uuid} serves each', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      await server.seed.addAsset(id, 'App.zip', 'old bytes');
      const newer = await call(server, 'POST', uploadUrl(server, id, 'App.zip'), { body: 'new bytes' });
      const byName = `${server.url}/octo/app/releases/download/v1/App.zip`;
      const download = await call(server, 'GET', byName, { token: null });
      expect(download.status).toBe(200);
      expect(download.text).toBe('old bytes');
      expect(download.headers.get('content-length')).toBe('9');
      const byUuid = await call(server, 'GET', `${server.url}/attachments/${newer.json.uuid}`, {
        token: null,
      });
      expect(byUuid.text).toBe('new bytes');
      expect(server.state.release(id)?.assets[0].downloadCount).toBe(1);
    });

    test('browser_download_url: by name in lists, by uuid on its own and while two assets share a name', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const byName = (name: string) =>
        `${server.url}/octo/app/releases/download/v1/${encodeURIComponent(name)}`;
      const byUuid = (uuid: string) => `${server.url}/attachments/${uuid}`;
      const upload = await call(server, 'POST', uploadUrl(server, id, 'App.zip'), { body: 'app' });
      const { uuid } = upload.json;
      expect(upload.json.browser_download_url).toBe(byUuid(uuid));
      const assetPath = `${REPO}/releases/${id}/assets/${upload.json.id}`;
      expect((await call(server, 'GET', assetPath)).json.browser_download_url).toBe(byUuid(uuid));
      const renamed = await call(server, 'PATCH', assetPath, { json: { name: 'App 1.zip' } });
      expect(renamed.json.browser_download_url).toBe(byUuid(uuid));

      type Listed = { browser_download_url: string }[];
      const releaseLinks = async () => {
        const answers = [
          (await call(server, 'GET', `${REPO}/releases/${id}/assets`)).json,
          (await call(server, 'GET', `${REPO}/releases/${id}`)).json.assets,
          (await call(server, 'GET', `${REPO}/releases`)).json[0].assets,
          (await call(server, 'GET', `${REPO}/releases/tags/v1`)).json.assets,
          (await call(server, 'GET', `${REPO}/releases/latest`)).json.assets,
          (await call(server, 'PATCH', `${REPO}/releases/${id}`, { json: { body: 'edited' } })).json.assets,
        ] as Listed[];
        return answers.map((assets) => assets.map((a) => a.browser_download_url));
      };
      expect(await releaseLinks()).toEqual(Array(6).fill([byName('App 1.zip')]));

      // A second copy of a name switches every asset of the release to the uuid form, in every answer.
      const copy = await call(server, 'POST', uploadUrl(server, id, 'App 1.zip'), { body: 'copy' });
      const other = await server.seed.addAsset(id, 'Other.zip', 'other');
      expect(await releaseLinks()).toEqual(
        Array(6).fill([byUuid(uuid), byUuid(copy.json.uuid), byUuid(other.uuid)]),
      );
      // Another release is not affected.
      const second = server.seed.createRelease({ tag: 'v2' });
      await server.seed.addAsset(second.id, 'App 1.zip', 'v2');
      const secondList = await call(server, 'GET', `${REPO}/releases/${second.id}/assets`);
      expect(secondList.json[0].browser_download_url).toBe(
        `${server.url}/octo/app/releases/download/v2/App%201.zip`,
      );

      await call(server, 'DELETE', `${REPO}/releases/${id}/assets/${copy.json.id}`);
      const list = await call(server, 'GET', `${REPO}/releases/${id}/assets`);
      expect(list.json.map((a: { browser_download_url: string }) => a.browser_download_url)).toEqual([
        byName('App 1.zip'),
        byName('Other.zip'),
      ]);
    });

    test('assets are listed by name in byte order (UTF-8, not UTF-16), then by id', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      // JavaScript's default order puts '😀' (a surrogate pair, 0xD83D…) before 'ﬀ' (0xFB00); in
      // UTF-8 bytes 'ﬀ' (EF AC 80) comes first.
      const uploaded = [];
      for (const name of ['😀.bin', 'b.zip', 'ﬀ.txt', 'a.zip', 'é.txt', 'B.zip', 'b.zip', 'z.txt']) {
        uploaded.push(await server.seed.addAsset(id, name, name));
      }
      const [, firstB, , , , , secondB] = uploaded;
      const expected = ['B.zip', 'a.zip', 'b.zip', 'b.zip', 'z.txt', 'é.txt', 'ﬀ.txt', '😀.bin'];
      const list = await call(server, 'GET', `${REPO}/releases/${id}/assets`);
      expect(list.json.map((a: { name: string }) => a.name)).toEqual(expected);
      expect(list.json.slice(2, 4).map((a: { id: number }) => a.id)).toEqual([firstB.id, secondB.id]);
      const release = await call(server, 'GET', `${REPO}/releases/${id}`);
      expect(release.json.assets.map((a: { name: string }) => a.name)).toEqual(expected);
      // The state view keeps upload order.
      expect(server.state.release(id)?.assets.map((a) => a.name)[0]).toBe('😀.bin');
    });

    test('a 0-byte upload is accepted (201, size 0) and downloads as nothing', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const reply = await call(server, 'POST', uploadUrl(server, id, 'empty.txt'), { body: '' });
      expect(reply.status).toBe(201);
      expect(reply.json.size).toBe(0);
      expect(server.state.release(id)?.assets).toEqual([
        expect.objectContaining({ name: 'empty.txt', size: 0, sha256: createHash('sha256').digest('hex') }),
      ]);
      const download = await call(server, 'GET', `${server.url}/octo/app/releases/download/v1/empty.txt`, {
        token: null,
      });
      expect([download.status, download.text]).toEqual([200, '']);
    });

    test('multipart field `attachment` works on current Gitea too; the file name is the fallback name', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const form = new FormData();
      form.append('attachment', new Blob(['multipart bytes']), 'from-form.txt');
      const url = `${server.apiUrl}${REPO}/releases/${id}/assets`;
      const reply = await call(server, 'POST', url, { body: form });
      expect(reply.status).toBe(201);
      expect(reply.json.name).toBe('from-form.txt');
      expect((await server.state.readAsset(reply.json.id)).toString()).toBe('multipart bytes');
    });

    test('large uploads stream through whole: 1.21 multipart with a computed length, and raw', async () => {
      await start({ giteaVersion: '1.21.0' });
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const piece = randomBytes(256 * 1024);
      const count = 40; // 10 MiB
      const expected = createHash('sha256');
      for (let i = 0; i < count; i++) expected.update(piece);
      const reply = await streamedMultipart(uploadUrl(server, id, 'big.bin'), server.token, {
        field: 'attachment',
        filename: 'big.bin',
        piece,
        count,
      });
      expect(reply.status).toBe(201);
      const [asset] = server.state.release(id)?.assets ?? [];
      expect(asset).toMatchObject({
        name: 'big.bin',
        size: piece.length * count,
        sha256: expected.digest('hex'),
      });
      expect(await readdir(join(server.dataDir, 'tmp'))).toEqual([]);
      // The same server refuses a raw body: it pretends to be 1.21.
      const raw = await streamedUpload(uploadUrl(server, id, 'raw.bin'), server.token, {
        chunks: 4,
        chunkSize: 1024,
      });
      expect(raw.status).toBe(500);
    });

    test('raw upload without ?name is a 400', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const reply = await call(server, 'POST', `${server.apiUrl}${REPO}/releases/${id}/assets`, {
        body: 'x',
      });
      expect(reply.status).toBe(400);
    });

    test('Gitea 1.21: multipart only; raw body and a missing field are 500s', async () => {
      await start({ giteaVersion: '1.21.0' });
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const raw = await call(server, 'POST', uploadUrl(server, id, 'a.txt'), {
        body: 'raw',
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(raw.status).toBe(500);
      const wrongField = new FormData();
      wrongField.append('file', new Blob(['x']), 'a.txt');
      expect((await call(server, 'POST', uploadUrl(server, id, 'a.txt'), { body: wrongField })).status).toBe(
        500,
      );
      const form = new FormData();
      form.append('attachment', new Blob(['old gitea']), 'ignored.txt');
      const ok = await call(server, 'POST', uploadUrl(server, id, 'a.txt'), { body: form });
      expect(ok.status).toBe(201);
      expect(ok.json.name).toBe('a.txt');
      expect(server.state.release(id)?.assets.map((a) => a.name)).toEqual(['a.txt']);
    });

    // Forgejo does not limit API uploads (forgejo.test.ts).
    (flavour === 'gitea' ? test : test.skip)('413 over maxAssetSize, nothing kept', async () => {
      await start({ maxAssetSize: 10 });
      const { id } = server.seed.createRelease({ tag: 'v1' });
      expect(
        (await call(server, 'POST', uploadUrl(server, id, 'big'), { body: 'x'.repeat(11) })).status,
      ).toBe(413);
      expect((await call(server, 'POST', uploadUrl(server, id, 'ok'), { body: 'x'.repeat(10) })).status).toBe(
        201,
      );
      expect(server.state.release(id)?.assets.map((a) => a.name)).toEqual(['ok']);
      expect(await readdir(join(server.dataDir, 'tmp'))).toEqual([]);
    });

    test('asset list is not paginated', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      for (let i = 0; i < 60; i++) await server.seed.addAsset(id, `f${i}`, 'x');
      const reply = await call(server, 'GET', `${REPO}/releases/${id}/assets?limit=10`);
      expect(reply.json).toHaveLength(60);
      expect(reply.headers.get('link')).toBeNull();
    });

    test('GET, PATCH {name} (201) and DELETE (204) on /releases/{id}/assets/{attachment_id}', async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const other = server.seed.createRelease({ tag: 'v2' });
      const asset = await server.seed.addAsset(id, 'a.txt', 'a');
      const path = `${REPO}/releases/${id}/assets/${asset.id}`;
      expect((await call(server, 'GET', path)).json.name).toBe('a.txt');
      // The asset must belong to the release in the path.
      expect((await call(server, 'GET', `${REPO}/releases/${other.id}/assets/${asset.id}`)).status).toBe(404);
      const renamed = await call(server, 'PATCH', path, { json: { name: 'b.txt' } });
      expect(renamed.status).toBe(201);
      expect(renamed.json.name).toBe('b.txt');
      const empty = await call(server, 'PATCH', path, { json: { name: '' } });
      expect(empty.json.name).toBe('b.txt');
      expect((await call(server, 'DELETE', path)).status).toBe(204);
      expect(server.state.release(id)?.assets).toEqual([]);
      expect(await readdir(join(server.dataDir, 'files'))).toEqual([]);
    });

    test("GitHub's /releases/assets/{id} route does not exist on Gitea", async () => {
      await start();
      const { id } = server.seed.createRelease({ tag: 'v1' });
      const asset = await server.seed.addAsset(id, 'a.txt', 'a');
      expect((await call(server, 'GET', `${REPO}/releases/assets/${asset.id}`)).status).toBe(404);
      expect((await call(server, 'DELETE', `${REPO}/releases/assets/${asset.id}`)).status).toBe(404);
      expect(
        (await call(server, 'PATCH', `${REPO}/releases/assets/${asset.id}`, { json: { name: 'x' } })).status,
      ).toBe(404);
      expect(server.state.release(id)?.assets).toHaveLength(1);
    });

    test('a known path with an unsupported method is a 405', async () => {
      await start();
      expect((await call(server, 'PUT', `${REPO}/releases`, { json: {} })).status).toBe(405);
    });
  });
});
