// Git tags, release targets and empty repositories, on both flavours (forge-behaviour.md).
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { describe, expect, test } from '@jest/globals';
import {
  type ForgeServer,
  type ForgeServerOptions,
  startForgeServer,
} from '../../packages/forge-server/src/index.js';
import { call, REPO, serverPerTest } from './client.js';

let server: ForgeServer;
const start = serverPerTest({}, (started) => {
  server = started;
});

const create = (json: Record<string, unknown>, repo = REPO) =>
  call(server, 'POST', `${repo}/releases`, { json });
const patch = (id: number, json: Record<string, unknown>) =>
  call(server, 'PATCH', `${REPO}/releases/${id}`, { json });
const tagChanges = () => server.changes.filter((c) => c.kind === 'tag-created').map((c) => c.tag);

describe.each(FLAVOURS)('%s: git tags', (flavour) => {
  test('a published create makes the tag; a draft makes none until it is published', async () => {
    await start({ flavour });
    expect((await create({ tag_name: 'v1.0.0' })).status).toBe(201);
    const draft = await create({ tag_name: 'v2.0.0', draft: true });
    expect(server.state.tags()).toEqual(['v1.0.0']);
    expect((await patch(draft.json.id, { draft: false })).status).toBe(200);
    expect(server.state.tags()).toEqual(['v1.0.0', 'v2.0.0']);
    expect(tagChanges()).toEqual(['v1.0.0', 'v2.0.0']);
  });

  test('deleting a release keeps its tag', async () => {
    await start({ flavour });
    const { json } = await create({ tag_name: 'v1.0.0' });
    expect((await call(server, 'DELETE', `${REPO}/releases/${json.id}`)).status).toBe(204);
    expect(server.state.releases()).toEqual([]);
    expect(server.state.tags()).toEqual(['v1.0.0']);
    // The tag is in git now, so a new release for it needs no target.
    expect((await create({ tag_name: 'v1.0.0', target_commitish: 'gone' })).status).toBe(201);
    expect(tagChanges()).toEqual(['v1.0.0']);
  });
});

describe.each(FLAVOURS)('%s: target_commitish', (flavour) => {
  const unknownTarget = flavour !== 'github' ? 404 : 422;

  test('names a branch, a tag or a pushed commit; anything else is refused for a new tag', async () => {
    await start({ flavour, branches: ['main', 'release/1.x'] });
    const sha = 'c0ffee'.padEnd(40, '0');
    server.seed.pushBranch('hotfix');
    server.seed.pushCommit(sha);
    server.seed.pushTag('v0.9.0');
    for (const [tag, target] of [
      ['v1.0.0', 'release/1.x'],
      ['v1.0.1', 'hotfix'],
      ['v1.0.2', sha],
      ['v1.0.3', 'v0.9.0'],
    ]) {
      const reply = await create({ tag_name: tag, target_commitish: target });
      expect([tag, reply.status, reply.json.target_commitish]).toEqual([tag, 201, target]);
    }
    const refused = await create({ tag_name: 'v2.0.0', target_commitish: 'no-such-branch' });
    expect(refused.status).toBe(unknownTarget);
    if (flavour === 'github') {
      expect(refused.json.message).toBe('Validation Failed');
      expect(refused.json.errors).toEqual([
        { resource: 'Release', code: 'invalid', field: 'target_commitish' },
      ]);
    } else {
      expect(refused.json.message).toContain('no-such-branch');
    }
    // The refusal left nothing behind.
    expect(server.state.releases().map((r) => r.tag)).not.toContain('v2.0.0');
    expect(server.state.tags()).not.toContain('v2.0.0');
    expect((await create({ tag_name: 'v2.0.0', target_commitish: 'main' })).status).toBe(201);
  });

  test('without a target the release is made from the first configured branch', async () => {
    await start({ flavour, branches: ['trunk'] });
    const reply = await create({ tag_name: 'v1.0.0' });
    expect(reply.json.target_commitish).toBe('trunk');
    // 'main' is not a branch of this repository.
    expect((await create({ tag_name: 'v1.0.1', target_commitish: 'main' })).status).toBe(unknownTarget);
  });

  test('a tag already in git ignores the target', async () => {
    await start({ flavour });
    server.seed.pushTag('v1.0.0');
    expect((await create({ tag_name: 'v1.0.0', target_commitish: 'no-such-branch' })).status).toBe(201);
  });

  test('pushBranch and pushCommit apply to the repository given', async () => {
    await start({ flavour, repos: ['octo/app', 'octo/lib'] });
    const sha = 'a'.repeat(40);
    server.seed.pushBranch('dev', 'octo/lib');
    server.seed.pushCommit(sha, 'octo/lib');
    for (const target of ['dev', sha]) {
      const lib = await create({ tag_name: `v-${target}`, target_commitish: target }, '/repos/octo/lib');
      expect([target, lib.status]).toEqual([target, 201]);
      const app = await create({ tag_name: `v-${target}`, target_commitish: target });
      expect([target, app.status]).toEqual([target, unknownTarget]);
    }
  });
});

