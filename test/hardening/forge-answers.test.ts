// Hardening 11, 18, 19: what the forge answers is checked before it is used, and the user hears the true
// reason. A hostile server answers 200 with an HTML page or truncated JSON; the real-shaped local forge
// server tells empty files and missing repositories apart per flavour.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAVOURS, forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { runAction } from '@forge-actions/testing/run-action';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startForgeServer } from '../../packages/forge-server/src/index.js';

const TOKEN = 'test-token';

/** A Gitea-looking server whose every API answer is 200 with `body`; records what it was asked. */
async function hostile(body: string, contentType: string) {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.url === '/api/v1/version') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"1.25.4"}');
      return;
    }
    res.writeHead(200, { 'content-type': contentType }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'answers-ws-'));
  mkdirSync(join(dir, 'build'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'build', name), content);
  return dir;
}

const env = (url: string) => ({
  GITHUB_SERVER_URL: url,
  GITHUB_API_URL: `${url}/api/v1`,
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_REF: 'refs/tags/v1.0.0',
  GITHUB_REF_NAME: 'v1.0.0',
  GITHUB_REF_TYPE: 'tag',
  GITEA_ACTIONS: 'true',
});

describe.each([
  ['an HTML page', '<!DOCTYPE html><html><body>Sign in</body></html>', 'text/html'],
  ['truncated JSON', '{"id": 7, "tag_name": "v1.0', 'application/json'],
  ['JSON of the wrong shape', '{"id": "seven", "tag_name": 1}', 'application/json'],
])('hardening 11: a 200 answer that is %s', (_label, body, contentType) => {
  let server: Awaited<ReturnType<typeof hostile>>;
  beforeAll(async () => {
    server = await hostile(body, contentType);
  });
  afterAll(() => server.close());

  test('create-release fails with one line naming the server, and sets no NaN id', async () => {
    const r = await runAction('create-release', { inputs: { token: TOKEN }, env: env(server.url) });
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/127\.0\.0\.1.*\/releases|\/releases.*127\.0\.0\.1/);
    expect(r.stdout).not.toMatch(/NaN|Unexpected error/);
    expect(r.outputs['release-id'] ?? '').toBe('');
    expect(r.summary).not.toMatch(/reused/i);
  });

  test('upload-asset-dedup never writes to a release it could not read', async () => {
    const cwd = workspaceWith({ 'app.zip': 'zip' });
    const r = await runAction('upload-asset-dedup', {
      cwd,
      inputs: { token: TOKEN, files: 'build/*', tag: 'v1.0.0' },
      env: env(server.url),
    });
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/127\.0\.0\.1.*\/releases|\/releases.*127\.0\.0\.1/);
    expect(server.seen.filter((line) => /^(POST|PATCH|DELETE)/.test(line))).toEqual([]);
    expect(server.seen.join('\n')).not.toContain('NaN');
  });
});

describe('hardening 18: empty files, as each forge treats them', () => {
  test.each(FLAVOURS)('%s', async (flavour) => {
    const server = await startForgeServer({ flavour });
    try {
      server.seed.createRelease({ tag: 'v1.0.0' });
      const cwd = workspaceWith({ 'empty.txt': '', 'app.zip': 'zip' });
      const r = await runAction('upload-asset-dedup', {
        cwd,
        inputs: { token: TOKEN, files: 'build/*', tag: 'v1.0.0' },
        env: forgeRunnerEnv(server, 'v1.0.0'),
      });
      const names = server.state.releases()[0]?.assets.map((a) => a.name) ?? [];
      if (flavour !== 'github') {
        expect(r.errors).toEqual([]);
        expect(r.code).toBe(0);
        expect(names.sort()).toEqual(['app.zip', 'empty.txt']);
      } else {
        expect(r.code).toBe(1);
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]).toMatch(/GitHub refuses.*empty\.txt/);
        expect(names).toEqual([]);
      }
    } finally {
      await server.close();
    }
  });
});

describe('hardening 19: a missing repository is not a missing release', () => {
  test.each(FLAVOURS)('%s', async (flavour) => {
    const server = await startForgeServer({ flavour });
    try {
      const cwd = workspaceWith({ 'app.zip': 'zip' });
      const r = await runAction('upload-asset-dedup', {
        cwd,
        inputs: { token: TOKEN, files: 'build/*', tag: 'v1.0.0', repository: 'octo/missing' },
        env: forgeRunnerEnv(server, 'v1.0.0'),
      });
      expect(r.code).toBe(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toContain('octo/missing');
      expect(r.errors[0]).not.toMatch(/create it first/);
      expect(r.errors[0]).toMatch(/not found|cannot see|no access|does not exist/i);
    } finally {
      await server.close();
    }
  });
});
