// Gitea's package API as docker-publish-portainer uses it: the newest version of a package, and the link
// from a package to a repository of its owner (Gitea 1.24+). The contract test validates the JSON.
import { describe, expect, test } from '@jest/globals';
import type { ForgeServer } from '../../packages/forge-server/src/index.js';
import { call, serverPerTest } from './client.js';

let server: ForgeServer;
const start = serverPerTest(
  {
    flavour: 'gitea',
    repos: ['octo/app', 'octo/site', 'other/tools'],
    tokens: { w: { scopes: 'write' }, r: { scopes: 'read' } },
  },
  (started) => {
    server = started;
  },
);

const latest = (name: string, type = 'container', token = 'w') =>
  call(server, 'GET', `/packages/octo/${type}/${name}/-/latest`, { token });
const link = (name: string, repo: string, token = 'w') =>
  call(server, 'POST', `/packages/octo/container/${name}/-/link/${repo}`, { token });
const linkChanges = () => server.changes.filter((c) => c.kind === 'package-linked');

describe('gitea: GET /packages/{owner}/{type}/{name}/-/latest', () => {
  test('answers the newest version, not linked to any repository', async () => {
    await start();
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.0.0' });
    const first = await latest('app');
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.1.0' });
    const reply = await latest('app', 'container', 'r');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      owner: { login: 'octo' },
      repository: null,
      creator: { login: 'forge-bot' },
      type: 'container',
      name: 'app',
      version: '1.1.0',
      html_url: `${server.url}/octo/-/packages/container/app/1.1.0`,
    });
    // The id is the version's (Gitea's package JSON describes one version).
    expect(reply.json.id).not.toBe(first.json.id);
    expect(Date.parse(reply.json.created_at)).not.toBeNaN();
  });

  test('finds the owner and name case-insensitively, the type exactly; 404 for an unknown package', async () => {
    await start();
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: 'v1' });
    expect((await call(server, 'GET', '/packages/Octo/container/App/-/latest')).json.name).toBe('app');
    expect((await latest('missing')).status).toBe(404);
    expect((await latest('app', 'generic')).status).toBe(404);
    expect((await call(server, 'GET', '/packages/nobody/container/app/-/latest')).status).toBe(404);
  });

  test('a name with a slash, percent-encoded in the path', async () => {
    await start();
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'group/app', version: '2.0' });
    const reply = await latest('group%2Fapp');
    expect(reply.status).toBe(200);
    expect(reply.json.name).toBe('group/app');
    expect(reply.json.html_url).toBe(`${server.url}/octo/-/packages/container/group%2Fapp/2.0`);
    expect((await link('group%2Fapp', 'app')).status).toBe(201);
    expect(server.state.packages()).toEqual([
      { owner: 'octo', type: 'container', name: 'group/app', versions: ['2.0'], repo: 'octo/app' },
    ]);
  });
});

