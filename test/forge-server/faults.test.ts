// Fault injection and the lost-race behaviour of the local forge server.

import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';
import { call, REPO, serverPerTest, streamedUpload, uploadUrl } from './client.js';

let server: ForgeServer;
const start = serverPerTest({}, (started) => {
  server = started;
});

const create = (tag: string) => call(server, 'POST', `${REPO}/releases`, { json: { tag_name: tag } });
const tmpFiles = () => readdir(join(server.dataDir, 'tmp'));

describe.each(FLAVOURS)('%s: faults', (flavour) => {
  test('status faults hit the nth matching request only, change nothing, and are recorded', async () => {
    await start({ flavour });
    const fault = server.faults.inject({
      method: 'POST',
      path: /\/releases$/,
      nth: 2,
      times: 2,
      respond: { status: 502 },
    });
    await call(server, 'GET', `${REPO}/releases`); // not matching: not counted
    expect((await create('v1')).status).toBe(201);
    expect((await create('v2')).status).toBe(502);
    expect((await create('v2')).status).toBe(502);
    expect((await create('v2')).status).toBe(201);
    expect(server.state.releases().map((r) => r.tag)).toEqual(['v2', 'v1']);
    expect([fault.seen, fault.hits]).toEqual([4, 2]);
    expect(server.requests.map((r) => [r.method, r.status, r.fault ?? ''])).toEqual([
      ['GET', 200, ''],
      ['POST', 201, ''],
      ['POST', 502, 'status'],
      ['POST', 502, 'status'],
      ['POST', 201, ''],
    ]);
  });

  test('a query pattern narrows a fault to one asset: other uploads pass and are not counted', async () => {
    await start({ flavour });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const fault = server.faults.inject({
      method: 'POST',
      query: /^name=App\.tar\.gz$/,
      times: Number.POSITIVE_INFINITY,
      respond: { status: 500 },
    });
    const put = (name: string) => call(server, 'POST', uploadUrl(server, id, name), { body: 'bytes' });
    expect((await put('App.zip')).status).toBe(201);
    expect((await put('App.tar.gz')).status).toBe(500);
    expect((await put('App.tar.gz')).status).toBe(500);
    expect([fault.seen, fault.hits]).toEqual([2, 2]);
    expect(server.state.release(id)?.assets.map((a) => a.name)).toEqual(['App.zip']);
  });

  test('429 sets Retry-After; body and extra headers can be given', async () => {
    await start({ flavour });
    server.faults.inject({
      respond: {
        status: 429,
        retryAfter: 7,
        body: { message: 'slow down' },
        headers: { 'x-ratelimit-remaining': '0' },
      },
    });
    const reply = await call(server, 'GET', `${REPO}/releases`);
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('7');
    expect(reply.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(reply.json).toEqual({ message: 'slow down' });
    expect((await call(server, 'GET', `${REPO}/releases`)).status).toBe(200);
  });

  test('a status fault on an upload drains the body first, so the client reads the status', async () => {
    await start({ flavour });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    server.faults.inject({ method: 'POST', path: /\/assets$/, respond: { status: 500 } });
    const result = await streamedUpload(uploadUrl(server, id, 'big.bin'), server.token, {
      chunks: 64,
      chunkSize: 64 * 1024,
    });
    expect(result.status).toBe(500);
    expect(server.state.release(id)?.assets).toEqual([]);
  });

  test('reset before: the connection drops, the request is recorded, nothing changes', async () => {
    await start({ flavour });
    const fault = server.faults.inject({ method: 'POST', respond: { reset: 'before' } });
    await expect(create('v1')).rejects.toThrow();
    await server.idle();
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'POST', status: 0, error: 'reset', fault: 'reset-before' }),
    ]);
    expect(fault.hits).toBe(1);
    expect(server.state.releases()).toEqual([]);
    expect((await create('v1')).status).toBe(201);
  });

  test('reset mid-body during an upload leaves no asset and no temporary file', async () => {
    await start({ flavour });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const fault = server.faults.inject({ method: 'POST', path: /\/assets$/, respond: { reset: 'mid-body' } });
    const result = await streamedUpload(uploadUrl(server, id, 'App.zip'), server.token, {
      chunks: 32,
      chunkSize: 64 * 1024,
    });
    expect(result.status).toBeUndefined();
    expect(result.error).toBeDefined();
    await server.idle();
    expect(fault.hits).toBe(1);
    expect(server.requests[0]).toMatchObject({ error: 'reset', status: 0 });
    expect(server.state.release(id)?.assets).toEqual([]);
    expect(await tmpFiles()).toEqual([]);
    expect(await readdir(join(server.dataDir, 'files'))).toEqual([]);
    // The next attempt goes through.
    const retry = await streamedUpload(uploadUrl(server, id, 'App.zip'), server.token, {
      chunks: 32,
      chunkSize: 64 * 1024,
    });
    expect(retry.status).toBe(201);
    expect(server.state.release(id)?.assets.map((a) => a.size)).toEqual([32 * 64 * 1024]);
  });

  test('reset mid-body on a small JSON create creates nothing', async () => {
    await start({ flavour });
    server.faults.inject({ method: 'POST', respond: { reset: 'mid-body' } });
    await expect(create('v1')).rejects.toThrow();
    await server.idle();
    expect(server.state.releases()).toEqual([]);
  });

  test('a client that goes away mid-upload (killed) leaves no asset and no temporary file', async () => {
    await start({ flavour });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const arrived = once(server.events, 'request');
    const result = await streamedUpload(uploadUrl(server, id, 'App.zip'), server.token, {
      chunks: 64,
      chunkSize: 64 * 1024,
      abortAfter: 8,
      abortWhen: arrived,
    });
    expect(result.error?.code).toBe('ABORTED_BY_TEST');
    await server.idle();
    expect(server.requests[0]).toMatchObject({ error: 'aborted' });
    expect(server.state.release(id)?.assets).toEqual([]);
    expect(await tmpFiles()).toEqual([]);
  });

  test('chunked uploads (no Content-Length) are stored whole and recorded as chunked', async () => {
    await start({ flavour });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const result = await streamedUpload(uploadUrl(server, id, 'c.bin'), server.token, {
      chunks: 10,
      chunkSize: 1000,
      chunked: true,
    });
    expect(result.status).toBe(201);
    expect(server.requests[0]).toMatchObject({ chunked: true });
    expect(server.requests[0].contentLength).toBeUndefined();
    expect(server.state.release(id)?.assets[0].size).toBe(10_000);
  });

  test('delay: the request still succeeds and is marked', async () => {
    await start({ flavour });
    const fault = server.faults.inject({ method: 'GET', respond: { delayMs: 20 } });
    expect((await call(server, 'GET', `${REPO}/releases`)).status).toBe(200);
    expect(fault.hits).toBe(1);
    expect(server.requests[0].fault).toBe('delay');
  });

  // Forgejo has no size limit on API uploads (forgejo.test.ts).
  (flavour === 'forgejo' ? test.skip : test)('413 over maxAssetSize', async () => {
    await start({ flavour, maxAssetSize: 1000 });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const result = await streamedUpload(uploadUrl(server, id, 'big'), server.token, {
      chunks: 2,
      chunkSize: 1000,
    });
    expect(result.status).toBe(413);
    expect(server.state.release(id)?.assets).toEqual([]);
    expect(await tmpFiles()).toEqual([]);
  });

  test('faults apply to downloads too', async () => {
    await start({ flavour });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    await server.seed.addAsset(id, 'a.txt', 'a');
    server.faults.inject({ path: /\/releases\/download\//, respond: { status: 502 } });
    const url = `${server.url}/octo/app/releases/download/v1/a.txt`;
    expect((await call(server, 'GET', url, { token: null })).status).toBe(502);
    expect((await call(server, 'GET', url, { token: null })).text).toBe('a');
  });

  test('clear() removes faults', async () => {
    await start({ flavour });
    server.faults.inject({ times: Number.POSITIVE_INFINITY, respond: { status: 500 } });
    expect((await call(server, 'GET', `${REPO}/releases`)).status).toBe(500);
    server.faults.clear();
    expect((await call(server, 'GET', `${REPO}/releases`)).status).toBe(200);
  });
});

