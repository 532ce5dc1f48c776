// Forgejo's external-link assets (`type: external`, size 0) as upload-asset-dedup meets them: the bundle
// as a runner runs it, against the Forgejo flavour with links that point at a third party's server.

import { renderGenerated, replaceGenerated } from '@forge-actions/release';
import { upload, workspace } from '@forge-actions/testing/release-jobs';
import { type ScriptedServer, scriptedServerPerTest } from '@forge-actions/testing/scripted-server';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

let server: ForgeServer;
let releaseId: number;
/** The third party's server the links point at: the suite must send it no request. */
let thirdParty: ScriptedServer;
const thirdPartyServer = scriptedServerPerTest((_req, res) => res.end('a third party file'));

const names = () => server.state.release(releaseId)?.assets.map((a) => a.name) ?? [];
const externals = () => server.state.release(releaseId)?.assets.filter((a) => a.externalUrl) ?? [];
const mutations = () => server.requests.filter((r) => r.method !== 'GET');
const sums = async () => {
  const asset = server.state.release(releaseId)?.assets.find((a) => a.name === 'SHA256SUMS');
  return asset && (await server.state.readAsset(asset.id)).toString();
};

describe('upload-asset-dedup on forgejo, with external links on the release', () => {
  let mirror: string;
  beforeEach(async () => {
    thirdParty = await thirdPartyServer();
    mirror = thirdParty.url;
    server = await startForgeServer({ flavour: 'forgejo' });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
  });
  afterEach(async () => {
    await server.close();
  });

  test('checksums: sha256 neither fetches nor lists a link; the summary lists it as external', async () => {
    server.seed.addExternalAsset(releaseId, 'Manual.pdf', `${mirror}/files/Manual.pdf?sig=s3cr3t`);
    const r = await upload(server, workspace({ 'App.zip': 'zip bytes' }), {
      tag: 'v1.0.0',
      checksums: 'sha256',
    });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(thirdParty.seen).toEqual([]);
    expect(await sums()).toMatch(/^[0-9a-f]{64} {2}App\.zip\n$/);
    expect(names().sort()).toEqual(['App.zip', 'Manual.pdf', 'SHA256SUMS']);
    expect(r.summary).toContain(`| Manual.pdf | external link to ${mirror}/files/Manual.pdf, left alone |`);
    expect(r.stdout + r.summary).not.toContain('s3cr3t');
  });

  test('a link that cannot be fetched does not fail the run', async () => {
    // A server that no longer listens: the link cannot be fetched.
    await thirdParty.close();
    server.seed.addExternalAsset(releaseId, 'Gone.zip', `${mirror}/Gone.zip`);
    const r = await upload(server, workspace({ 'App.zip': 'zip bytes' }), {
      tag: 'v1.0.0',
      checksums: 'sha256',
    });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(await sums()).toMatch(/ {2}App\.zip\n$/);
  });

  test('a file named like a link fails in one line before anything changes, and the link stays', async () => {
    const link = server.seed.addExternalAsset(releaseId, 'App.zip', `${mirror}/App.zip`);
    const r = await upload(server, workspace({ 'App.zip': 'zip bytes', 'App.tar.gz': 'tar bytes' }), {
      tag: 'v1.0.0',
    });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      `App.zip is an external link on the release (to ${mirror}/App.zip), not a file this action replaces: ` +
        'rename the file, remove the link on the release, or set replace-external: true to replace it.',
    ]);
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
    expect(mutations()).toEqual([]);
    expect(externals().map((a) => a.id)).toEqual([link.id]);
    expect(thirdParty.seen).toEqual([]);
  });

  test('replace-external: true replaces the link with the file, without fetching it', async () => {
    server.seed.addExternalAsset(releaseId, 'App.zip', `${mirror}/App.zip`);
    const r = await upload(server, workspace({ 'App.zip': 'zip bytes' }), {
      tag: 'v1.0.0',
      'replace-external': 'true',
      checksums: 'sha256',
    });
    expect(r.errors).toEqual([]);
    // SHA256SUMS is new; App.zip replaced the link.
    expect(r.outputs).toMatchObject({ uploaded: '1', replaced: '1', skipped: '0' });
    expect(externals()).toEqual([]);
    expect(names().sort()).toEqual(['App.zip', 'SHA256SUMS']);
    expect(await sums()).toMatch(/ {2}App\.zip\n$/);
    expect(thirdParty.seen).toEqual([]);
  });

  test('a link named SHA256SUMS fails checksums: sha256 before anything changes', async () => {
    server.seed.addExternalAsset(releaseId, 'SHA256SUMS', `${mirror}/SHA256SUMS`);
    const r = await upload(server, workspace({ 'App.zip': 'zip bytes' }), {
      tag: 'v1.0.0',
      checksums: 'sha256',
      'replace-external': 'true',
    });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      `SHA256SUMS is an external link on the release (to ${mirror}/SHA256SUMS), not a file this action ` +
        'replaces: remove the link on the release, or set checksums: none.',
    ]);
    expect(mutations()).toEqual([]);
    expect(thirdParty.seen).toEqual([]);
  });

  test('the downloads table links an external link as it is, without size or digest', async () => {
    const rows = [
      { label: 'Windows', file: 'App.zip' },
      { label: 'Manual', file: 'Manual.pdf' },
    ];
    const body = replaceGenerated('Notes', renderGenerated(rows));
    releaseId = server.seed.createRelease({ tag: 'v2.0.0', body }).id;
    // Shaped like a Gitea attachment link, but another server's: it is linked as it is.
    server.seed.addExternalAsset(releaseId, 'Manual.pdf', `${mirror}/attachments/Manual.pdf`);
    const r = await upload(server, workspace({ 'App.zip': 'zip bytes' }), { tag: 'v2.0.0' });
    expect(r.errors).toEqual([]);
    expect(server.state.release(releaseId)?.body).toContain(
      `| Manual | [\`Manual.pdf\`](${mirror}/attachments/Manual.pdf) |  |  |`,
    );
    expect(thirdParty.seen).toEqual([]);
  });
});
