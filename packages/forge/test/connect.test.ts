import { InputError } from '@forge-actions/action-kit/errors';
import { HttpClient } from '@forge-actions/http';
import { describe, expect, test } from '@jest/globals';
import { detectFlavour, parseRepository, resolveApiUrl } from '../src/connect.js';
import { connectForge, readForgeInputs } from '../src/index.js';
import { forgeInputs } from './forge-inputs.js';

describe('parseRepository', () => {
  test('owner/name', () => {
    expect(parseRepository('octo/app')).toEqual({ owner: 'octo', repo: 'app' });
    expect(parseRepository(' my.org/my-app_2 ')).toEqual({ owner: 'my.org', repo: 'my-app_2' });
  });
  test.each(['octo', 'octo/app/x', '/app', 'octo/', 'oc to/app', '../app', 'octo/..', ''])(
    '%p is refused naming the input',
    (value) => {
      expect(() => parseRepository(value)).toThrow(InputError);
      expect(() => parseRepository(value)).toThrow(/^Input 'repository' must be owner\/name/);
    },
  );
});

describe('resolveApiUrl', () => {
  const env = {};
  test('explicit api-url wins, then GITHUB_API_URL', () => {
    expect(
      resolveApiUrl({
        flavour: 'gitea',
        apiUrl: 'https://x/api/v1/',
        serverUrl: 'https://g',
        env: { GITHUB_API_URL: 'https://e/api/v1' },
      }),
    ).toBe('https://x/api/v1');
    expect(
      resolveApiUrl({
        flavour: 'gitea',
        serverUrl: 'https://g',
        env: { GITHUB_API_URL: 'http://10.0.0.5:3000/api/v1' },
      }),
    ).toBe('http://10.0.0.5:3000/api/v1');
  });
  test("Gitea ignores a GITHUB_API_URL of api.github.com (act's default when it runs a Gitea workflow)", () => {
    expect(
      resolveApiUrl({
        flavour: 'gitea',
        serverUrl: 'https://g',
        env: { GITHUB_API_URL: 'https://api.github.com' },
      }),
    ).toBe('https://g/api/v1');
  });
  test('Gitea: {server-url}/api/v1', () => {
    expect(resolveApiUrl({ flavour: 'gitea', serverUrl: 'https://git.example/sub/', env })).toBe(
      'https://git.example/sub/api/v1',
    );
  });
  test('GitHub: api.github.com for github.com, /api/v3 for Enterprise Server', () => {
    expect(resolveApiUrl({ flavour: 'github', serverUrl: 'https://github.com', env })).toBe(
      'https://api.github.com',
    );
    expect(resolveApiUrl({ flavour: 'github', env })).toBe('https://api.github.com');
    expect(resolveApiUrl({ flavour: 'github', serverUrl: 'https://ghe.corp', env })).toBe(
      'https://ghe.corp/api/v3',
    );
  });
  test('a malformed api-url names the input', () => {
    expect(() => resolveApiUrl({ flavour: 'github', apiUrl: 'ftp://x', env })).toThrow(
      /^Input 'api-url' must be an http\(s\) URL/,
    );
    expect(() => resolveApiUrl({ flavour: 'github', apiUrl: 'https://u:p@x', env })).toThrow(
      /^Input 'api-url' must not carry credentials/,
    );
  });
});

const inputs = forgeInputs;

describe('readForgeInputs', () => {
  test('reads the common inputs with their defaults', () => {
    const read = readForgeInputs(
      inputs(
        { token: 'abcd1234' },
        { GITHUB_REPOSITORY: 'octo/app', GITHUB_SERVER_URL: 'https://g.example' },
      ),
    );
    expect(read).toEqual({
      token: 'abcd1234',
      forge: 'auto',
      repository: 'octo/app',
      serverUrl: 'https://g.example',
    });
  });

  test.each([
    [{ token: '' }, /^Input 'token' is empty/],
    [{ token: 'abcd1234', repository: 'octo' }, /^Input 'repository' must be owner\/name \(got 'octo'\)/],
    [
      { token: 'abcd1234', repository: 'octo/app', forge: 'gitlab' },
      /^Input 'forge' must be one of auto, gitea, forgejo, github/,
    ],
    [
      { token: 'abcd1234', repository: 'octo/app', 'api-url': 'not a url' },
      /^Input 'api-url' must be an http\(s\) URL/,
    ],
    [
      { token: 'abcd1234', repository: 'octo/app', 'server-url': 'git.example' },
      /^Input 'server-url' must be an http\(s\) URL/,
    ],
    [
      { token: 'abcd1234', repository: 'octo/app', 'write-spacing': '0.5' },
      /^Input 'write-spacing' must be a whole number of seconds, 0 to 99 \(got '0\.5'\)$/,
    ],
  ])('bad input %p fails with one line naming it', (values, message) => {
    expect(() => readForgeInputs(inputs(values))).toThrow(message);
  });

  test('write-spacing: seconds, as milliseconds; empty leaves the forge default', () => {
    const read = (spacing: string) =>
      readForgeInputs(inputs({ token: 'abcd1234', repository: 'octo/app', 'write-spacing': spacing }));
    expect(read('2').writeSpacingMs).toBe(2000);
    expect(read('0').writeSpacingMs).toBe(0);
    expect(read('')).not.toHaveProperty('writeSpacingMs');
  });

  test('connectForge refuses the same inputs before any request', async () => {
    await expect(
      connectForge({ token: 'abcd1234', repository: 'nope', serverUrl: 'http://127.0.0.1:9' }),
    ).rejects.toThrow(/^Input 'repository'/);
    await expect(connectForge({ token: ' ', repository: 'o/r' })).rejects.toThrow(/^Input 'token'/);
  });
});

describe('detectFlavour without a request', () => {
  // Port 9 (discard) on loopback has no listener here: a request would fail, so passing proves none was sent.
  const http = new HttpClient({ retries: 0 });
  const base = { token: 't0k3n-value', serverUrl: 'http://127.0.0.1:9' };

  test('forge: gitea / github is taken as said', async () => {
    expect((await detectFlavour({ ...base, forge: 'gitea', env: {} }, http)).flavour).toBe('gitea');
    expect((await detectFlavour({ ...base, forge: 'github', env: {} }, http)).flavour).toBe('github');
  });
  test("GITEA_ACTIONS=true with act's github.com defaults means Gitea, with nothing to probe", async () => {
    expect(
      await detectFlavour(
        { ...base, serverUrl: 'https://github.com', forge: 'auto', env: { GITEA_ACTIONS: 'true' } },
        http,
      ),
    ).toMatchObject({ flavour: 'gitea', reason: 'GITEA_ACTIONS=true' });
  });

  test('FORGEJO_ACTIONS=true means Forgejo (its runner sets GITEA_ACTIONS too)', async () => {
    expect(
      await detectFlavour(
        { ...base, forge: 'auto', env: { FORGEJO_ACTIONS: 'true', GITEA_ACTIONS: 'true' } },
        http,
      ),
    ).toMatchObject({ flavour: 'forgejo', reason: 'FORGEJO_ACTIONS=true' });
  });
  test('a github.com host means GitHub', async () => {
    expect(
      (await detectFlavour({ ...base, serverUrl: 'https://github.com', forge: 'auto', env: {} }, http))
        .flavour,
    ).toBe('github');
    expect(
      (
        await detectFlavour(
          { ...base, serverUrl: undefined, apiUrl: 'https://api.github.com', forge: 'auto', env: {} },
          http,
        )
      ).flavour,
    ).toBe('github');
  });
});
