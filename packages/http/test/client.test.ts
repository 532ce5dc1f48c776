import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  json,
  jsonAfterBody,
  reset,
  type scriptedServer,
  sha256,
  scriptedServer as startScripted,
} from '@forge-actions/testing/scripted-server';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { RATE_LIMIT_RESET_MARGIN_MS } from '../src/backoff.js';
import { BodyError } from '../src/errors.js';
import { HttpClient, type HttpClientOptions, HttpError, NetworkError } from '../src/index.js';

type Server = Awaited<ReturnType<typeof scriptedServer>>;

const TOKEN = 'tok_9f8e7d6c5b4a';

/** A client whose waits are recorded instead of slept, with a fixed jitter and a settable clock. */
function client(extra: HttpClientOptions = {}) {
  const clock = { t: 1_800_000_000_000, waits: [] as number[], logs: [] as string[] };
  const log = (m: string) => clock.logs.push(m);
  const http = new HttpClient({
    headers: { authorization: `token ${TOKEN}` },
    retries: 3,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    now: () => clock.t,
    sleep: async (ms) => {
      clock.waits.push(ms);
      clock.t += ms;
    },
    logger: { info: log, warning: log, debug: log },
    ...extra,
  });
  return { http, clock };
}

let server: Server;
let dir: string;
const clients: HttpClient[] = [];
function track<T extends { http: HttpClient }>(c: T): T {
  clients.push(c.http);
  return c;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'http-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose();
  await server?.close();
});

