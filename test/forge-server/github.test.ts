// The GitHub flavour (GHES form) of the local forge server, rule by rule from forge-behaviour.md.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { type ForgeServer, githubAssetName } from '../../packages/forge-server/src/index.js';
import { call, REPO, serverPerTest, streamedUpload, uploadUrl } from './client.js';

let server: ForgeServer;
const start = serverPerTest({ flavour: 'github' }, (started) => {
  server = started;
});

const create = (json: Record<string, unknown>) => call(server, 'POST', `${REPO}/releases`, { json });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('github: API roots and auth', () => {
  test('REST under /api/v3, uploads under /api/uploads, upload_url is a URI template', async () => {
    await start();
    expect(server.apiUrl).toBe(`${server.url}/api/v3`);
    expect(server.uploadsUrl).toBe(`${server.url}/api/uploads`);
    const reply = await create({ tag_name: 'v1.0.0' });
    expect(reply.status).toBe(201);
    expect(reply.json.upload_url).toBe(
      `${server.url}/api/uploads/repos/octo/app/releases/${reply.json.id}/assets{?name,label}`,
    );
    expect(reply.json.immutable).toBe(false);
    // Gitea's version endpoint is not there.
    expect((await call(server, 'GET', `${server.url}/api/v1/version`, { token: null })).status).toBe(404);
  });

  test('401 for no or bad token, 404 for an unknown repo (even to a read token), 403 for a read token on writes', async () => {
    await start({ tokens: { w: { scopes: 'write' }, r: { scopes: 'read' } } });
    expect((await call(server, 'GET', `${REPO}/releases`, { token: null })).status).toBe(401);
    const bad = await call(server, 'GET', `${REPO}/releases`, { token: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.json.message).toBe('Bad credentials');
    expect((await call(server, 'GET', `${REPO}/releases`, { authorization: 'Bearer r' })).status).toBe(200);
    expect(
      (await call(server, 'POST', `${REPO}/releases`, { token: 'r', json: { tag_name: 'v1' } })).status,
    ).toBe(403);
    expect((await call(server, 'POST', '/repos/octo/other/releases', { token: 'r', json: {} })).status).toBe(
      404,
    );
    expect(server.state.releases()).toEqual([]);
  });
});

describe('github: releases', () => {
  test('a second published release for a tag is a 422 already_exists', async () => {
    await start();
    expect((await create({ tag_name: 'v1.0.0' })).status).toBe(201);
    const reply = await create({ tag_name: 'v1.0.0' });
    expect(reply.status).toBe(422);
    expect(reply.json.message).toBe('Validation Failed');
    expect(reply.json.errors).toEqual([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
    // Tags are case-sensitive on GitHub.
    expect((await create({ tag_name: 'V1.0.0' })).status).toBe(201);
  });

  test('drafts do not hold the tag: several drafts share one, and a published one can follow', async () => {
    await start();
    const a = await create({ tag_name: 'v2.0.0', draft: true });
    const b = await create({ tag_name: 'v2.0.0', draft: true });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.published_at).toBeNull();
    expect(a.json.html_url).toMatch(/\/releases\/tag\/untagged-[0-9a-f]+$/);
    expect(server.state.tags()).toEqual([]);
    expect((await create({ tag_name: 'v2.0.0' })).status).toBe(201);
    expect(server.state.tags()).toEqual(['v2.0.0']);
    // Publishing a draft whose tag is now held fails like a create.
    const publish = await call(server, 'PATCH', `${REPO}/releases/${a.json.id}`, { json: { draft: false } });
    expect(publish.status).toBe(422);
    expect(publish.json.errors[0].code).toBe('already_exists');
  });

  test('GET /releases/tags/{tag} finds published releases only', async () => {
    await start();
    server.seed.createRelease({ tag: 'v1', draft: true });
    expect((await call(server, 'GET', `${REPO}/releases/tags/v1`)).status).toBe(404);
    const published = server.seed.createRelease({ tag: 'v1' });
    const reply = await call(server, 'GET', `${REPO}/releases/tags/v1`);
    expect(reply.json.id).toBe(published.id);
  });

  test('list pages with per_page (max 100) and Link; drafts are listed', async () => {
    await start();
    for (let i = 1; i <= 150; i++) server.seed.createRelease({ tag: `v${i}`, draft: i === 150 });
    const first = await call(server, 'GET', `${REPO}/releases`);
    expect(first.json).toHaveLength(30);
    expect(first.json[0]).toMatchObject({ tag_name: 'v150', draft: true });
    expect(first.headers.get('x-total-count')).toBeNull();
    const big = await call(server, 'GET', `${REPO}/releases?per_page=500`);
    expect(big.json).toHaveLength(100);
    const next = /<([^>]+)>; rel="next"/.exec(big.headers.get('link') ?? '')?.[1] ?? '';
    expect(new URL(next).searchParams.get('per_page')).toBe('100');
    const second = await call(server, 'GET', next);
    expect(second.json).toHaveLength(50);
    expect(second.headers.get('link')).not.toContain('rel="next"');
  });

  test('body over 125000 characters is a 422, on create and on update', async () => {
    await start();
    const long = 'x'.repeat(125_001);
    const reply = await create({ tag_name: 'v1', body: long });
    expect(reply.status).toBe(422);
    expect(reply.json.errors[0]).toMatchObject({ field: 'body' });
    expect((await create({ tag_name: 'v1', body: 'x'.repeat(125_000) })).status).toBe(201);
    const id = server.state.releases()[0].id;
    expect((await call(server, 'PATCH', `${REPO}/releases/${id}`, { json: { body: long } })).status).toBe(
      422,
    );
    // Counted in characters: 125000 astral characters are 250000 UTF-16 units and still fit.
    expect(
      (await call(server, 'PATCH', `${REPO}/releases/${id}`, { json: { body: '😀'.repeat(125_000) } }))
        .status,
    ).toBe(200);
  });

  test('PATCH sets strings as given (an empty body clears it); GET and DELETE by id', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1', body: 'old', name: 'Name' });
    const reply = await call(server, 'PATCH', `${REPO}/releases/${id}`, {
      json: { body: '', prerelease: true },
    });
    expect(reply.json).toMatchObject({ body: '', name: 'Name', prerelease: true });
    expect((await call(server, 'GET', `${REPO}/releases/${id}`)).json.body).toBe('');
    expect((await call(server, 'DELETE', `${REPO}/releases/${id}`)).status).toBe(204);
    expect((await call(server, 'GET', `${REPO}/releases/${id}`)).status).toBe(404);
  });

  test('an invalid tag name is a 422', async () => {
    await start();
    expect((await create({ tag_name: 'v1..0' })).status).toBe(422);
    expect((await create({})).status).toBe(422);
  });
});

describe('github: assets', () => {
  test('uploads go to the uploads root with a raw body; the API root does not take them', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const wrongHost = await call(server, 'POST', `${server.apiUrl}${REPO}/releases/${id}/assets?name=a.txt`, {
      body: 'a',
    });
    expect(wrongHost.status).toBe(404);
    const reply = await call(server, 'POST', uploadUrl(server, id, 'a.txt'), {
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      name: 'a.txt',
      size: 5,
      state: 'uploaded',
      content_type: 'text/plain',
      digest: `sha256:${sha256('hello')}`,
      url: `${server.apiUrl}/repos/octo/app/releases/assets/${reply.json.id}`,
    });
    const download = await call(server, 'GET', reply.json.browser_download_url, { token: null });
    expect(download.text).toBe('hello');
  });

  test('a 0-byte upload is a 422 on size and leaves nothing behind, with or without a length', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const reply = await call(server, 'POST', uploadUrl(server, id, 'empty.txt'), { body: '' });
    expect(reply.status).toBe(422);
    expect(reply.json.errors).toEqual([
      {
        resource: 'ReleaseAsset',
        code: 'custom',
        field: 'size',
        message: 'size must be greater than or equal to 1',
      },
    ]);
    const chunked = await streamedUpload(uploadUrl(server, id, 'empty.txt'), server.token, {
      chunks: 0,
      chunkSize: 1,
      chunked: true,
    });
    expect(chunked.status).toBe(422);
    expect(server.state.release(id)?.assets).toEqual([]);
    expect(await readdir(join(server.dataDir, 'tmp'))).toEqual([]);
    expect((await call(server, 'POST', uploadUrl(server, id, 'one.txt'), { body: '1' })).status).toBe(201);
  });

  test('a duplicate name is a 422 already_exists and keeps the original', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    expect((await call(server, 'POST', uploadUrl(server, id, 'a.txt'), { body: 'one' })).status).toBe(201);
    const dup = await call(server, 'POST', uploadUrl(server, id, 'a.txt'), { body: 'two' });
    expect(dup.status).toBe(422);
    expect(dup.json.errors[0]).toMatchObject({ code: 'already_exists', field: 'name' });
    const assets = server.state.release(id)?.assets ?? [];
    expect(assets).toHaveLength(1);
    expect((await server.state.readAsset(assets[0].id)).toString()).toBe('one');
  });

  test('names GitHub would rename are renamed, and the new name then counts for duplicates', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const reply = await call(server, 'POST', uploadUrl(server, id, 'My App (x64).exe'), { body: 'x' });
    expect(reply.json.name).toBe('My.App.x64.exe');
    expect((await call(server, 'POST', uploadUrl(server, id, 'My.App.x64.exe'), { body: 'x' })).status).toBe(
      422,
    );
    expect(
      (await call(server, 'POST', uploadUrl(server, id, '.tmp-App.zip.'), { body: 'x' })).json.name,
    ).toBe('tmp-App.zip');
  });

  test('githubAssetName: the documented rule', () => {
    expect(githubAssetName('App-1.0.0-setup.exe')).toBe('App-1.0.0-setup.exe');
    expect(githubAssetName('pkg_1.0-1~buster_amd64.deb')).toBe('pkg_1.0-1.buster_amd64.deb');
    expect(githubAssetName('a b  c.txt')).toBe('a.b.c.txt');
    expect(githubAssetName('café+1.zip')).toBe('cafe+1.zip');
    expect(githubAssetName('..hidden..')).toBe('hidden');
    expect(githubAssetName('a..b')).toBe('a.b');
    expect(githubAssetName('(((')).toBe('');
  });

  test('a starter asset (seeded) has no digest, is not downloadable and blocks its name', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const starter = await server.seed.addAsset(id, 'App.zip', '', { state: 'starter' });
    const list = await call(server, 'GET', `${REPO}/releases/${id}/assets`);
    expect(list.json[0]).toMatchObject({ id: starter.id, state: 'starter', digest: null });
    expect((await call(server, 'GET', list.json[0].browser_download_url, { token: null })).status).toBe(404);
    expect((await call(server, 'POST', uploadUrl(server, id, 'App.zip'), { body: 'x' })).status).toBe(422);
    expect((await call(server, 'DELETE', `${REPO}/releases/assets/${starter.id}`)).status).toBe(204);
    expect((await call(server, 'POST', uploadUrl(server, id, 'App.zip'), { body: 'x' })).status).toBe(201);
  });

  test('GET, PATCH (rename, 200) and DELETE (204) on /releases/assets/{asset_id}', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const a = await server.seed.addAsset(id, 'a.txt', 'aaa');
    await server.seed.addAsset(id, 'b.txt', 'bbb');
    const path = `${REPO}/releases/assets/${a.id}`;
    expect((await call(server, 'GET', path)).json.name).toBe('a.txt');
    const clash = await call(server, 'PATCH', path, { json: { name: 'b.txt' } });
    expect(clash.status).toBe(422);
    const renamed = await call(server, 'PATCH', path, { json: { name: 'c.txt', label: 'C' } });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: 'c.txt', label: 'C' });
    expect(server.changes.filter((c) => c.kind === 'asset-renamed')).toEqual([
      expect.objectContaining({ assetId: a.id, previousName: 'a.txt', name: 'c.txt' }),
    ]);
    expect((await call(server, 'DELETE', path)).status).toBe(204);
    expect((await call(server, 'GET', path)).status).toBe(404);
    // Gitea's nested form does not exist on GitHub.
    expect((await call(server, 'GET', `${REPO}/releases/${id}/assets/${a.id}`)).status).toBe(404);
  });

  test('GET an asset with Accept: application/octet-stream redirects to the bytes', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1', draft: true });
    const a = await server.seed.addAsset(id, 'a.txt', 'draft bytes');
    const reply = await call(server, 'GET', `${REPO}/releases/assets/${a.id}`, {
      headers: { accept: 'application/octet-stream' },
    });
    expect(reply.status).toBe(302);
    const location = reply.headers.get('location') ?? '';
    expect(location).toContain('/releases/download/untagged-');
    expect((await call(server, 'GET', location, { token: null })).text).toBe('draft bytes');
  });

  test('the asset list pages with per_page', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    for (let i = 0; i < 3; i++) await server.seed.addAsset(id, `f${i}`, 'x');
    const reply = await call(server, 'GET', `${REPO}/releases/${id}/assets?per_page=2`);
    expect(reply.json.map((a: { name: string }) => a.name)).toEqual(['f0', 'f1']);
    expect(reply.headers.get('link')).toContain('rel="next"');
  });

  test('the replace sequence is visible in requests and changes (upload temp, DELETE old, PATCH rename)', async () => {
    await start();
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const old = await server.seed.addAsset(id, 'App.zip', 'old');
    server.requests.length = 0;
    const temp = await call(server, 'POST', uploadUrl(server, id, 'App.zip.tmp-1'), { body: 'new' });
    await call(server, 'DELETE', `${REPO}/releases/assets/${old.id}`);
    await call(server, 'PATCH', `${REPO}/releases/assets/${temp.json.id}`, { json: { name: 'App.zip' } });
    expect(server.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 201',
      'DELETE 204',
      'PATCH 200',
    ]);
    const kinds = server.changes.filter((c) => c.kind.startsWith('asset-')).map((c) => `${c.kind} ${c.name}`);
    expect(kinds).toEqual([
      'asset-added App.zip',
      'asset-added App.zip.tmp-1',
      'asset-deleted App.zip',
      'asset-renamed App.zip',
    ]);
    const [post, del, patch] = server.requests;
    expect(post.at < del.at && del.at < patch.at).toBe(true);
    const deleted = server.changes.find((c) => c.kind === 'asset-deleted')?.at ?? 0;
    expect(deleted > del.at && deleted < (del.done ?? 0)).toBe(true);
  });
});
