// Issue 14, the HTTP layer: secret URLs never logged in any spelling, credentials only for their exact
// origin, a total deadline per attempt, and relative redirects. Real servers on 127.0.0.1, no mocks.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  failure,
  json,
  jsonAfterBody,
  type ScriptedServer as Server,
  scriptedServer,
} from '@forge-actions/testing/scripted-server';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { triggerWebhook } from '../../packages/docker/src/webhook.js';
import { HttpClient, type HttpClientOptions, NetworkError } from '../../packages/http/src/index.js';

const TOKEN = 'tok_5e4d3c2b1a09';
const HOOK_TOKEN = 'whk7Qm2Zx9Lp4Rt8';

const clients: HttpClient[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'http-hardening-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const servers: Server[] = [];
async function server(): Promise<Server> {
  const s = await scriptedServer();
  servers.push(s);
  return s;
}

/**
 * A client whose backoff waits are skipped. The socket idle timeout is short so that, without a total
 * deadline, a stalled test fails in seconds instead of hanging.
 */
function client(extra: HttpClientOptions = {}) {
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const http = new HttpClient({
    headers: { authorization: `token ${TOKEN}` },
    retries: 0,
    socketTimeoutMs: 5000,
    sleep: async () => undefined,
    logger: { info: log, warning: log, debug: log },
    ...extra,
  });
  clients.push(http);
  return { http, logs };
}

/** A logger that keeps every line, of every level. */
function recorder() {
  const lines: string[] = [];
  const log = (m: string) => lines.push(m);
  return { lines, logger: { info: log, warning: log, debug: log } };
}

describe('hardening 1: a secret URL is never logged, in any spelling', () => {
  const spellings = (port: number) => [
    `HTTP://127.0.0.1:${port}/./api/webhooks/${HOOK_TOKEN}`,
    `http://127.1:0${port}/api/webhooks/./${HOOK_TOKEN}`,
    `hTTp://0x7f.0.0.1:${port}/api/x/../webhooks/${HOOK_TOKEN}`,
    `http://127.0.0.1:${port}/api/webhooks/${HOOK_TOKEN}?`,
  ];

  test('hardening 1: the webhook retry line and result never show the webhook URL (429, then 204)', async () => {
    const s = await server();
    const port = Number(new URL(s.url).port);
    for (const url of spellings(port)) {
      s.answer(json(429, { message: `slow down ${url}` }, { 'retry-after': '0' }), (_q, r) => {
        r.writeHead(204).end();
      });
      const { lines, logger } = recorder();
      expect(await triggerWebhook(url, 5, logger)).toBe('ok');
      // The retry happened and was logged: the line that used to print the URL.
      expect(lines.some((l) => /retry 1\//.test(l))).toBe(true);
      const text = lines.join('\n');
      expect(text).not.toContain(HOOK_TOKEN);
      expect(text).not.toContain('/api/webhooks');
      expect(text).not.toContain(new URL(url).href);
    }
    // Two requests per spelling, all to the one normalised path.
    expect(s.seen.map((r) => r.url)).toEqual(Array(8).fill(`/api/webhooks/${HOOK_TOKEN}`));
  });

  test('hardening 1: a refused connection, retried and then given up, shows no spelling of the URL', async () => {
    const s = await server();
    const port = Number(new URL(s.url).port);
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const { lines, logger } = recorder();
    expect(await triggerWebhook(spellings(port)[0] as string, 5, logger)).toBe('failed');
    expect(lines.some((l) => /ECONNREFUSED; retry 1\//.test(l))).toBe(true);
    const text = lines.join('\n');
    expect(text).not.toContain(HOOK_TOKEN);
    expect(text).not.toContain('/api/webhooks');
  });

  test('hardening 1: HttpClient label stands for the URL in logs and errors', async () => {
    const s = await server();
    s.answer(json(503, {}), json(404, { message: 'no such hook' }));
    const { http, logs } = client({ label: 'the test hook', retries: 1 });
    const url = `HTTP://127.1:${new URL(s.url).port}/./hooks/${HOOK_TOKEN}`;
    const error = await failure(http.request('GET', url));
    expect(error.message).toBe('GET the test hook answered 404: no such hook');
    expect(logs.join('\n')).toContain('the test hook');
    expect([...logs, error.message].join('\n')).not.toContain(HOOK_TOKEN);
  });
});

/** Answers a redirect to `location`. */
const redirect =
  (status: number, location: string) =>
  (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(status, { location, 'content-length': '0' }).end();
  };

describe('hardening 2: credentials go to their exact origin only', () => {
  test('hardening 2: a redirect to another port of the same host does not carry the token (API request)', async () => {
    const [a, b] = [await server(), await server()];
    a.answer(redirect(302, `${b.url}/other`));
    b.answer(json(200, { ok: true }));
    const { http } = client();
    const res = await http.getJson<{ ok: boolean }>(`${a.url}/start`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.data).toEqual({ ok: true });
    expect(a.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(b.seen).toHaveLength(1);
    expect(b.seen[0]?.headers.authorization).toBeUndefined();
  });

  test('hardening 2: a download redirected to another port gets no Authorization header', async () => {
    const [a, b] = [await server(), await server()];
    a.answer(redirect(302, `${b.url}/blob`));
    b.answer((_q, r) => {
      r.writeHead(200, { 'content-length': '5' }).end('bytes');
    });
    const { http } = client();
    const to = join(dir, 'redirected.bin');
    await http.download(`${a.url}/asset`, to);
    expect(await readFile(to, 'utf8')).toBe('bytes');
    expect(b.seen[0]?.headers.authorization).toBeUndefined();
  });

  test('hardening 2: an upload redirected (307) to another port is sent there whole, without the token', async () => {
    const [a, b] = [await server(), await server()];
    a.answer(redirect(307, `${b.url}/upload`));
    b.answer(jsonAfterBody(201, { id: 1 }));
    const file = join(dir, 'up.bin');
    await writeFile(file, 'x'.repeat(10_000));
    const { http } = client();
    const { createReadStream } = await import('node:fs');
    const res = await http.request('POST', `${a.url}/upload`, {
      body: () => createReadStream(file),
      contentLength: 10_000,
    });
    expect(res.status).toBe(201);
    expect(b.seen[0]?.body.length).toBe(10_000);
    expect(b.seen[0]?.headers.authorization).toBeUndefined();
  });
});

describe('hardening 13: a relative Location is resolved against the request URL', () => {
  test('hardening 13: API request, download and upload follow `Location: /elsewhere/file` on the same origin', async () => {
    const s = await server();
    s.answer(redirect(302, '/elsewhere/file'), json(200, { here: 1 }));
    const { http } = client();
    const res = await http.getJson<{ here: number }>(`${s.url}/api/thing`);
    expect(res.data).toEqual({ here: 1 });

    s.answer(redirect(302, '/elsewhere/file'), (_q, r) => {
      r.writeHead(200, { 'content-length': '3' }).end('abc');
    });
    const to = join(dir, 'relative.bin');
    await http.download(`${s.url}/download/x`, to);
    expect(await readFile(to, 'utf8')).toBe('abc');

    s.answer(redirect(307, 'elsewhere/file?name=a'), jsonAfterBody(201, { id: 2 }));
    const up = await http.request('POST', `${s.url}/uploads/start`, { body: () => 'payload' });
    expect(up.status).toBe(201);

    expect(s.seen.map((r) => r.url)).toEqual([
      '/api/thing',
      '/elsewhere/file',
      '/download/x',
      '/elsewhere/file',
      '/uploads/start',
      '/uploads/elsewhere/file?name=a',
    ]);
    // Same origin: the token stays.
    expect(s.seen.every((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true);
    expect(s.seen[5]?.body.toString()).toBe('payload');
  });
});

/** A raw server for stalls: `handler` decides what (not) to send. */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const timers = new Set<NodeJS.Timeout>();
  const srv = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handler(req, res);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      for (const t of timers) clearInterval(t);
      srv.closeAllConnections();
      srv.close(() => resolve());
    });
  servers.push({ close } as unknown as Server);
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, timers };
}

/** Headers at once, then one byte every 100 ms, `bytes` in all (3 s for 30): far slower than any deadline here. */
function trickle(timers: Set<NodeJS.Timeout>, bytes = 30, headers: Record<string, string> = {}) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(' ');
      if (++sent >= bytes) {
        clearInterval(timer);
        res.end();
      }
    }, 100);
    timers.add(timer);
  };
}

