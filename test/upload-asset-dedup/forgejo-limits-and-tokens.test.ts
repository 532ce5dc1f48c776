// What Forgejo 11 does differently for tokens and upload sizes (forge-behaviour.md), as upload-asset-dedup
// tells the user: the bundle as a runner runs it, on the Forgejo flavour, beside Gitea for contrast.
import { leaks } from '@forge-actions/testing/leaks';
import { upload, workspace } from '@forge-actions/testing/release-jobs';
import { afterEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

let server: ForgeServer;
afterEach(async () => {
  await server?.close();
});

const BIG = Buffer.alloc(64 * 1024, 7);

describe('upload-asset-dedup on forgejo: secrets and size limits', () => {
  test.each([
    ['forgejo', /GITEA_ or GITHUB_.*a secret named FORGEJO_TOKEN replaces the job token/],
    ['gitea', /GITEA_ or GITHUB_/],
  ] as const)(
    '%s: a rejected token names the secret rules of that forge, never the token',
    async (flavour, hint) => {
      server = await startForgeServer({ flavour });
      server.seed.createRelease({ tag: 'v1.0.0' });
      const r = await upload(server, workspace({ 'App.zip': 'zip' }), {
        tag: 'v1.0.0',
        token: 'not-a-real-token-42',
      });
      expect(r.code).toBe(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(/rejected the token \(401 Unauthorized\)/);
      expect(r.errors[0]).toMatch(hint);
      if (flavour === 'gitea') expect(r.errors[0]).not.toContain('FORGEJO_TOKEN');
      expect(leaks(r, ['not-a-real-token-42'], [])).toEqual([]);
    },
  );

  test('forgejo: a file over what Gitea would allow uploads (no API limit), with no size warning', async () => {
    // The same setting makes the Gitea flavour answer 413; Forgejo does not enforce it on API uploads.
    server = await startForgeServer({ flavour: 'forgejo', maxAssetSize: 1024 });
    const { id } = server.seed.createRelease({ tag: 'v1.0.0' });
    const r = await upload(server, workspace({ 'App.zip': BIG }), { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(server.state.release(id)?.assets.map((a) => a.size)).toEqual([BIG.length]);
  });

  test('forgejo: a 413 is put down to a proxy in front, not to a Forgejo limit', async () => {
    server = await startForgeServer({ flavour: 'forgejo' });
    server.seed.createRelease({ tag: 'v1.0.0' });
    server.faults.inject({ method: 'POST', path: /\/assets$/, respond: { status: 413 } });
    const r = await upload(server, workspace({ 'App.zip': BIG }), { tag: 'v1.0.0' });
    expect(r.code).toBe(1);
    const said = [...r.errors, ...r.warnings].join('\n');
    expect(said).toContain('Forgejo sets no size limit on release uploads through the API');
    expect(said).not.toContain('MAX_SIZE');
  });
});
