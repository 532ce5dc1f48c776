// A small HTTP client for the forge-server tests: fetch for ordinary calls, node:http for streamed
// uploads whose connection the server may drop.
import { request } from 'node:http';
import { afterEach } from '@jest/globals';
import {
  type ForgeServer,
  type ForgeServerOptions,
  startForgeServer,
} from '../../packages/forge-server/src/index.js';

type FetchBody = NonNullable<NonNullable<Parameters<typeof fetch>[1]>['body']>;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  json: any;
}

export interface CallOptions {
  /** Token for `Authorization: token X`; null sends no header. Default: the server's token. */
  token?: string | null;
  /** A full Authorization header (overrides `token`). */
  authorization?: string;
  json?: unknown;
  body?: Blob | FormData | string | Uint8Array;
  headers?: Record<string, string>;
}

/** `path` is relative to the API root unless it is a full URL. */
export async function call(
  server: ForgeServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const url = /^https?:\/\//.test(path) ? path : `${server.apiUrl}${path}`;
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? server.token : options.token;
  if (options.authorization) headers.authorization = options.authorization;
  else if (token !== null) headers.authorization = `token ${token}`;
  let body: FetchBody | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    body = options.body as FetchBody;
  }
  const response = await fetch(url, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const REPO = '/repos/octo/app';

/**
 * A fresh forge server per test: the returned `start` starts one with `defaults` under the given options
 * and hands it to `keep` (the test file's own `server`, which its request helpers read); it is closed
 * after each test.
 */
export function serverPerTest(
  defaults: Partial<ForgeServerOptions>,
  keep: (server: ForgeServer) => void,
): (options?: Partial<ForgeServerOptions>) => Promise<ForgeServer> {
  let current: ForgeServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await startForgeServer({ ...defaults, ...options } as ForgeServerOptions);
    keep(current);
    return current;
  };
}

/** Upload URL for a release, per flavour (GitHub: the uploads root). */
export function uploadUrl(server: ForgeServer, releaseId: number, name: string): string {
  const root = server.flavour === 'github' ? server.uploadsUrl : server.apiUrl;
  return `${root}/repos/octo/app/releases/${releaseId}/assets?name=${encodeURIComponent(name)}`;
}

export interface StreamedResult {
  status?: number;
  body?: string;
  error?: NodeJS.ErrnoException;
}

/**
 * POSTs `chunks` pieces of `chunkSize` bytes (with a Content-Length unless `chunked`), writing piece by
 * piece (waiting for drain), and reports the response or the connection error. `abortAfter` destroys
 * the request after that many pieces (once `abortWhen` resolved), like a client killed mid-upload.
 */
export function streamedUpload(
  url: string,
  token: string,
  {
    chunks,
    chunkSize,
    abortAfter,
    abortWhen,
    chunked = false,
  }: {
    chunks: number;
    chunkSize: number;
    abortAfter?: number;
    abortWhen?: Promise<unknown>;
    chunked?: boolean;
  },
): Promise<StreamedResult> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        authorization: `token ${token}`,
        'content-type': 'application/octet-stream',
        ...(chunked ? {} : { 'content-length': String(chunks * chunkSize) }),
      },
    });
    let settled = false;
    const settle = (result: StreamedResult) => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => settle({ status: res.statusCode, body }));
      res.on('error', (error) => settle({ error }));
    });
    req.on('error', (error) => settle({ error }));
    const piece = Buffer.alloc(chunkSize, 0x61);
    let written = 0;
    const writeMore = () => {
      while (written < chunks) {
        if (abortAfter !== undefined && written >= abortAfter) {
          void Promise.resolve(abortWhen).then(() => {
            req.destroy();
            settle({ error: Object.assign(new Error('aborted by test'), { code: 'ABORTED_BY_TEST' }) });
          });
          return;
        }
        written++;
        if (!req.write(piece)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

/**
 * POSTs a multipart/form-data body with one file part, streamed piece by piece with a computed
 * Content-Length (the way a client uploads to Gitea < 1.22). Resolves with the status and body.
 */
export function streamedMultipart(
  url: string,
  token: string,
  { field, filename, piece, count }: { field: string; filename: string; piece: Buffer; count: number },
): Promise<StreamedResult> {
  const boundary = `----forge-server-test-${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        authorization: `token ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + piece.length * count + tail.length),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', (error) => resolve({ error }));
    req.write(head);
    let written = 0;
    const writeMore = () => {
      while (written < count) {
        written++;
        if (!req.write(piece)) return void req.once('drain', writeMore);
      }
      req.end(tail);
    };
    writeMore();
  });
}
