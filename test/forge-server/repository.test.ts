// GET /repos/{owner}/{repo} on both flavours (the contract test validates the JSON against each spec).
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { describe, expect, test } from '@jest/globals';
import type { ForgeServer } from '../../packages/forge-server/src/index.js';
import { call, serverPerTest } from './client.js';

let server: ForgeServer;
const start = serverPerTest({}, (started) => {
  server = started;
});

describe.each(FLAVOURS)('%s: GET /repos/{owner}/{repo}', (flavour) => {
  test('describes each configured repository, with the first configured branch as default', async () => {
    await start({
      flavour,
      repos: ['Octo/App', 'someone/lib'],
      branches: ['trunk', 'main'],
      tokens: { r: { scopes: 'read' } },
    });
    const app = await call(server, 'GET', '/repos/octo/app', { token: 'r' });
    expect(app.status).toBe(200);
    expect(app.json).toMatchObject({
      name: 'App',
      full_name: 'Octo/App',
      default_branch: 'trunk',
      private: false,
      fork: false,
      html_url: `${server.url}/Octo/App`,
      clone_url: `${server.url}/Octo/App.git`,
      owner: { login: 'Octo' },
    });
    const lib = await call(server, 'GET', '/repos/someone/lib', { token: 'r' });
    expect(lib.json.owner.login).toBe('someone');
    expect(lib.json.id).not.toBe(app.json.id);
    expect(lib.json.owner.id).not.toBe(app.json.owner.id);
    if (flavour !== 'github') expect([app.json.empty, lib.json.empty]).toEqual([false, false]);
    else expect(app.json).not.toHaveProperty('empty');
  });

  test('404 for an unknown repository, 401 without a token', async () => {
    await start({ flavour });
    expect((await call(server, 'GET', '/repos/octo/other')).status).toBe(404);
    expect((await call(server, 'GET', '/repos/octo/app', { token: null })).status).toBe(401);
  });
});

test('gitea: an empty repository says so, until a branch is pushed', async () => {
  await start({ flavour: 'gitea', repos: ['octo/app', 'octo/empty'], emptyRepos: ['Octo/Empty'] });
  const reply = await call(server, 'GET', '/repos/octo/empty');
  expect(reply.json).toMatchObject({ empty: true, default_branch: 'main' });
  expect((await call(server, 'GET', '/repos/octo/app')).json.empty).toBe(false);
  server.seed.pushBranch('main', 'octo/empty');
  expect((await call(server, 'GET', '/repos/octo/empty')).json.empty).toBe(false);
});