describe('hardening 10: every attempt has a total deadline', () => {
  test('hardening 10: headers then a trickling body fail as "no complete answer within N s", naming the host', async () => {
    const raw = await rawServer((req, res) => trickle(raw.timers)(req, res));
    const { http } = client({ timeoutMs: 300 });
    const error = await failure<NetworkError>(http.request('GET', `${raw.url}/slow`));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(/no complete answer within 0\.3 s/);
    expect(error.message).toContain(new URL(raw.url).host);
    expect((error as NetworkError).code).toBe('ETIMEDOUT');
  });

  test('hardening 10: a server that never answers fails at the deadline, retried as a timeout', async () => {
    const raw = await rawServer(() => undefined);
    const { http, logs } = client({ timeoutMs: 300, retries: 1 });
    const error = await failure<NetworkError>(http.getJson(`${raw.url}/never`));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(/no complete answer within 0\.3 s/);
    expect(error.attempts).toBe(2);
    expect(logs.some((l) => /ETIMEDOUT; retry 1\/1/.test(l))).toBe(true);
  });

  test('hardening 10: a per-request timeoutMs overrides the client default', async () => {
    const raw = await rawServer(() => undefined);
    const { http } = client({ timeoutMs: 60_000 });
    await expect(http.request('GET', `${raw.url}/never`, { timeoutMs: 200 })).rejects.toThrow(
      /no complete answer within 0\.2 s/,
    );
  });

  test('hardening 10: a download whose body trickles fails at its deadline and leaves no partial file', async () => {
    const raw = await rawServer((req, res) => trickle(raw.timers, 30, { 'content-length': '30' })(req, res));
    const { http } = client({ timeoutMs: 300 });
    const to = join(dir, 'trickled.bin');
    await expect(http.download(`${raw.url}/file`, to)).rejects.toThrow(/no complete answer within 0\.3 s/);
    await expect(readFile(`${to}.part`)).rejects.toThrow(/ENOENT/);
  });

  test('hardening 10: an upload the server never answers fails at its deadline (size at the floor rate added)', async () => {
    const raw = await rawServer((req) => req.resume());
    const { http } = client({ timeoutMs: 200, transferFloorBytesPerSecond: 100_000 });
    // 10 000 bytes at 100 000 B/s add 0.1 s to the 0.2 s.
    await expect(
      http.request('PUT', `${raw.url}/up`, { body: () => Buffer.alloc(10_000), idempotent: false }),
    ).rejects.toThrow(/no complete answer within 0\.3 s/);
  });

  test('hardening 10: the webhook timeout is a total time, not an idle time', async () => {
    const raw = await rawServer((req, res) => trickle(raw.timers)(req, res));
    const { lines, logger } = recorder();
    expect(await triggerWebhook(`${raw.url}/api/webhooks/${HOOK_TOKEN}`, 0.3, logger)).toBe('failed');
    expect(lines.join('\n')).toContain('Portainer webhook failed: no answer within 0.3 s');
    expect(lines.join('\n')).not.toContain(HOOK_TOKEN);
  });

  test('hardening 10 (guard): a transfer of known size gets its size at the floor rate on top of the base time', async () => {
    // 4 000 bytes at a floor of 1 000 B/s: 4 s allowed besides the 0.2 s; the body takes about 0.6 s.
    const raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-length': '4000' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(Buffer.alloc(400));
        sent += 400;
        if (sent >= 4000) {
          clearInterval(timer);
          res.end();
        }
      }, 60);
      raw.timers.add(timer);
    });
    const { http } = client({ timeoutMs: 200, transferFloorBytesPerSecond: 1000 });
    const to = join(dir, 'floor.bin');
    expect(await http.download(`${raw.url}/file`, to)).toEqual({ bytes: 4000 });
  });
});
