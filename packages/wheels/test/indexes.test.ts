import { describe, expect, test } from '@jest/globals';
import { authorizationFor, checkIndexUrl, indexEnv, indexSecrets } from '../src/indexes.js';

const indexes = {
  indexUrl: 'https://ci:s3cr%40t-pw@pkgs.example/api/packages/team/pypi/simple',
  extraIndexUrls: ['https://pypi.org/simple', 'https://bot:tok3n@other.example/simple'],
};

describe('indexes', () => {
  test('credentials go to files on the same origin only', () => {
    const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
    expect(
      authorizationFor('https://pkgs.example/api/packages/team/pypi/files/x-1.0-py3-none-any.whl', indexes),
    ).toEqual({
      authorization: basic('ci', 's3cr@t-pw'),
    });
    expect(authorizationFor('https://other.example/f/x.whl', indexes)).toEqual({
      authorization: basic('bot', 'tok3n'),
    });
    expect(authorizationFor('https://files.pythonhosted.org/packages/x.whl', indexes)).toEqual({});
    expect(authorizationFor('http://pkgs.example/x.whl', indexes)).toEqual({});
  });

  test('passwords are secrets, raw and decoded', () => {
    expect(indexSecrets(indexes).sort()).toEqual(['s3cr%40t-pw', 's3cr@t-pw', 'tok3n'].sort());
    expect(indexSecrets({ indexUrl: '', extraIndexUrls: [] })).toEqual([]);
  });

  test("indexes travel as each tool's environment variables, only when given", () => {
    expect(indexEnv(indexes, 'pip')).toEqual({
      PIP_INDEX_URL: indexes.indexUrl,
      PIP_EXTRA_INDEX_URL: indexes.extraIndexUrls.join(' '),
    });
    expect(indexEnv(indexes, 'uv')).toEqual({
      UV_DEFAULT_INDEX: indexes.indexUrl,
      UV_INDEX_URL: undefined,
      UV_INDEX: indexes.extraIndexUrls.join(' '),
      UV_EXTRA_INDEX_URL: undefined,
    });
    expect(indexEnv({ indexUrl: '', extraIndexUrls: [] }, 'uv')).toEqual({});
  });

  test('a bad URL is an input error that does not show the password', () => {
    expect(() => checkIndexUrl('index-url', 'ftp://u:hunter22@host/simple')).toThrow(
      "Input 'index-url' must be an http(s) URL of a simple index (got 'ftp://u:***@host/simple')",
    );
    expect(() => checkIndexUrl('extra-index-url', 'not a url')).toThrow(
      "Input 'extra-index-url' must be an http(s) URL",
    );
    expect(checkIndexUrl('index-url', 'http://127.0.0.1:8080/simple/')).toBe('http://127.0.0.1:8080/simple/');
  });
});

describe('hardening 3', () => {
  test('hardening 3: a token alone in an index URL is a secret', () => {
    expect(indexSecrets({ indexUrl: 'https://t0ken-only@pkgs.example/simple', extraIndexUrls: [] })).toEqual([
      't0ken-only',
    ]);
  });

  test('hardening 3: a refused index URL never shows its credentials', () => {
    expect(() => checkIndexUrl('index-url', 'ftp://t0ken-only@host/simple')).toThrow(
      "Input 'index-url' must be an http(s) URL of a simple index (got 'ftp://***@host/simple')",
    );
    expect(() => checkIndexUrl('index-url', 'https://ci:pa/ss-w0rd@host/simple')).toThrow(
      "Input 'index-url' must be an http(s) URL of a simple index (got a value that is not a URL)",
    );
  });
});
