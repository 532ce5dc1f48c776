import { parsePythonSpec } from '@forge-actions/version/python';
import { describe, expect, test } from '@jest/globals';
import { pep440StringToSemver } from '../../version/src/normalize.js';
import { embedZipUrl, msiFolderUrl, whyNoEmbedZip } from '../src/mirror.js';
import { checkEmbeddable, embedVersion } from '../src/version.js';

const MIRROR = 'https://www.python.org/ftp/python';
const parsePythonVersion = (text: string) => embedVersion(parsePythonSpec(text));

describe('embedVersion', () => {
  test.each([
    ['3.11.9', { release: '3.11.9', pre: '', cacheVersion: '3.11.9', stem: 'python311' }],
    ['3.13.0rc2', { release: '3.13.0', pre: 'rc2', cacheVersion: '3.13.0-rc.2', stem: 'python313' }],
    ['3.14.0a1', { release: '3.14.0', pre: 'a1', cacheVersion: '3.14.0-alpha.1', stem: 'python314' }],
    ['3.12.0b4', { release: '3.12.0', pre: 'b4', cacheVersion: '3.12.0-beta.4', stem: 'python312' }],
  ])('%s', (text, expected) => {
    expect(parsePythonVersion(text)).toMatchObject({ text, ...expected });
  });

  test.each(['3.11.9', '3.13.0rc2', '3.14.0a1', '3.12.0b4', '3.13.0rc10'])(
    '%s: the cache version is what @forge-actions/version calls its semver form',
    (text) => {
      expect(parsePythonVersion(text).cacheVersion).toBe(pep440StringToSemver(text));
    },
  );

  test('versions and lines without an embeddable zip are refused, naming their input', () => {
    expect(() => parsePythonVersion('2.7.18')).toThrow(
      "Input 'python-version' 2.7.18 has no Windows embeddable zip",
    );
    expect(() => parsePythonVersion('3.4.4')).toThrow('they exist from Python 3.5.0 on');
    expect(() => checkEmbeddable(parsePythonSpec('3.4', 'python-version-file'))).toThrow(
      "Input 'python-version-file' 3.4 has no Windows embeddable zip",
    );
    expect(() => checkEmbeddable(parsePythonSpec('3.5'))).not.toThrow();
  });
});

describe('mirror layout', () => {
  test('zip and MSI folder URLs, pre-releases included', () => {
    expect(embedZipUrl(MIRROR, parsePythonVersion('3.11.9'), 'amd64')).toBe(
      'https://www.python.org/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip',
    );
    expect(embedZipUrl(MIRROR, parsePythonVersion('3.13.0rc2'), 'arm64')).toBe(
      'https://www.python.org/ftp/python/3.13.0/python-3.13.0rc2-embed-arm64.zip',
    );
    expect(msiFolderUrl(MIRROR, parsePythonVersion('3.11.9'), 'win32')).toBe(
      'https://www.python.org/ftp/python/3.11.9/win32/',
    );
    expect(msiFolderUrl(MIRROR, parsePythonVersion('3.13.0rc2'), 'amd64')).toBe(
      'https://www.python.org/ftp/python/3.13.0/amd64rc2/',
    );
  });

  test('the 404 explanation names the reason', () => {
    expect(whyNoEmbedZip(parsePythonVersion('3.11.12'), 'amd64')).toBe(
      '3.11.12 is a security-only release, which python.org publishes as source only: the last 3.11 with Windows binaries is 3.11.9',
    );
    expect(whyNoEmbedZip(parsePythonVersion('3.10.4'), 'arm64')).toBe(
      'arm64 embeddable zips start at Python 3.11; use amd64 or win32 for 3.10',
    );
    expect(whyNoEmbedZip(parsePythonVersion('3.13.99'), 'amd64')).toMatch(
      /bugfix releases only \(security-only releases such as 3\.10\.12\+, 3\.11\.10\+ and 3\.12\.11\+ have none; arm64 starts at 3\.11\)/,
    );
  });
});