describe('gitea: POST /packages/{owner}/{type}/{name}/-/link/{repo_name}', () => {
  test('201 with an empty body; the state, the change log and the package JSON show the repository', async () => {
    await start();
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.0.0' });
    const reply = await link('app', 'App');
    expect([reply.status, reply.text]).toEqual([201, '']);
    expect(server.state.packages()).toEqual([
      { owner: 'octo', type: 'container', name: 'app', versions: ['1.0.0'], repo: 'octo/app' },
    ]);
    expect(linkChanges()).toEqual([
      expect.objectContaining({ repo: 'octo/app', name: 'app', packageType: 'container' }),
    ]);
    expect((await latest('app')).json.repository).toMatchObject({ full_name: 'octo/app', name: 'app' });
  });

  test('400 once linked, to the same repository too; the link stays', async () => {
    await start();
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.0.0' });
    expect((await link('app', 'app')).status).toBe(201);
    const again = await link('app', 'app');
    expect([again.status, again.json.message]).toEqual([400, 'invalid argument']);
    expect((await link('app', 'site')).status).toBe(400);
    expect(server.state.packages()[0].repo).toBe('octo/app');
    expect(linkChanges()).toHaveLength(1);
  });

  test('404 for an unknown package or a repository the owner does not have', async () => {
    await start();
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.0.0' });
    const unknownPackage = await link('missing', 'app');
    expect([unknownPackage.status, unknownPackage.json.message]).toEqual([404, 'package does not exist']);
    expect((await link('app', 'nope')).status).toBe(404);
    // other/tools exists, but the route names a repository of the package's owner.
    expect((await link('app', 'tools')).status).toBe(404);
    expect(server.state.packages()[0]).not.toHaveProperty('repo');
    expect(linkChanges()).toEqual([]);
  });

  test('a read token gets 403 (package scope), no or an unknown token 401, before any lookup', async () => {
    await start();
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.0.0' });
    const read = await link('app', 'app', 'r');
    expect(read.status).toBe(403);
    expect(read.json.message).toContain('required=[write:package]');
    expect((await link('missing', 'app', 'r')).status).toBe(403);
    expect((await link('app', 'app', 'nope')).status).toBe(401);
    expect((await latest('app', 'container', 'nope')).status).toBe(401);
    const anonymous = { token: null };
    expect((await call(server, 'GET', '/packages/octo/container/app/-/latest', anonymous)).status).toBe(401);
    expect((await call(server, 'POST', '/packages/octo/container/app/-/link/app', anonymous)).status).toBe(
      401,
    );
    expect(server.state.packages()[0]).not.toHaveProperty('repo');
  });
});

test("gitea 1.23: neither route exists (the router's answer to an unknown path); 1.24 serves both", async () => {
  const seedApp = () =>
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.0.0' });
  await start({ giteaVersion: '1.23.8' });
  seedApp();
  const unknown = await call(server, 'GET', '/packages/octo/container/app/-/nothing', { token: 'w' });
  const [got, linked] = [await latest('app'), await link('app', 'app')];
  expect([got.status, got.json, linked.status, linked.json]).toEqual([404, unknown.json, 404, unknown.json]);
  expect(server.state.packages()[0]).not.toHaveProperty('repo');
  await server.close();
  await start({ giteaVersion: '1.24.0' });
  seedApp();
  expect([(await latest('app')).status, (await link('app', 'app')).status]).toEqual([200, 201]);
});

describe('seed.addPackage', () => {
  test('adds versions newest last; seeding a repo links (and logs) it', async () => {
    await start();
    server.seed.addPackage({ owner: 'Octo', type: 'container', name: 'app', version: '1' });
    server.seed.addPackage({
      owner: 'octo',
      type: 'container',
      name: 'APP',
      version: '2',
      repo: 'octo/site',
    });
    server.seed.addPackage({ owner: 'octo', type: 'generic', name: 'app', version: '1' });
    expect(server.state.packages()).toEqual([
      { owner: 'octo', type: 'container', name: 'app', versions: ['1', '2'], repo: 'octo/site' },
      { owner: 'octo', type: 'generic', name: 'app', versions: ['1'] },
    ]);
    expect(linkChanges().map((c) => c.repo)).toEqual(['octo/site']);
    // Snapshots: changing one does not change the server's state.
    server.state.packages()[0].versions.push('3');
    expect(server.state.packages()[0].versions).toEqual(['1', '2']);
  });

  test('refuses what Gitea cannot hold', async () => {
    await start();
    const seed = (pkg: Partial<Parameters<ForgeServer['seed']['addPackage']>[0]>) => () =>
      server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1', ...pkg });
    seed({})();
    expect(seed({ version: '1' })).toThrow(/already has version/);
    expect(seed({ owner: 'nobody' })).toThrow(/owns no configured repository/);
    expect(seed({ version: '2', repo: 'other/tools' })).toThrow(/cannot be linked/);
    expect(seed({ version: '2', repo: 'octo/missing' })).toThrow(/unknown repository/);
    await server.close();
    await start({ flavour: 'github' });
    expect(seed({})).toThrow(/Gitea only/);
  });
});