describe('lost races on create', () => {
  test('gitea: a create for a tag whose create is in flight gets 500; afterwards 409', async () => {
    await start({ flavour: 'gitea' });
    const hold = server.faults.inject({ method: 'POST', path: /\/releases$/, respond: { hold: true } });
    const first = create('v1.0.0');
    await hold.reached();
    const second = await create('V1.0.0');
    expect(second.status).toBe(500);
    hold.release();
    expect((await first).status).toBe(201);
    expect((await create('v1.0.0')).status).toBe(409);
    expect(server.state.releases()).toHaveLength(1);
  });

  test('github: the loser of a race gets 422 already_exists; a parallel draft is fine', async () => {
    await start({ flavour: 'github' });
    const hold = server.faults.inject({ method: 'POST', path: /\/releases$/, respond: { hold: true } });
    const first = create('v1.0.0');
    await hold.reached();
    const second = await create('v1.0.0');
    expect(second.status).toBe(422);
    expect(second.json.errors[0].code).toBe('already_exists');
    const draft = await call(server, 'POST', `${REPO}/releases`, {
      json: { tag_name: 'v1.0.0', draft: true },
    });
    expect(draft.status).toBe(201);
    hold.release();
    expect((await first).status).toBe(201);
    expect(server.state.releases().filter((r) => !r.draft)).toHaveLength(1);
  });

  test.each(FLAVOURS)('%s: four creates at once end with exactly one release', async (flavour) => {
    await start({ flavour });
    const replies = await Promise.all([1, 2, 3, 4].map(() => create('v2.0.0')));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    const lost = flavour !== 'github' ? [409, 500] : [422];
    expect(statuses.filter((s) => s !== 201).every((s) => lost.includes(s))).toBe(true);
    expect(server.state.releases()).toHaveLength(1);
  });

  test('a held upload shows the commit point: the asset appears only after release()', async () => {
    await start({ flavour: 'github' });
    const { id } = server.seed.createRelease({ tag: 'v1' });
    const hold = server.faults.inject({ method: 'POST', path: /\/assets$/, respond: { hold: true } });
    const upload = call(server, 'POST', uploadUrl(server, id, 'a.txt'), { body: 'abc' });
    await hold.reached();
    expect(server.state.release(id)?.assets).toEqual([]);
    hold.release();
    expect((await upload).status).toBe(201);
    expect(server.state.release(id)?.assets.map((a) => a.name)).toEqual(['a.txt']);
  });
});

