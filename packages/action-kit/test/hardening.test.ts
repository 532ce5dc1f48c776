import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../src/errors.js';
import { Inputs } from '../src/inputs.js';
import { isInside, isReallyInside, realPath } from '../src/paths.js';
import { noCommands, printable } from '../src/printable.js';
import { redact } from '../src/secrets.js';
import { credentialSpellings } from '../src/url-credentials.js';

describe('isInside (hardening 14: one path-inside check, right)', () => {
  test.each([
    ['/w', '/w', true],
    ['/w', '/w/a', true],
    ['/w', '/w/..dist', true],
    ['/w', '/w/..dist/x', true],
    ['/w', '/w/...', true],
    ['/w', '/w/a/../b', true],
    ['/w', '/w/..', false],
    ['/w', '/w/../x', false],
    ['/w', '/wx', false],
    ['/w', '/', false],
  ])('isInside(%s, %s) is %s', (root, target, inside) => {
    expect(isInside(root, target)).toBe(inside);
  });

  test('symlinks are resolved on both sides, also for a tail that does not exist yet', () => {
    const root = mkdtempSync(join(tmpdir(), 'inside-'));
    const workspace = join(root, 'ws');
    const outside = join(root, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.toml'), '');
    symlinkSync(join(outside, 'secret.toml'), join(workspace, 'link.toml'));
    symlinkSync(outside, join(workspace, 'dir-link'));
    expect(isInside(workspace, join(workspace, 'link.toml'))).toBe(true);
    expect(isReallyInside(workspace, join(workspace, 'link.toml'))).toBe(false);
    expect(isReallyInside(workspace, join(workspace, 'dir-link', 'new', 'file'))).toBe(false);
    expect(realPath(join(workspace, 'dir-link', 'new'))).toBe(join(realPath(outside), 'new'));
    expect(isReallyInside(workspace, join(workspace, 'not-yet', 'file'))).toBe(true);
  });
});

describe('printable (hardening 12: untrusted strings cannot start a workflow command)', () => {
  test('control characters are escaped, other text is kept', () => {
    expect(printable('a\n::warning::pwned.txt')).toBe('a\\n::warning::pwned.txt');
    expect(printable('x\r\ty\u001b[31m\u0085z')).toBe('x\\r\\ty\\u001b[31m\\u0085z');
    expect(printable('Ünïcode ok.whl')).toBe('Ünïcode ok.whl');
  });

  test('noCommands breaks every line a runner would parse as a command, and nothing else', () => {
    const out = noCommands(
      'uploaded a\n::warning::pwned\n  ::set-output name=x::y\r::error::z\nkeep :: this',
    );
    for (const line of out.split(/\r?\n|\r/)) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(out).toContain('keep :: this');
    expect(out.startsWith('uploaded a\n')).toBe(true);
  });
});

describe('Inputs.url (hardening 3: credentials in URL inputs)', () => {
  const metadata = { name: 'demo', outputs: [], inputs: { mirror: {} } };
  const read = (value: string) => new Inputs(metadata, { INPUT_MIRROR: value }).url('mirror');

  test('user and password are masked in every spelling', () => {
    const url = read('https://builder:p%40ss-w0rd@mirror.example/python/');
    expect(url?.hostname).toBe('mirror.example');
    const shown = redact('from https://builder:p%40ss-w0rd@mirror.example and p@ss-w0rd and builder');
    expect(shown).not.toContain('p%40ss-w0rd');
    expect(shown).not.toContain('p@ss-w0rd');
    expect(shown).not.toContain('builder');
  });

  test('not a URL, or not http(s): one line naming the input, the value not echoed', () => {
    expect(() => read('ftp://u:hunter22x@host/')).toThrow(InputError);
    expect(() => read('ftp://u:hunter22x@host/')).toThrow(
      "Input 'mirror' must be an http:// or https:// URL",
    );
    expect(() => read('not a url hunter33x')).toThrow("Input 'mirror' must be an http:// or https:// URL");
    expect(redact('not a url hunter33x')).toBe('***');
  });

  test('empty is undefined', () => {
    expect(new Inputs(metadata, {}).url('mirror')).toBeUndefined();
  });
});

describe('Inputs.urlText (hardening 3: the value as typed, its credentials hidden)', () => {
  const metadata = { name: 'demo', outputs: [], inputs: { registry: {} } };
  const read = (value: string) => new Inputs(metadata, { INPUT_REGISTRY: value }).urlText('registry');

  test('a URL with credentials: returned as typed, user and password masked', () => {
    expect(read('https://deployer:s3cret-pw-1@registry.example')).toBe(
      'https://deployer:s3cret-pw-1@registry.example',
    );
    expect(redact('deployer s3cret-pw-1')).toBe('*** ***');
  });

  test('a value with @ that is no http(s) URL is hidden whole; it never throws', () => {
    expect(read('pusher:s3cret-pw-2@registry.example')).toBe('pusher:s3cret-pw-2@registry.example');
    expect(redact('login pusher:s3cret-pw-2@registry.example')).toBe('login ***');
  });

  test('a bare host:port has nothing to hide and stays readable in logs', () => {
    expect(read('127.0.0.1:5123')).toBe('127.0.0.1:5123');
    expect(redact('pushing to 127.0.0.1:5123')).toBe('pushing to 127.0.0.1:5123');
  });
});

describe('credentialSpellings (hardening 3: URL credentials in every spelling)', () => {
  test("every spelling of a URL's credentials is a secret, a token alone included", () => {
    expect(credentialSpellings('https://ci:s3cr%40t-pw@pkgs.example/simple').sort()).toEqual(
      ['https://ci:s3cr%40t-pw@pkgs.example/simple', 'ci', 's3cr%40t-pw', 's3cr@t-pw'].sort(),
    );
    expect(credentialSpellings('https://t0k%2Ben-only@pkgs.example/simple').sort()).toEqual(
      ['https://t0k%2Ben-only@pkgs.example/simple', 't0k%2Ben-only', 't0k+en-only'].sort(),
    );
    expect(credentialSpellings('https://pypi.org/simple')).toEqual([]);
    // Not a URL: where the credentials end cannot be told, so the whole value is one.
    expect(credentialSpellings('https://ci:pa/ss@host/simple')).toEqual(['https://ci:pa/ss@host/simple']);
  });

  test('Inputs.urlList registers each line that way and returns the lines as typed', () => {
    const metadata = { name: 'demo', outputs: [], inputs: { indexes: {} } };
    const lines = new Inputs(metadata, {
      INPUT_INDEXES: 'https://ci-robot:l1st-pw-9@one.example/simple\nhttps://two.example/simple',
    }).urlList('indexes');
    expect(lines).toEqual(['https://ci-robot:l1st-pw-9@one.example/simple', 'https://two.example/simple']);
    expect(redact('ci-robot l1st-pw-9 two.example')).toBe('*** *** two.example');
  });
});
