// The forge client against the local forge server, both flavours: real HTTP on 127.0.0.1.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAVOURS, forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { scriptedServer } from '@forge-actions/testing/scripted-server';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { ADAPTERS } from '../../packages/forge/src/adapters.js';
import { ReleaseConflictError } from '../../packages/forge/src/errors.js';
import {
  AssetConflictError,
  type ConnectOptions,
  connectForge,
  type ForgeClient,
  ForgeError,
} from '../../packages/forge/src/index.js';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

const TOKEN = 'test-token';
const flavours = FLAVOURS;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

let dir: string;
let server: ForgeServer;
const clients: ForgeClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forge-client-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

interface Connected {
  client: ForgeClient;
  waits: number[];
  logs: string[];
}

/** A client as the actions make it on a runner of that flavour, with waits recorded instead of slept. */
async function connect(options: Partial<ConnectOptions> = {}): Promise<Connected> {
  const waits: number[] = [];
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const env: NodeJS.ProcessEnv = forgeRunnerEnv(server);
  const client = await connectForge({
    token: TOKEN,
    repository: 'octo/app',
    env,
    retries: 3,
    logger: { info: log, warning: log, debug: log },
    ...options,
    http: {
      baseDelayMs: 2,
      maxDelayMs: 8,
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...options.http,
    },
  });
  clients.push(client);
  return { client, waits, logs };
}

async function file(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

function bytesOf(size: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 256));
}

const apiRequests = () =>
  server.requests.filter((r) => !r.path.startsWith('/octo/') && !r.path.startsWith('/attachments/'));
/** The requests of the operation under test: `forge: forgejo` first checks the server's version. */
const operationRequests = () => apiRequests().filter((r) => r.path !== '/api/v1/version');

/** A release v1 with one small asset: the requests an upload job makes after connecting. */
async function releaseWithUpload(client: ForgeClient): Promise<void> {
  const release = await client.createRelease({
    tag: 'v1',
    name: 'v1',
    body: '',
    draft: false,
    prerelease: false,
  });
  await client.uploadAsset(release, { name: 'a.bin', path: await file('a.bin', 'abc') });
}

describe('flavour detection', () => {
  test('auto on a Gitea without GITEA_ACTIONS probes /api/v1/version once and caches it', async () => {
    server = await startForgeServer({ flavour: 'gitea', giteaVersion: '1.21.0' });
    const { client } = await connect({ env: {}, serverUrl: server.url });
    expect(client.flavour).toBe('gitea');
    expect(client.apiUrl).toBe(server.apiUrl);
    expect(await client.serverVersion()).toBe('1.21.0');
    await releaseWithUpload(client);
    expect(server.requests.filter((r) => r.path === '/api/v1/version')).toHaveLength(1);
  });

  test('auto on a GitHub Enterprise Server host: the probe finds no Gitea', async () => {
    server = await startForgeServer({ flavour: 'github' });
    const { client } = await connect();
    expect(client.flavour).toBe('github');
    expect(client.apiUrl).toBe(server.apiUrl);
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/v1/version 404',
    ]);
  });

  test('FORGEJO_ACTIONS decides without a request', async () => {
    server = await startForgeServer({ flavour: 'forgejo' });
    const { client } = await connect();
    expect(client.flavour).toBe('forgejo');
    expect(client.forgeName).toBe('Forgejo');
    expect(server.requests).toHaveLength(0);
  });

  test.each([
    ['gitea', '1.25.4'],
    ['forgejo', '11.0.3+gitea-1.22.0'],
  ] as const)(
    'GITEA_ACTIONS alone (a Forgejo runner before mid-2025): one /version request tells %s, and uploads reuse it',
    async (flavour, version) => {
      server = await startForgeServer({ flavour });
      const { client } = await connect({ env: { ...forgeRunnerEnv(server), FORGEJO_ACTIONS: '' } });
      expect(client.flavour).toBe(flavour);
      expect(await client.serverVersion()).toBe(version);
      await releaseWithUpload(client);
      expect(server.requests.filter((r) => r.path === '/api/v1/version')).toHaveLength(1);
    },
  );

  test('auto on a Forgejo without runner variables: the +gitea- suffix of its version says Forgejo', async () => {
    server = await startForgeServer({ flavour: 'forgejo', forgejoVersion: '7.0.5', giteaVersion: '1.21.11' });
    const { client, logs } = await connect({ env: {}, serverUrl: server.url });
    expect(client.flavour).toBe('forgejo');
    expect(logs.join('\n')).toContain('Forge: Forgejo (');
    // The Gitea version after +gitea- decides the upload form: 1.21 takes multipart only.
    await releaseWithUpload(client);
    const upload = server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/assets'));
    expect(upload?.contentType).toMatch(/^multipart\/form-data/);
  });

  test.each([
    ['gitea', /^Input 'forge' is forgejo, but the server at 127\.0\.0\.1:\d+ answers as Gitea 1\.25\.4$/],
    [
      'github',
      /^Input 'forge' is forgejo, but the server at 127\.0\.0\.1:\d+ answers as not Gitea or Forgejo/,
    ],
  ] as const)(
    'forge: forgejo against a %s server fails with one line saying what it is',
    async (flavour, message) => {
      server = await startForgeServer({ flavour });
      const error = await connect({ forge: 'forgejo', env: {}, serverUrl: server.url }).catch(
        (e: unknown) => e,
      );
      expect(String((error as Error).message)).toMatch(message);
      expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    },
  );

  test('a version string that cannot be parsed is reported, not guessed', async () => {
    const scripted = await scriptedServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"development"}'),
    );
    const error = await connectForge({
      token: TOKEN,
      repository: 'octo/app',
      env: { GITHUB_SERVER_URL: scripted.url },
      retries: 0,
    })
      .catch((e: unknown) => e)
      .finally(() => scripted.close());
    expect(String((error as Error).message)).toMatch(
      /^The server at 127\.0\.0\.1:\d+ answers \/api\/v1\/version with 'development', which is neither a Gitea version/,
    );
  });
});