describe('a status fault with after: the work is done, the answer is a failure', () => {
  test.each(FLAVOURS)('%s: the release exists though the client was told 500', async (flavour) => {
    const server = await startForgeServer({ flavour });
    try {
      server.faults.inject({ method: 'POST', path: /\/releases$/, respond: { status: 500, after: true } });
      const reply = await call(server, 'POST', `${REPO}/releases`, { json: { tag_name: 'v9.0.0' } });
      expect(reply.status).toBe(500);
      expect(server.state.releases().map((r) => r.tag)).toEqual(['v9.0.0']);
      const again = await call(server, 'POST', `${REPO}/releases`, { json: { tag_name: 'v9.1.0' } });
      expect(again.status).toBe(201);
    } finally {
      await server.close();
    }
  });
});

describe("the 'body' event", () => {
  test('tells how much of an upload is stored, chunk by chunk, up to the whole body', async () => {
    const server = await startForgeServer({ flavour: 'gitea' });
    try {
      const id = server.seed.createRelease({ tag: 'v1.0.0' }).id;
      const seen: number[] = [];
      server.events.on('body', (request) => seen.push(request.bodyBytes ?? 0));
      const reply = await call(server, 'POST', `${REPO}/releases/${id}/assets?name=big.bin`, {
        body: new Uint8Array(3 * 1024 * 1024),
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(reply.status).toBe(201);
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.at(-1)).toBe(3 * 1024 * 1024);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    } finally {
      await server.close();
    }
  });
});