describe('retries', () => {
  test('5xx is retried with exponential, jittered delays until it succeeds', async () => {
    server = await startScripted();
    server.answer(json(500, { message: 'boom' }), json(502, {}), json(200, { ok: 1 }));
    const { http, clock } = track(client());
    const res = await http.getJson<{ ok: number }>(`${server.url}/x`);
    expect(res.data).toEqual({ ok: 1 });
    expect(res.attempts).toBe(3);
    // random 0.5 of caps 100, 200
    expect(clock.waits).toEqual([50, 100]);
    expect(server.seen).toHaveLength(3);
  });

  test('gives up after the configured retries with an HttpError naming the attempts', async () => {
    server = await startScripted(json(503, { message: 'down for maintenance' }));
    const { http, clock } = track(client({ retries: 2 }));
    const error = await http.getJson(`${server.url}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).attempts).toBe(3);
    expect((error as HttpError).serverMessage).toBe('down for maintenance');
    expect(clock.waits).toHaveLength(2);
    expect(server.seen).toHaveLength(3);
  });

  test('429 with Retry-After waits exactly what the server asked', async () => {
    server = await startScripted();
    server.answer(json(429, {}, { 'retry-after': '2' }), json(200, []));
    const { http, clock } = track(client());
    await http.getJson(`${server.url}/x`);
    expect(clock.waits).toEqual([2000]);
  });

  test('a 403 at the primary rate limit waits until x-ratelimit-reset', async () => {
    server = await startScripted();
    const { http, clock } = track(client());
    const reset = String(clock.t / 1000 + 7);
    server.answer(
      json(
        403,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      ),
    );
    server.answer(json(200, {}));
    await http.getJson(`${server.url}/x`);
    expect(clock.waits).toEqual([7000 + RATE_LIMIT_RESET_MARGIN_MS]);
  });

  test('a rate limit that names no time backs off at least the fallback', async () => {
    server = await startScripted();
    server.answer(json(429, {}), json(200, {}));
    const { http, clock } = track(client({ rateLimitFallbackMs: 60_000 }));
    await http.getJson(`${server.url}/x`);
    expect(clock.waits).toEqual([60_000]);
  });

  test('a wait longer than allowed fails at once', async () => {
    server = await startScripted(json(429, { message: 'slow down' }, { 'retry-after': '3600' }));
    const { http, clock } = track(client({ maxServerDelayMs: 60_000 }));
    await expect(http.getJson(`${server.url}/x`)).rejects.toMatchObject({ status: 429, attempts: 1 });
    expect(clock.waits).toEqual([]);
  });

  test.each([400, 401, 403, 404, 409, 413, 422])('%i is not retried', async (status) => {
    server = await startScripted(json(status, { message: `no (${status})` }));
    const { http, clock } = track(client());
    await expect(http.getJson(`${server.url}/x`)).rejects.toMatchObject({ status, attempts: 1 });
    expect(server.seen).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  test('allowStatus returns the answer instead of throwing', async () => {
    server = await startScripted(json(404, { message: 'Not Found' }));
    const { http } = track(client());
    const res = await http.getJson<{ message: string }>(`${server.url}/x`, { allowStatus: [404] });
    expect(res.status).toBe(404);
    expect(res.data.message).toBe('Not Found');
  });

  test('a reset connection is retried', async () => {
    server = await startScripted();
    server.answer(reset, json(200, { ok: true }));
    const { http, clock } = track(client());
    const res = await http.getJson(`${server.url}/x`);
    expect(res.attempts).toBe(2);
    expect(clock.waits).toHaveLength(1);
  });

  test('a response cut mid-body is retried', async () => {
    server = await startScripted();
    server.answer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setImmediate(() => res.socket?.destroy());
      },
      json(200, { whole: true }),
    );
    const { http } = track(client());
    const res = await http.getJson(`${server.url}/x`);
    expect(res.data).toEqual({ whole: true });
    expect(res.attempts).toBe(2);
  });

  test('connection refused is retried, then reported as a NetworkError', async () => {
    server = await startScripted();
    const url = server.url;
    await server.close();
    const { http, clock } = track(client({ retries: 2 }));
    const error = await http
      .json('POST', `${url}/create`, { json: { a: 1 }, idempotent: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNREFUSED');
    expect((error as NetworkError).attempts).toBe(3);
    expect(clock.waits).toHaveLength(2);
  });
});

describe('non-idempotent requests', () => {
  test('a 500 or a reset is not retried: the server may have acted', async () => {
    server = await startScripted();
    server.answer(jsonAfterBody(500, { message: 'maybe created' }));
    const { http } = track(client());
    await expect(http.json('POST', `${server.url}/r`, { json: {}, idempotent: false })).rejects.toMatchObject(
      {
        status: 500,
        attempts: 1,
      },
    );
    server.answer((req) => req.on('data', () => req.socket.destroy()));
    await expect(
      http.json('POST', `${server.url}/r`, { json: { x: 1 }, idempotent: false }),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(server.seen).toHaveLength(2);
  });

  test('429 and 408 are retried: the server did not act', async () => {
    server = await startScripted();
    server.answer(
      jsonAfterBody(429, {}, { 'retry-after': '1' }),
      jsonAfterBody(408, {}),
      jsonAfterBody(201, { id: 7 }),
    );
    const { http, clock } = track(client());
    const res = await http.json<{ id: number }>('POST', `${server.url}/r`, {
      json: { a: 1 },
      idempotent: false,
    });
    expect(res.data.id).toBe(7);
    expect(clock.waits).toEqual([1000, 100]);
    expect(server.seen.map((s) => s.body.toString())).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });
});

describe('request bodies', () => {
  test('each attempt streams the file afresh, with an explicit Content-Length', async () => {
    const file = join(dir, 'payload.bin');
    const bytes = Buffer.alloc(300_000, 7);
    bytes.write('head');
    await writeFile(file, bytes);
    server = await startScripted();
    server.answer(jsonAfterBody(502, {}), jsonAfterBody(201, { id: 1 }));
    const { http } = track(client());
    let made = 0;
    const progress: number[] = [];
    const res = await http.request('POST', `${server.url}/upload`, {
      body: () => {
        made++;
        return createReadStream(file);
      },
      contentLength: bytes.length,
      headers: { 'content-type': 'application/octet-stream' },
      onProgress: (n, total) => {
        expect(total).toBe(bytes.length);
        progress.push(n);
      },
    });
    expect(res.status).toBe(201);
    expect(made).toBe(2);
    expect(server.seen.map((s) => sha256(s.body))).toEqual([sha256(bytes), sha256(bytes)]);
    expect(server.seen.map((s) => s.headers['content-length'])).toEqual([
      String(bytes.length),
      String(bytes.length),
    ]);
    expect(server.seen.every((s) => s.headers['transfer-encoding'] === undefined)).toBe(true);
    expect(progress.at(-1)).toBe(bytes.length);
  });

  test('a connection reset in the middle of an upload is retried with the whole file', async () => {
    const file = join(dir, 'big.bin');
    const bytes = Buffer.alloc(2_000_000, 1);
    await writeFile(file, bytes);
    server = await startScripted();
    let got = 0;
    server.answer((req) => {
      req.on('data', (c: Buffer) => {
        got += c.length;
        if (got > 100_000) req.socket.destroy();
      });
    });
    server.answer(jsonAfterBody(201, {}));
    const { http } = track(client());
    const res = await http.request('POST', `${server.url}/upload`, {
      body: () => createReadStream(file),
      contentLength: bytes.length,
    });
    expect(res.attempts).toBe(2);
    expect(sha256(server.seen.at(-1)?.body ?? Buffer.alloc(0))).toBe(sha256(bytes));
  });

  test('a body that does not match its Content-Length fails at once, without retry', async () => {
    const file = join(dir, 'short.bin');
    await writeFile(file, Buffer.alloc(1000, 2));
    server = await startScripted(jsonAfterBody(201, {}));
    const { http } = track(client());
    const error = await http
      .request('POST', `${server.url}/upload`, { body: () => createReadStream(file), contentLength: 5000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyError);
    expect(String(error)).toMatch(/announced 5000 bytes/);
  });

  test('a missing file fails at once as a BodyError', async () => {
    server = await startScripted(jsonAfterBody(201, {}));
    const { http } = track(client());
    await expect(
      http.request('POST', `${server.url}/upload`, {
        body: () => createReadStream(join(dir, 'nope.bin')),
        contentLength: 10,
      }),
    ).rejects.toBeInstanceOf(BodyError);
  });

  test('a stream without a length is refused', async () => {
    server = await startScripted();
    const { http } = track(client());
    await expect(
      http.request('POST', `${server.url}/upload`, { body: () => createReadStream(__filenameSafe()) }),
    ).rejects.toThrow(/explicit contentLength/);
    expect(server.seen).toHaveLength(0);
  });
});

describe('credentials', () => {
  test('the token never appears in an error, even when the server echoes it', async () => {
    server = await startScripted((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `bad credentials: ${req.headers.authorization}` }));
    });
    const { http, clock } = track(client());
    const error = (await http
      .getJson(`${server.url}/x?access_token=${TOKEN}`)
      .catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(401);
    const texts = [error.message, error.serverMessage, error.url, String(error.stack), ...clock.logs];
    for (const text of texts) expect(text).not.toContain(TOKEN);
    expect(error.message).toContain('access_token=***');
    expect(server.seen[0]?.headers.authorization).toBe(`token ${TOKEN}`);
  });

  test('connection failures do not show the query either', async () => {
    server = await startScripted();
    const url = server.url;
    await server.close();
    const { http, clock } = track(client({ retries: 0 }));
    const error = (await http.getJson(`${url}/x?token=${TOKEN}`).catch((e: unknown) => e)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    for (const text of [error.message, String(error.stack), ...clock.logs]) expect(text).not.toContain(TOKEN);
  });
});

describe('spacing of mutating requests', () => {
  test('mutations start at least the spacing apart; reads do not wait', async () => {
    server = await startScripted(jsonAfterBody(200, {}));
    const { http, clock } = track(client({ mutationSpacingMs: 1000 }));
    await http.json('POST', `${server.url}/a`, { json: {} });
    await http.getJson(`${server.url}/b`);
    await http.json('PATCH', `${server.url}/c`, { json: {} });
    await http.request('DELETE', `${server.url}/d`);
    expect(clock.waits).toEqual([1000, 1000]);
  });
});

describe('JSON and pagination', () => {
  test('json sends a JSON body and parses the answer', async () => {
    server = await startScripted(jsonAfterBody(201, { id: 3 }));
    const { http } = track(client());
    const res = await http.json<{ id: number }>('POST', `${server.url}/r`, { json: { tag_name: 'v1' } });
    expect(res).toMatchObject({ status: 201, data: { id: 3 } });
    expect(server.seen[0]?.headers['content-type']).toBe('application/json');
    expect(server.seen[0]?.headers.accept).toBe('application/json');
    expect(JSON.parse(server.seen[0]?.body.toString() ?? '')).toEqual({ tag_name: 'v1' });
  });

  test('follows rel="next" and rebases links that point at another origin', async () => {
    server = await startScripted();
    server.answer(
      json(200, [1, 2], { link: '</items?page=2>; rel="next", </items?page=3>; rel="last"' }),
      // Gitea builds links from its ROOT_URL, which may not be the address we reach it at.
      json(200, [3, 4], { link: '<http://gitea.example.invalid/items?page=3>; rel="next"' }),
      json(200, [5], { link: '</items?page=2>; rel="prev"' }),
    );
    const { http } = track(client());
    const items: number[] = [];
    for await (const item of http.paginate<number>(`${server.url}/items?page=1`)) items.push(item);
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(server.seen.map((s) => s.url)).toEqual(['/items?page=1', '/items?page=2', '/items?page=3']);
  });
});

describe('downloads', () => {
  test('streams to a file with progress and sha256', async () => {
    const bytes = Buffer.alloc(500_000, 3);
    server = await startScripted((_req, res) => {
      res.writeHead(200, { 'content-length': String(bytes.length) }).end(bytes);
    });
    const { http } = track(client());
    const to = join(dir, 'dl', 'file.bin');
    const seen: Array<[number, number | undefined]> = [];
    const result = await http.download(`${server.url}/f`, to, {
      sha256: true,
      onProgress: (n, total) => seen.push([n, total]),
    });
    expect(result).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
    expect(sha256(await readFile(to))).toBe(sha256(bytes));
    expect(seen.at(-1)).toEqual([bytes.length, bytes.length]);
    expect(await readdir(join(dir, 'dl'))).toEqual(['file.bin']);
  });

  test('a download cut short is retried from the start', async () => {
    const bytes = Buffer.alloc(200_000, 4);
    server = await startScripted();
    server.answer((_req, res) => {
      res.writeHead(200, { 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, 50_000), () => res.socket?.destroy());
    });
    server.answer((_req, res) => res.writeHead(200, { 'content-length': String(bytes.length) }).end(bytes));
    const { http } = track(client());
    const to = join(dir, 'cut.bin');
    const result = await http.download(`${server.url}/f`, to, { sha256: true });
    expect(result.sha256).toBe(sha256(bytes));
    expect((await readFile(to)).length).toBe(bytes.length);
  });

  test('a failed download leaves no partial file', async () => {
    server = await startScripted(json(404, { message: 'gone' }));
    const { http } = track(client());
    await expect(http.download(`${server.url}/f`, join(dir, 'x', 'missing.bin'))).rejects.toMatchObject({
      status: 404,
    });
    expect(await readdir(join(dir, 'x'))).toEqual([]);
  });
});

function __filenameSafe(): string {
  return new URL(import.meta.url).pathname;
}
