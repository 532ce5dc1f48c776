// Issue 14 through the bundle: request-timeout bounds each request attempt in total.

import { upload, workspace } from '@forge-actions/testing/release-jobs';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

let server: ForgeServer;

beforeEach(async () => {
  server = await startForgeServer({ flavour: 'gitea' });
});
afterEach(async () => {
  await server.close();
});

describe('upload-asset-dedup', () => {
  test('hardening 10: request-timeout: 1 against a server that never answers fails with a clear error, not a hang', async () => {
    // Every GET is held until the server closes: the look-up of the release never gets an answer.
    const stall = server.faults.inject({ method: 'GET', times: Infinity, respond: { hold: true } });
    const cwd = workspace({ 'App.zip': 'zip bytes' });
    const r = await upload(server, cwd, { 'release-id': '1', retries: '0', 'request-timeout': '1' });
    expect(stall.hits).toBe(1);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      expect.stringMatching(
        new RegExp(`no complete answer from ${new URL(server.url).host.replace(/\./g, '\\.')} within 1 s`),
      ),
    ]);
  });
});
