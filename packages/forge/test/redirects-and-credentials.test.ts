// Issue 14, the forge client: the token reaches only the origin it belongs to, and credentials written
// into server or API URLs never show in a log line or an error text.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failure, json, jsonAfterBody, scriptedServerPerTest } from '@forge-actions/testing/scripted-server';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { Flavour } from '../src/adapter.js';
import { connectForge, ForgeClient, readForgeInputs } from '../src/index.js';
import { forgeInputs } from './forge-inputs.js';

const TOKEN = 'forge_tok_8c7b6a5d4e';
const PASSWORD = 's3cretpass';

const clients: ForgeClient[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forge-hardening-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

const server = scriptedServerPerTest();

function recorder() {
  const lines: string[] = [];
  const log = (m: string) => lines.push(m);
  return { lines, logger: { info: log, warning: log, debug: log } };
}

function forge(flavour: Flavour, root: string): ForgeClient {
  const client = new ForgeClient({
    flavour,
    apiUrl: flavour === 'gitea' ? `${root}/api/v1` : `${root}/api/v3`,
    serverUrl: root,
    owner: 'octo',
    repo: 'app',
    token: TOKEN,
    giteaVersion: '1.25.0',
    retries: 0,
    // Without redirect handling of our own, a stalled test fails in seconds instead of hanging.
    http: { socketTimeoutMs: 5000 },
  });
  clients.push(client);
  return client;
}

describe('hardening 2: the token is sent to its exact origin only', () => {
  test.each(['gitea', 'github'] as const)(
    'hardening 2: %s: an asset download redirected to another port of the same host carries no token',
    async (flavour) => {
      const [a, b] = [await server(), await server()];
      a.answer((_q, r) => {
        r.writeHead(302, { location: `${b.url}/storage/blob?sig=abc`, 'content-length': '0' }).end();
      });
      b.answer((_q, r) => {
        r.writeHead(200, { 'content-length': '4' }).end('data');
      });
      const client = forge(flavour, a.url);
      const to = join(dir, `${flavour}.bin`);
      const result = await client.downloadAsset(
        {
          id: 7,
          name: 'App.zip',
          downloadUrl: `${a.url}/octo/app/releases/download/v1/App.zip`,
          uuid: 'u-1',
        },
        to,
      );
      expect(result.bytes).toBe(4);
      expect(await readFile(to, 'utf8')).toBe('data');
      // The first hop is the forge itself and gets the token; the other port does not.
      expect(a.seen[0]?.headers.authorization).toMatch(new RegExp(`${TOKEN}$`));
      expect(b.seen).toHaveLength(1);
      expect(b.seen[0]?.headers.authorization).toBeUndefined();
    },
  );
});

test('hardening 2: github: an upload_url on another port of the host is not sent the token; the API origin takes the upload', async () => {
  const [a, b] = [await server(), await server()];
  a.answer(
    jsonAfterBody(201, { id: 9, name: 'App.zip', size: 4, state: 'uploaded', browser_download_url: 'x' }),
  );
  const file = join(dir, 'App.zip');
  await writeFile(file, 'data');
  const client = forge('github', a.url);
  const asset = await client.uploadAsset(
    { id: 1, tagName: 'v1', uploadUrl: `${b.url}/repos/octo/app/releases/1/assets` },
    { name: 'App.zip', path: file },
  );
  expect(asset.id).toBe(9);
  expect(b.seen).toEqual([]);
  expect(a.seen.map((r) => r.url)).toEqual(['/api/uploads/repos/octo/app/releases/1/assets?name=App.zip']);
  expect(a.seen[0]?.body.toString()).toBe('data');
});

const inputs = (values: Record<string, string>, env: Record<string, string> = {}) =>
  forgeInputs(values, { GITHUB_REPOSITORY: 'octo/app', ...env });

describe('hardening 3: credentials in server-url / api-url never show', () => {
  test.each([
    ['server-url', `http://user:${PASSWORD}@127.0.0.1:99999`],
    ['server-url', `http://user:${PASSWORD}@[127.0.0.1/`],
    ['api-url', `https://user:${PASSWORD}@git example/api/v1`],
    ['server-url', `http://user:${PASSWORD}@127.0.0.1:3000`],
    ['api-url', `https://${PASSWORD}@git.example/api/v1`],
  ])('hardening 3: %s %s is refused without echoing the credentials', (name, value) => {
    let message = '';
    try {
      readForgeInputs(inputs({ token: 'abcd1234', [name]: value }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^Input '${name}'`));
    expect(message).not.toContain(PASSWORD);
  });

  test('hardening 3: a malformed GITHUB_SERVER_URL with credentials is refused without echoing them', async () => {
    const error = await failure(
      connectForge({
        token: TOKEN,
        repository: 'octo/app',
        env: { GITHUB_SERVER_URL: `http://user:${PASSWORD}@127.0.0.1:99999` },
      }),
    );
    expect(error.message).toMatch(/^Input 'server-url'/);
    expect(error.message).not.toContain(PASSWORD);
  });

  test('hardening 3: credentials in GITHUB_API_URL reach neither the log nor an error text', async () => {
    const s = await server();
    s.answer(json(500, { message: 'broken' }));
    const { lines, logger } = recorder();
    const api = `http://user:${PASSWORD}@${new URL(s.url).host}/api/v1`;
    const client = await connectForge({
      token: TOKEN,
      repository: 'octo/app',
      forge: 'gitea',
      serverUrl: s.url,
      env: { GITHUB_API_URL: api },
      logger,
      retries: 0,
    });
    clients.push(client);
    const error = await failure(client.getRelease(1));
    expect(error.message).toMatch(/^Could not read release 1/);
    expect([...lines, error.message, client.apiUrl].join('\n')).not.toContain(PASSWORD);
  });
});
