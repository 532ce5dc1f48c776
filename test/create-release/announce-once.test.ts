// Forgejo fires a `published` release webhook for every extra simultaneous create of a release (Gitea an
// `updated` one): the bundles as a runner runs them, against the Forgejo flavour, show why the README and
// the example workflows create the release in one job that the build jobs need.
import { forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { TOKEN, upload, workspace } from '@forge-actions/testing/release-jobs';
import { runAction } from '@forge-actions/testing/run-action';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

const TAG = 'v1.4.0';
const FILES = [`App-${TAG}-setup.exe`, `App-${TAG}-win-x64.zip`, `App-${TAG}-linux-x64.tar.gz`];

let server: ForgeServer;
beforeEach(async () => {
  server = await startForgeServer({ flavour: 'forgejo' });
  // The normal CI case: the tag was pushed, and started the workflow.
  server.seed.pushTag(TAG);
});
afterEach(async () => {
  await server.close();
});

const env = () => forgeRunnerEnv(server, TAG);
const published = () => server.webhooks.filter((w) => w.action === 'published');

describe('forgejo: announcing a release once', () => {
  test('create-release in one job, the build jobs after it, finalize-release: one published webhook', async () => {
    const draft = await runAction('create-release', {
      inputs: { token: TOKEN, tag: TAG, draft: 'true', downloads: FILES.map((f) => `App | ${f}`).join('\n') },
      env: env(),
    });
    expect(draft.errors).toEqual([]);
    const jobs = await Promise.all(
      FILES.map((file) => upload(server, workspace({ [file]: `bytes of ${file}` }), { tag: TAG })),
    );
    expect(jobs.map((j) => j.code)).toEqual([0, 0, 0]);
    expect(server.webhooks).toEqual([]);
    const done = await runAction('finalize-release', {
      inputs: { token: TOKEN, tag: TAG, checksums: 'sha256' },
      env: env(),
    });
    expect(done.errors).toEqual([]);
    expect(published()).toEqual([
      expect.objectContaining({ tag: TAG, releaseId: Number(draft.outputs['release-id']) }),
    ]);
    // A re-run of finalize announces nothing again.
    await runAction('finalize-release', { inputs: { token: TOKEN, tag: TAG }, env: env() });
    expect(published()).toHaveLength(1);
  });

  test('create-release in each of three build jobs at once: one release, announced three times', async () => {
    // Every create held until all three are inside the server, as jobs started together can be.
    const holds = [1, 2, 3].map((nth) =>
      server.faults.inject({ method: 'POST', path: /\/releases$/, nth, respond: { hold: true } }),
    );
    const runs = [1, 2, 3].map(() =>
      runAction('create-release', { inputs: { token: TOKEN, tag: TAG }, env: env() }),
    );
    for (const hold of holds) await hold.reached();
    for (const hold of holds) hold.release();
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(new Set(results.map((r) => r.outputs['release-id'])).size).toBe(1);
    expect(server.state.releases()).toHaveLength(1);
    expect(published()).toHaveLength(3);
  });
});
