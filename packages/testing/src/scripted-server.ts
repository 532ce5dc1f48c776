import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from '@jest/globals';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

/**
 * A real HTTP server on 127.0.0.1 that answers each request with the next scripted handler (then
 * `fallback`), recording what it received. Tests of the HTTP layer script failures through it.
 */
export async function scriptedServer(fallback?: Handler) {
  const script: Handler[] = [];
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const handler =
      script.shift() ?? fallback ?? ((_q, r) => r.writeHead(404).end('{"message":"nothing scripted"}'));
    if (handler.length >= 3) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const entry = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        seen.push(entry);
        handler(req, res, entry);
      });
      req.on('error', () => undefined);
    } else {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.alloc(0),
      });
      handler(req, res, seen[seen.length - 1] as Seen);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answer(...handlers: Handler[]) {
      script.push(...handlers);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Answers JSON. */
export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

/** Like json, but reads the request body first (the handler arity tells the server to). */
export const jsonAfterBody =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res, _seen) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

/** Destroys the connection without any answer. */
export const reset: Handler = (req) => {
  req.socket.destroy();
};

export type ScriptedServer = Awaited<ReturnType<typeof scriptedServer>>;

/** A scripted server per call, all of a test closed after it (call at a test file's top level). */
export function scriptedServerPerTest(fallback?: Handler): () => Promise<ScriptedServer> {
  const servers: ScriptedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async () => {
    const server = await scriptedServer(fallback);
    servers.push(server);
    return server;
  };
}

/** The error a promise rejects with; a test failure when it resolves. */
export async function failure<E extends Error = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a failure, but it succeeded');
}