describe('target_commitish of drafts', () => {
  test('gitea: a draft is not checked (it makes no tag); publishing it with an unknown target is a 500', async () => {
    await start({ flavour: 'gitea' });
    const draft = await create({ tag_name: 'v1.0.0', target_commitish: 'nope', draft: true });
    expect(draft.status).toBe(201);
    const publish = await patch(draft.json.id, { draft: false });
    expect(publish.status).toBe(500);
    expect(server.state.release(draft.json.id)).toMatchObject({ draft: true });
    expect(server.state.tags()).toEqual([]);
    // With a known target it publishes.
    expect((await patch(draft.json.id, { draft: false, target_commitish: 'main' })).status).toBe(200);
    expect(server.state.tags()).toEqual(['v1.0.0']);
  });

  test('github: a draft is checked like a release, and so is publishing one', async () => {
    await start({ flavour: 'github' });
    expect((await create({ tag_name: 'v1.0.0', target_commitish: 'nope', draft: true })).status).toBe(422);
    const draft = await create({ tag_name: 'v1.0.0', draft: true });
    const publish = await patch(draft.json.id, { draft: false, target_commitish: 'nope' });
    expect(publish.status).toBe(422);
    expect(publish.json.errors[0]).toMatchObject({ field: 'target_commitish', code: 'invalid' });
    expect(server.state.release(draft.json.id)).toMatchObject({ draft: true, targetCommitish: 'main' });
    expect(server.state.tags()).toEqual([]);
  });
});

describe.each(FLAVOURS)('%s: empty repositories', (flavour) => {
  test('refuse releases with a 422 until a branch is pushed', async () => {
    await start({ flavour, repos: ['octo/app', 'octo/empty'], emptyRepos: ['octo/empty'] });
    const refused = await create({ tag_name: 'v1.0.0' }, '/repos/octo/empty');
    expect(refused.status).toBe(422);
    if (flavour !== 'github') expect(refused.json.message).toBe('repo is empty');
    else expect(refused.json.message).toBe('Validation Failed');
    expect((await create({ tag_name: 'v1.0.0' })).status).toBe(201);
    server.seed.pushBranch('main', 'octo/empty');
    expect((await create({ tag_name: 'v1.0.0' }, '/repos/octo/empty')).status).toBe(201);
  });
});

test('gitea: a repository holding only tags is empty: even its pushed tag cannot be released', async () => {
  await start({ flavour: 'gitea', emptyRepos: ['octo/app'] });
  server.seed.pushTag('v1.0.0');
  expect((await create({ tag_name: 'v1.0.0' })).status).toBe(422);
  expect((await call(server, 'GET', REPO)).json.empty).toBe(true);
  server.seed.pushBranch('main');
  expect((await call(server, 'GET', REPO)).json.empty).toBe(false);
  expect((await create({ tag_name: 'v1.0.0' })).status).toBe(201);
});

describe('options that startForgeServer refuses', () => {
  test.each([
    [{ branches: [] }, 'branches needs at least one branch'],
    [{ branches: ['main', 'bad..name'] }, "'bad..name' is not a valid branch name"],
    [{ emptyRepos: ['octo/other'] }, "empty repository 'octo/other' is not one of repos"],
    [{ flavour: 'gitea', immutableReleases: true }, 'immutableReleases is a GitHub setting'],
    [
      { flavour: 'gitea', repos: ['octo/app', 'org/app'] },
      "forge-server: owner 'org' is a name Gitea reserves (it answers 422 name is reserved)",
    ],
    [{ flavour: 'gitea', repos: ['Explore/app'] }, "owner 'Explore' is a name Gitea reserves"],
    [{ flavour: 'gitea', repos: ['me.keys/app'] }, "owner 'me.keys' is a name Gitea reserves"],
  ] as [Partial<ForgeServerOptions>, string][])('%j', async (options, message) => {
    await expect(startForgeServer({ flavour: 'github', ...options })).rejects.toThrow(message);
  });

  test.each(['api', 'attachments', 'avatars', 'ghost', 'metrics', 'user', 'v2', '.well-known'])(
    'gitea reserves %s',
    async (owner) => {
      await expect(startForgeServer({ flavour: 'gitea', repos: [`${owner}/app`] })).rejects.toThrow(
        `owner '${owner}' is a name Gitea reserves`,
      );
    },
  );

  test('GitHub takes the names Gitea reserves; Gitea takes names that only contain one', async () => {
    await start({ flavour: 'github', repos: ['org/app'] });
    expect((await call(server, 'GET', '/repos/org/app/releases')).status).toBe(200);
    await server.close();
    await start({ flavour: 'gitea', repos: ['organisation/app', 'apis/app'] });
    expect((await call(server, 'GET', '/repos/organisation/app/releases')).status).toBe(200);
  });
});
