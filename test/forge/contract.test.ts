// Contract: every route the forge client calls is in the official API descriptions, and a session that
// uses every client method touches no route outside the client's ROUTES table.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { findOperation } from '@forge-actions/testing/specs';
import { describe, expect, test } from '@jest/globals';
import { connectForge } from '../../packages/forge/src/index.js';
import { type Api, ROUTES, type RouteName } from '../../packages/forge/src/routes.js';
import { startForgeServer } from '../../packages/forge-server/src/index.js';

const table = Object.entries(ROUTES).flatMap(([name, byFlavour]) =>
  Object.entries(byFlavour).map(([flavour, route]) => ({
    name: name as RouteName,
    flavour: flavour as Api,
    ...route,
  })),
);

describe('ROUTES against the official specs', () => {
  test.each(table.map((r) => [r.flavour, r.method, r.path, r.name] as const))(
    '%s %s %s (%s) is a documented operation, spelled as in the spec',
    (flavour, method, path) => {
      const operation = findOperation(flavour, method, path);
      expect(operation).toBeDefined();
      expect(operation?.pathTemplate).toBe(path);
    },
  );

  test('both flavours cover the same operations, except Gitea-only version and packages and GitHub-only byte download', () => {
    const names = (f: Api) => table.filter((r) => r.flavour === f).map((r) => r.name);
    expect(names('gitea').filter((n) => !names('github').includes(n))).toEqual([
      'version',
      'getLatestPackage',
      'linkPackage',
    ]);
    expect(names('github').filter((n) => !names('gitea').includes(n))).toEqual(['getAsset']);
  });
});

/** The ROUTES entry a concrete API path belongs to (literal segments must match, `{x}` takes one segment). */
function routeOf(flavour: Api, method: string, path: string): RouteName | undefined {
  const prefix = flavour !== 'github' ? /^\/api\/v1/ : /^\/api\/(v3|uploads)/;
  const segments = path.replace(prefix, '').split('/').filter(Boolean);
  const candidates = table
    .filter((r) => r.flavour === flavour && r.method === method)
    .filter((r) => {
      const pattern = r.path.split('/').filter(Boolean);
      return (
        pattern.length === segments.length && pattern.every((p, i) => p.startsWith('{') || p === segments[i])
      );
    })
    // Literal segments win over placeholders (`releases/assets/{asset_id}` over `releases/{release_id}/assets`).
    .sort((a, b) => a.path.split('{').length - b.path.split('{').length);
  return candidates[0]?.name;
}

describe.each(FLAVOURS)('a session using every method on %s', (flavour) => {
  // Forgejo serves Gitea's API.
  const api: Api = flavour === 'github' ? 'github' : 'gitea';
  test('calls only routes in ROUTES, and calls each of them', async () => {
    const server = await startForgeServer({ flavour });
    const dir = await mkdtemp(join(tmpdir(), 'forge-contract-'));
    try {
      const env: NodeJS.ProcessEnv = { GITHUB_API_URL: server.apiUrl };
      const client = await connectForge({
        token: server.token,
        repository: 'octo/app',
        serverUrl: server.url,
        env,
        http: { mutationSpacingMs: 0 },
      });
      const path = join(dir, 'a.bin');
      await writeFile(path, 'bytes');
      const r = await client.createRelease({
        tag: 'v1',
        name: 'v1',
        body: '',
        draft: false,
        prerelease: false,
      });
      await client.repositoryVisible();
      // Forgejo reports Gitea 1.22 compatibility: no package link API (Gitea 1.24 added it).
      const packages = flavour === 'gitea';
      if (packages) {
        server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.0.0' });
        await client.packageRepository('container', 'app');
        await client.linkPackage('container', 'app');
      }
      await client.getReleaseByTag('v1');
      await client.getReleaseByTag('v-missing');
      await client.getLatestRelease();
      await client.getRelease(r.id);
      for await (const _ of client.listReleases()) {
        // drain
      }
      await client.updateRelease(r.id, { body: 'b' });
      const asset = await client.uploadAsset(r, { name: 'a.bin', path });
      await client.listAssets(r);
      await client.downloadAsset(asset, join(dir, 'down.bin'));
      await client.renameAsset(r, asset.id, 'b.bin');
      await client.deleteAsset(r.id, asset.id);
      await client.deleteRelease(r.id);
      client.close();

      const apiRequests = server.requests.filter((q) => q.path.startsWith('/api/'));
      const used = apiRequests.map((q) => ({ q, route: routeOf(api, q.method, q.path) }));
      expect(used.filter((u) => u.route === undefined).map((u) => `${u.q.method} ${u.q.path}`)).toEqual(
        // The flavour probe of `forge: auto` on a non-Gitea host is the one call outside the GitHub API.
        flavour === 'github' ? ['GET /api/v1/version'] : [],
      );
      const expected = table
        .filter(
          (t) => t.flavour === api && (packages || !['getLatestPackage', 'linkPackage'].includes(t.name)),
        )
        .map((t) => t.name);
      expect(new Set(used.map((u) => u.route).filter(Boolean))).toEqual(new Set(expected));
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
