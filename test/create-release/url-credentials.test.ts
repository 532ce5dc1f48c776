// Issue 14 through the bundle: credentials written into server-url / api-url never show.

import { forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { runAction } from '@forge-actions/testing/run-action';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

const TOKEN = 'test-token';
const PASSWORD = 's3cretpass';

let server: ForgeServer;

beforeEach(async () => {
  server = await startForgeServer({ flavour: 'gitea' });
});
afterEach(async () => {
  await server.close();
});

/** What a runner shows: stdout without the `::add-mask::` commands it consumes. */
const shown = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

describe('create-release', () => {
  test.each([
    ['server-url', () => `http://user:${PASSWORD}@127.0.0.1:${new URL(server.url).port}`],
    ['server-url', () => `http://user:${PASSWORD}@127.0.0.1:99999`],
    ['api-url', () => `http://user:${PASSWORD}@127.0.0.1:${new URL(server.url).port}/api/v1`],
    ['api-url', () => `http://user:${PASSWORD}@127.0.0.1:${new URL(server.url).port}:1/api/v1`],
  ])(
    'hardening 3: %s with user:password@ fails naming the input, the password nowhere in log or summary',
    async (name, value) => {
      const r = await runAction('create-release', {
        inputs: { token: TOKEN, [name]: value() },
        env: forgeRunnerEnv(server, 'v1.0.0'),
      });
      expect(r.code).toBe(1);
      expect(r.errors).toEqual([expect.stringMatching(new RegExp(`^Input '${name}'`))]);
      for (const text of [shown(r.stdout), r.stderr, r.summary, ...Object.values(r.outputs)]) {
        expect(text).not.toContain(PASSWORD);
      }
      expect(server.requests).toEqual([]);
    },
  );
});