describe.each(flavours)('releases on %s', (flavour) => {
  test('create, look up by tag and id, update, list, delete', async () => {
    server = await startForgeServer({ flavour });
    const { client } = await connect({ forge: flavour });
    expect(await client.getReleaseByTag('v1.0.0')).toBeUndefined();
    const created = await client.createRelease({
      tag: 'v1.0.0',
      name: 'App 1.0.0',
      body: 'notes',
      draft: false,
      prerelease: true,
    });
    expect(created).toMatchObject({
      tagName: 'v1.0.0',
      name: 'App 1.0.0',
      body: 'notes',
      draft: false,
      prerelease: true,
    });
    expect(created.uploadUrl).toMatch(new RegExp(`/releases/${created.id}/assets$`));
    expect(created.htmlUrl).toContain(server.url);
    expect(await client.getReleaseByTag('v1.0.0')).toEqual(created);
    expect((await client.getRelease(created.id)).id).toBe(created.id);

    const updated = await client.updateRelease(created.id, { body: 'new notes', prerelease: false });
    expect(updated).toMatchObject({ body: 'new notes', prerelease: false });
    expect(server.state.release(created.id)?.body).toBe('new notes');

    const listed = [];
    for await (const r of client.listReleases()) listed.push(r.id);
    expect(listed).toEqual([created.id]);

    await client.deleteRelease(created.id);
    expect(server.state.release(created.id)).toBeUndefined();
    await client.deleteRelease(created.id); // already gone: fine
  });

  test('pagination: 120 releases come back complete, page by page at the maximum page size', async () => {
    server = await startForgeServer({ flavour });
    for (let i = 0; i < 120; i++) server.seed.createRelease({ tag: `v0.${i}.0` });
    const { client } = await connect({ forge: flavour });
    const tags = new Set<string>();
    for await (const r of client.listReleases()) tags.add(r.tagName);
    expect(tags.size).toBe(120);
    const pages = server.requests.filter((r) => r.method === 'GET' && /\/releases$/.test(r.path));
    if (flavour !== 'github') {
      expect(pages.map((p) => p.query.limit)).toEqual(['50', '50', '50']);
    } else {
      expect(pages.map((p) => p.query.per_page)).toEqual(['100', '100']);
    }
  });

  test('a draft is found by tag (GitHub: through the paged list, the oldest of several)', async () => {
    server = await startForgeServer({ flavour });
    for (let i = 0; i < 110; i++) server.seed.createRelease({ tag: `v0.${i}.0` });
    const first = server.seed.createRelease({ tag: 'v2.0.0', draft: true });
    if (flavour === 'github') server.seed.createRelease({ tag: 'v2.0.0', draft: true });
    const { client } = await connect({ forge: flavour });
    const found = await client.getReleaseByTag('v2.0.0');
    expect(found).toMatchObject({ id: first.id, draft: true, tagName: 'v2.0.0' });
  });

  test('a tag that already has a release: ReleaseConflictError(exists), no retry', async () => {
    server = await startForgeServer({ flavour });
    server.seed.createRelease({ tag: 'v1.0.0' });
    const { client } = await connect({ forge: flavour });
    const error = await client
      .createRelease({ tag: 'v1.0.0', name: '', body: '', draft: false, prerelease: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReleaseConflictError);
    expect(error).toMatchObject({
      reason: 'exists',
      status: flavour !== 'github' ? 409 : 422,
      tag: 'v1.0.0',
    });
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test.each([
    ['a 500', { status: 500 }],
    ['a 502 after the release was made', { status: 502, after: true }],
    ['a connection reset', { reset: 'before' as const }],
  ])('create answered with %s: ReleaseConflictError(uncertain), never resent', async (_label, respond) => {
    server = await startForgeServer({ flavour });
    server.faults.inject({ method: 'POST', path: /\/releases$/, respond });
    const { client } = await connect({ forge: flavour });
    const error = await client
      .createRelease({ tag: 'v1.0.0', name: '', body: '', draft: false, prerelease: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReleaseConflictError);
    expect((error as ReleaseConflictError).reason).toBe('uncertain');
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    // The caller's next step is a look-up, which finds the release when the server did make it.
    const found = await client.getReleaseByTag('v1.0.0');
    expect(found !== undefined).toBe('after' in respond);
  });

  test('create under a rate limit (429, Retry-After: 1) waits as told and succeeds', async () => {
    server = await startForgeServer({ flavour });
    server.faults.inject({ method: 'POST', path: /\/releases$/, respond: { status: 429, retryAfter: 1 } });
    const { client, waits } = await connect({ forge: flavour, http: { mutationSpacingMs: 0 } });
    const release = await client.createRelease({
      tag: 'v1',
      name: '',
      body: '',
      draft: false,
      prerelease: false,
    });
    expect(release.tagName).toBe('v1');
    expect(waits).toEqual([1000]);
    expect(server.state.releases()).toHaveLength(1);
  });

  test.each([
    ['500', { status: 500 }],
    ['502', { status: 502 }],
    ['reset', { reset: 'before' as const }],
  ])('reads are retried after %s', async (_label, respond) => {
    server = await startForgeServer({ flavour });
    const seeded = server.seed.createRelease({ tag: 'v1' });
    server.faults.inject({ method: 'GET', path: /\/releases\/tags\//, times: 2, respond });
    const { client, waits } = await connect({ forge: flavour });
    expect((await client.getReleaseByTag('v1'))?.id).toBe(seeded.id);
    expect(waits).toEqual([1, 2]);
  });
});

describe.each(flavours)('assets on %s', (flavour) => {
  async function withRelease(options: { giteaVersion?: string; maxAssetSize?: number } = {}) {
    server = await startForgeServer({ flavour, ...options });
    const seeded = server.seed.createRelease({ tag: 'v1' });
    const connected = await connect({ forge: flavour, http: { mutationSpacingMs: 0 } });
    const release = await connected.client.getRelease(seeded.id);
    return { ...connected, release };
  }

  test('upload streams the file raw; listed, downloaded with sha256, renamed, deleted', async () => {
    const { client, release } = await withRelease();
    const bytes = bytesOf(300_000, 1);
    const path = await file('App.zip', bytes);
    const progress: number[] = [];
    const asset = await client.uploadAsset(release, {
      name: 'App.zip',
      path,
      contentType: 'application/zip',
      onProgress: (n) => progress.push(n),
    });
    expect(asset).toMatchObject({ name: 'App.zip', size: bytes.length });
    expect(progress.at(-1)).toBe(bytes.length);
    if (flavour === 'github') expect(asset.sha256).toBe(sha256(bytes));
    else expect(asset.sha256).toBeUndefined();
    expect(sha256(await server.state.readAsset(asset.id))).toBe(sha256(bytes));
    const upload = server.requests.find((r) => r.method === 'POST');
    expect(upload).toMatchObject({
      contentLength: bytes.length,
      chunked: false,
      contentType: 'application/zip',
    });
    expect(upload?.query.name).toBe('App.zip');

    expect((await client.listAssets(release)).map((a) => a.id)).toEqual([asset.id]);

    const to = join(dir, `down-${flavour}`, 'App.zip');
    const got = await client.downloadAsset(asset, to, { sha256: true });
    expect(got).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
    expect((await readFile(to)).equals(bytes)).toBe(true);

    const renamed = await client.renameAsset(release, asset.id, 'App-1.0.zip');
    expect(renamed).toMatchObject({ id: asset.id, name: 'App-1.0.zip' });
    expect(server.state.asset(asset.id)?.name).toBe('App-1.0.zip');

    expect(await client.deleteAsset(release.id, asset.id)).toBe(true);
    expect(server.state.asset(asset.id)).toBeUndefined();
    expect(await client.deleteAsset(release.id, asset.id)).toBe(false);
  });

  test.each([
    ['a 500 on the first attempt', { status: 500 }],
    ['a connection reset mid-body', { reset: 'mid-body' as const }],
    ['a 429 with Retry-After: 1', { status: 429, retryAfter: 1 }],
  ])('upload recovers from %s: the asset ends up once, with the right bytes', async (_label, respond) => {
    const { client, release, waits } = await withRelease();
    const bytes = bytesOf(500_000, 2);
    const path = await file(`r-${flavour}.bin`, bytes);
    server.faults.inject({ method: 'POST', path: /\/assets$/, respond });
    const asset = await client.uploadAsset(release, { name: 'App.bin', path });
    const assets = server.state.release(release.id)?.assets ?? [];
    expect(assets.map((a) => [a.name, a.sha256, a.state])).toEqual([['App.bin', sha256(bytes), 'uploaded']]);
    expect(asset.id).toBe(assets[0]?.id);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(waits).toEqual('retryAfter' in respond ? [1000] : [1]);
  });

  test('an upload over the size limit fails at once with the 413 message (Forgejo has no limit on API uploads)', async () => {
    const { client, release } = await withRelease({ maxAssetSize: 1000 });
    if (flavour === 'forgejo') {
      const asset = await client.uploadAsset(release, {
        name: 'big.bin',
        path: await file('big.bin', bytesOf(5000, 3)),
      });
      expect(asset.size).toBe(5000);
      return;
    }
    const error = await client
      .uploadAsset(release, { name: 'big.bin', path: await file('big.bin', bytesOf(5000, 3)) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForgeError);
    expect((error as ForgeError).status).toBe(413);
    expect(String((error as Error).message)).toMatch(
      /^Could not upload big.bin to release \d+: it is over the server's size limit \(413/,
    );
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  if (flavour !== 'github') {
    test('Gitea < 1.22 gets a streamed multipart body (field attachment) with an exact Content-Length', async () => {
      const { client, release } = await withRelease({ giteaVersion: '1.21.0' });
      const bytes = bytesOf(200_000, 4);
      const asset = await client.uploadAsset(release, {
        name: 'Old.zip',
        path: await file('old.zip', bytes),
      });
      expect(sha256(await server.state.readAsset(asset.id))).toBe(sha256(bytes));
      const upload = server.requests.find((r) => r.method === 'POST');
      expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(upload?.chunked).toBe(false);
      expect(upload?.contentLength).toBeGreaterThan(bytes.length);
    });

    test('multipart uploads retry with a fresh body too', async () => {
      const { client, release } = await withRelease({ giteaVersion: '1.21.0' });
      const bytes = bytesOf(400_000, 5);
      server.faults.inject({ method: 'POST', path: /\/assets$/, respond: { reset: 'mid-body' } });
      const asset = await client.uploadAsset(release, {
        name: 'Old.zip',
        path: await file('old2.zip', bytes),
      });
      expect(sha256(await server.state.readAsset(asset.id))).toBe(sha256(bytes));
      expect(server.state.release(release.id)?.assets).toHaveLength(1);
    });

    test('a download of one of several same-named assets gets that asset, not an arbitrary copy', async () => {
      const { client, release } = await withRelease();
      await server.seed.addAsset(release.id, 'App.zip', 'oldest copy');
      const newer = await server.seed.addAsset(release.id, 'App.zip', 'newest copy');
      const listed = (await client.listAssets(release)).find((a) => a.id === newer.id);
      expect(listed).toBeDefined();
      const to = join(dir, 'dup-down.zip');
      const got = await client.downloadAsset(listed as NonNullable<typeof listed>, to, { sha256: true });
      expect(got.sha256).toBe(sha256('newest copy'));
      expect(await readFile(to, 'utf8')).toBe('newest copy');
    });

    test('duplicate names are accepted silently, as Gitea does', async () => {
      const { client, release } = await withRelease();
      const path = await file('dup.bin', 'x');
      await client.uploadAsset(release, { name: 'App.zip', path });
      await client.uploadAsset(release, { name: 'App.zip', path });
      expect((await client.listAssets(release)).map((a) => a.name)).toEqual(['App.zip', 'App.zip']);
    });
  }

  if (flavour === 'github') {
    test('a starter asset left by a broken upload is removed and the upload made again', async () => {
      const { client, release } = await withRelease();
      await server.seed.addAsset(release.id, 'App.zip', 'partial', { state: 'starter' });
      const bytes = bytesOf(1000, 6);
      const asset = await client.uploadAsset(release, { name: 'App.zip', path: await file('s.zip', bytes) });
      const assets = server.state.release(release.id)?.assets ?? [];
      expect(assets.map((a) => [a.id, a.state, a.sha256])).toEqual([[asset.id, 'uploaded', sha256(bytes)]]);
    });

    test('when the answer to a completed upload is lost, the retry finds it instead of failing', async () => {
      const { client, release } = await withRelease();
      const bytes = bytesOf(1000, 7);
      server.faults.inject({ method: 'POST', path: /\/assets$/, respond: { status: 502, after: true } });
      const asset = await client.uploadAsset(release, { name: 'App.zip', path: await file('l.zip', bytes) });
      expect(asset.sha256).toBe(sha256(bytes));
      expect(server.state.release(release.id)?.assets.map((a) => a.id)).toEqual([asset.id]);
    });

    test('a name that is taken: AssetConflictError on upload and on rename', async () => {
      const { client, release } = await withRelease();
      const taken = await server.seed.addAsset(release.id, 'App.zip', 'old');
      const path = await file('c.zip', 'new');
      await expect(client.uploadAsset(release, { name: 'App.zip', path })).rejects.toBeInstanceOf(
        AssetConflictError,
      );
      const other = await client.uploadAsset(release, { name: 'App.tmp-1', path });
      await expect(client.renameAsset(release, other.id, 'App.zip')).rejects.toBeInstanceOf(
        AssetConflictError,
      );
      expect(server.state.asset(taken.id)?.name).toBe('App.zip');
    });

    test('assets are paged: 120 on one release all come back', async () => {
      const { client, release } = await withRelease();
      for (let i = 0; i < 120; i++) await server.seed.addAsset(release.id, `f${i}.txt`, String(i));
      expect(await client.listAssets(release)).toHaveLength(120);
      const pages = server.requests.filter((r) => r.method === 'GET' && /\/assets$/.test(r.path));
      expect(pages.map((p) => p.query.per_page)).toEqual(['100', '100']);
    });

    test('mutations are spaced 1 s apart on api.github.com only (its secondary limits), not on a GHES host', async () => {
      expect(ADAPTERS.github.mutationSpacingMs('https://api.github.com')).toBe(1000);
      expect(ADAPTERS.github.mutationSpacingMs('https://ghes.example.com/api/v3')).toBe(0);
      expect(ADAPTERS.gitea.mutationSpacingMs('https://gitea.example.com/api/v1')).toBe(0);
      server = await startForgeServer({ flavour });
      const waits: number[] = [];
      const { client } = await connect({
        forge: 'github',
        http: {
          sleep: async (ms) => {
            waits.push(ms);
          },
        },
      });
      const r = await client.createRelease({
        tag: 'v1',
        name: '',
        body: '',
        draft: false,
        prerelease: false,
      });
      await client.updateRelease(r.id, { body: 'x' });
      await client.deleteRelease(r.id);
      expect(waits).toEqual([]);
    });

    test('write-spacing spaces the starts of writes on any host (a GHES with rate limits on)', async () => {
      server = await startForgeServer({ flavour });
      const waits: number[] = [];
      const { client } = await connect({
        forge: flavour,
        writeSpacingMs: 2000,
        // A clock that stands still: each write waits the whole spacing after the one before.
        http: { now: () => 0, sleep: async (ms) => void waits.push(ms) },
      });
      const r = await client.createRelease({
        tag: 'v1',
        name: '',
        body: '',
        draft: false,
        prerelease: false,
      });
      await client.getRelease(r.id);
      await client.updateRelease(r.id, { body: 'x' });
      await client.deleteRelease(r.id);
      expect(waits).toEqual([2000, 2000]);
    });
  }
});

describe.each(flavours)('failures that retrying cannot fix, on %s', (flavour) => {
  const secret = 'bad-token-0123456789';

  test('401: the mapped message, one request, no token', async () => {
    server = await startForgeServer({ flavour });
    const { client, logs } = await connect({ forge: flavour, token: secret });
    const error = (await client.getRelease(1).catch((e: unknown) => e)) as ForgeError;
    expect(error).toBeInstanceOf(ForgeError);
    expect(error.status).toBe(401);
    expect(error.message).toContain('rejected the token (401 Unauthorized)');
    if (flavour !== 'github') expect(error.message).toContain('GITEA_ or GITHUB_');
    expect(operationRequests()).toHaveLength(1);
    for (const text of [error.message, String(error.stack), ...logs]) expect(text).not.toContain(secret);
  });

  test('403: the missing scope or permission, one request', async () => {
    server = await startForgeServer({ flavour, tokens: { [secret]: { scopes: 'read' } } });
    const { client, logs } = await connect({ forge: flavour, token: secret });
    const error = (await client
      .createRelease({ tag: 'v1', name: '', body: '', draft: false, prerelease: false })
      .catch((e: unknown) => e)) as ForgeError;
    expect(error).toBeInstanceOf(ForgeError);
    expect(error.status).toBe(403);
    expect(error.message).toContain(flavour !== 'github' ? "'write:repository' scope" : "'contents: write'");
    expect(operationRequests()).toHaveLength(1);
    for (const text of [error.message, String(error.stack), ...logs]) expect(text).not.toContain(secret);
  });

  test('404: the repository is missing or hidden, one request per route', async () => {
    server = await startForgeServer({ flavour });
    const { client } = await connect({ forge: flavour, repository: 'octo/missing' });
    const error = (await client
      .createRelease({ tag: 'v1', name: '', body: '', draft: false, prerelease: false })
      .catch((e: unknown) => e)) as ForgeError;
    expect(error.message).toBe(
      `Could not create the release for tag v1: repository octo/missing was not found at ${server.apiUrl}, or is not visible to the token (404). Check the 'repository' and 'api-url' inputs and the token's access.`,
    );
    expect(operationRequests()).toHaveLength(1);
  });

  test('a release id that does not exist says so', async () => {
    server = await startForgeServer({ flavour });
    const { client } = await connect({ forge: flavour });
    await expect(client.getRelease(4242)).rejects.toThrow(
      'Could not read release 4242: release 4242 does not exist in octo/app, or the repository is not visible to the token (404).',
    );
  });

  test('persistent 5xx gives up after the retries with the count', async () => {
    server = await startForgeServer({ flavour });
    server.faults.inject({
      method: 'GET',
      path: /\/releases\/tags\//,
      times: Number.POSITIVE_INFINITY,
      respond: { status: 503 },
    });
    const { client, waits } = await connect({ forge: flavour });
    await expect(client.getReleaseByTag('v1')).rejects.toThrow(/answered 503 after 4 attempts/);
    expect(waits).toHaveLength(3);
  });
});
