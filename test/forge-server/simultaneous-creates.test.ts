// Simultaneous creates for one tag on Gitea (forge-behaviour.md), made deterministic with hold faults:
// a held create keeps its window open for as long as the test wants.
import { afterEach, describe, expect, test } from '@jest/globals';
import {
  type FaultHandle,
  type ForgeServer,
  startForgeServer,
} from '../../packages/forge-server/src/index.js';
import { call, REPO, type Reply } from './client.js';

let server: ForgeServer;
afterEach(async () => {
  await server?.close();
});

const create = (json: Record<string, unknown>) => call(server, 'POST', `${REPO}/releases`, { json });
/** One hold per create, the nth create held by the nth fault. */
const holdCreates = (count: number): FaultHandle[] =>
  Array.from({ length: count }, (_, i) =>
    server.faults.inject({ method: 'POST', path: /\/releases$/, nth: i + 1, respond: { hold: true } }),
  );
const postStatuses = () => server.requests.filter((r) => r.method === 'POST').map((r) => r.status);

describe('gitea: simultaneous creates for a tag already pushed to git', () => {
  test('every create overlapping the first gets 201 with the same release; the last writer wins', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    server.seed.pushTag('v1.0.0');
    const holds = holdCreates(5);
    const replies: Promise<Reply>[] = [];
    for (const [i, hold] of holds.entries()) {
      replies.push(
        create({ tag_name: 'v1.0.0', name: `writer ${i + 1}`, body: `notes ${i + 1}`, prerelease: i === 3 }),
      );
      await hold.reached();
    }
    // The later creates are let go first: they join the first one and wait for its commit.
    for (const hold of holds.slice(1)) hold.release();
    expect((await call(server, 'GET', `${REPO}/releases/tags/v1.0.0`)).status).toBe(404);
    expect(postStatuses()).toEqual([0, 0, 0, 0, 0]);
    holds[0].release();
    const answers = await Promise.all(replies);

    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const id = answers[0].json.id;
    expect(answers.map((r) => r.json.id)).toEqual([id, id, id, id, id]);
    expect(answers[4].json).toMatchObject({ name: 'writer 5', body: 'notes 5', prerelease: false });
    expect(server.state.releases()).toEqual([
      expect.objectContaining({ id, tag: 'v1.0.0', name: 'writer 5', body: 'notes 5', prerelease: false }),
    ]);
    // One conversion, then an update per extra create; the tag was there already.
    const changes = server.changes.filter((c) => c.releaseId === id);
    expect(changes.map((c) => c.kind)).toEqual([
      'release-created',
      'release-updated',
      'release-updated',
      'release-updated',
      'release-updated',
    ]);
    expect(server.changes.filter((c) => c.kind === 'tag-created')).toHaveLength(1);
    // Every answer finished after the conversion was committed.
    const committed = changes[0].at;
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts.every((r) => (r.done ?? 0) > committed)).toBe(true);

    // Nothing in flight for the tag any more: a create is refused as usual.
    expect((await create({ tag_name: 'v1.0.0' })).status).toBe(409);
  });

  test.each([
    ['gitea', ['published', 'updated', 'updated']],
    ['forgejo', ['published', 'published', 'published']],
  ] as const)(
    '%s: each extra create fires another release webhook; publishing a draft fires one',
    async (flavour, fired) => {
      server = await startForgeServer({ flavour });
      server.seed.pushTag('v1.0.0');
      const holds = holdCreates(3);
      const replies: Promise<Reply>[] = [];
      for (const hold of holds) {
        replies.push(create({ tag_name: 'v1.0.0' }));
        await hold.reached();
      }
      for (const hold of holds) hold.release();
      expect((await Promise.all(replies)).map((r) => r.status)).toEqual([201, 201, 201]);
      expect(server.webhooks.map((w) => w.action)).toEqual(fired);

      server.webhooks.length = 0;
      const draft = await create({ tag_name: 'v2.0.0', draft: true });
      expect(server.webhooks).toEqual([]);
      await call(server, 'PATCH', `${REPO}/releases/${draft.json.id}`, { json: { draft: false } });
      await call(server, 'PATCH', `${REPO}/releases/${draft.json.id}`, { json: { body: 'notes' } });
      expect(server.webhooks).toEqual([
        { action: 'published', repo: 'octo/app', releaseId: draft.json.id, tag: 'v2.0.0' },
        { action: 'updated', repo: 'octo/app', releaseId: draft.json.id, tag: 'v2.0.0' },
      ]);
    },
  );

  test('the window lasts while any create for the tag is in flight, not only the first', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    server.seed.pushTag('v1.0.0');
    const [first, second] = holdCreates(2);
    const one = create({ tag_name: 'v1.0.0', name: 'one' });
    await first.reached();
    const two = create({ tag_name: 'V1.0.0', name: 'two' });
    await second.reached();
    first.release();
    expect((await one).status).toBe(201);
    // The second is still in flight, so a third joins the conversion instead of meeting a 409.
    const three = await create({ tag_name: 'v1.0.0', name: 'three' });
    expect([three.status, three.json.id]).toEqual([201, (await one).json.id]);
    second.release();
    expect((await two).json).toMatchObject({ id: three.json.id, name: 'two', tag_name: 'v1.0.0' });
    expect(server.state.releases().map((r) => r.name)).toEqual(['two']);
    expect((await create({ tag_name: 'v1.0.0' })).status).toBe(409);
  });
});

describe('gitea: simultaneous creates for a tag not in git', () => {
  test('one 201; the creates overlapping it 500 at once; later ones 409', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    const [hold] = holdCreates(1);
    const first = create({ tag_name: 'v2.0.0' });
    await hold.reached();
    const others = await Promise.all([1, 2, 3, 4].map(() => create({ tag_name: 'v2.0.0' })));
    expect(others.map((r) => r.status)).toEqual([500, 500, 500, 500]);
    expect(server.state.releases()).toEqual([]);
    hold.release();
    expect((await first).status).toBe(201);
    expect((await create({ tag_name: 'v2.0.0' })).status).toBe(409);
    expect(server.state.releases()).toHaveLength(1);
    expect(server.state.tags()).toEqual(['v2.0.0']);
  });
});
