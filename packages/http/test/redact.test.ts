import { describe, expect, test } from '@jest/globals';
import { redactUrl, scrubSecrets, secretsOfAuthorization } from '../src/index.js';

describe('redactUrl', () => {
  test('removes user info and credential-like query values, keeps the rest', () => {
    const out = redactUrl(
      'https://user:s3cretpass@h.example/api/v1/repos/o/r/releases?page=2&token=abcd1234&limit=50',
    );
    expect(out).toBe('https://h.example/api/v1/repos/o/r/releases?page=2&token=***&limit=50');
    expect(out).not.toContain('s3cretpass');
    expect(out).not.toContain('abcd1234');
  });

  test('signed storage URLs lose their signatures', () => {
    const out = redactUrl(
      'https://objects.example/x?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA&sig=zzzzzz&response-content-type=a',
    );
    expect(out).not.toMatch(/deadbeef|AKIA|zzzzzz/);
    expect(out).toContain('response-content-type=a');
  });

  test('an unparsable URL keeps only what precedes the query', () => {
    expect(redactUrl('not a url?access_token=zzz')).toBe('not a url');
  });
});

describe('scrubbing', () => {
  test('every occurrence of a secret is masked', () => {
    expect(scrubSecrets('a tok-1234 b tok-1234', ['tok-1234'])).toBe('a *** b ***');
  });

  test('short values are not treated as secrets', () => {
    expect(scrubSecrets('abc', ['ab'])).toBe('abc');
  });

  test('Authorization values yield the credential itself', () => {
    expect(secretsOfAuthorization('token ghp_abcdef')).toContain('ghp_abcdef');
    expect(secretsOfAuthorization('Bearer ghp_abcdef')).toContain('ghp_abcdef');
    const basic = `Basic ${Buffer.from('user:hunter22').toString('base64')}`;
    expect(secretsOfAuthorization(basic)).toContain('hunter22');
    expect(secretsOfAuthorization(undefined)).toEqual([]);
  });
});
