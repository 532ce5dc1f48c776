import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { checkFetchInputs, type FetchInputs } from '../src/request.js';

const base: FetchInputs = {
  pythonVersion: '3.11.9',
  pythonVersionFile: '',
  arch: 'amd64',
  destination: 'dist/python',
  mirror: 'https://www.python.org/ftp/python',
  sha256: '',
  sitePackages: true,
  extraPaths: [],
  tkinter: false,
  cache: true,
  workspace: mkdtempSync(join(tmpdir(), 'fetch-request-')),
};

describe('hardening 3: mirror credentials', () => {
  test('hardening 3: user:password@ leaves the mirror URL and becomes a Basic header (decoded)', () => {
    const request = checkFetchInputs({ ...base, mirror: 'https://deploy:pa%2Fss%24@mirror.example/python/' });
    expect(request.mirror).toBe('https://mirror.example/python');
    expect(request.mirrorAuthorization).toBe(`Basic ${Buffer.from('deploy:pa/ss$').toString('base64')}`);
  });

  test('hardening 3: a mirror without credentials sends none', () => {
    const request = checkFetchInputs(base);
    expect(request.mirror).toBe('https://www.python.org/ftp/python');
    expect(request.mirrorAuthorization).toBe('');
  });

  test.each([
    [
      'ftp://deploy:s3cr3t-pw@mirror.example/python',
      "Input 'mirror' must be an http(s) URL (got 'ftp://mirror.example/python')",
    ],
    ['https://deploy:s3cr3t/pw@mirror.example/python', "Input 'mirror' must be an http(s) URL"],
  ])('hardening 3: a refused mirror (%s) is not echoed with its credentials', (mirror, message) => {
    let error: unknown;
    try {
      checkFetchInputs({ ...base, mirror });
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).toContain(message);
    expect(String(error)).not.toContain('s3cr3t');
  });
});
