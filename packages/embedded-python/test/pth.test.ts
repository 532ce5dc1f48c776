import { describe, expect, test } from '@jest/globals';
import { checkExtraPaths, patchPth } from '../src/pth.js';

/** python-3.11.9-embed-amd64.zip's python311._pth, byte for byte (CRLF). */
const REAL_311 = 'python311.zip\r\n.\r\n\r\n# Uncomment to run site.main() automatically\r\n#import site\r\n';

describe('patchPth', () => {
  test("python.org's 3.11 file: paths after '.', import site uncommented, CRLF kept", () => {
    const result = patchPth(REAL_311, { sitePackages: true, extraPaths: ['../app/src'] });
    expect(result.text).toBe(
      'python311.zip\r\n.\r\nLib\\site-packages\r\n../app/src\r\n\r\n# Uncomment to run site.main() automatically\r\nimport site\r\n',
    );
    expect(result).toMatchObject({
      changed: true,
      added: ['Lib\\site-packages', '../app/src'],
      importSite: 'uncommented',
    });
  });

  test.each([
    ['CRLF', REAL_311],
    ['LF', REAL_311.replace(/\r\n/g, '\n')],
  ])('is idempotent with %s line endings, which it keeps', (_eol, original) => {
    const changes = { sitePackages: true, extraPaths: ['../app/src', '..\\app\\lib'] };
    const once = patchPth(original, changes);
    const twice = patchPth(once.text, changes);
    expect(twice).toEqual({ text: once.text, changed: false, added: [], importSite: 'already enabled' });
    const eol = original.includes('\r\n') ? '\r\n' : '\n';
    expect(
      once.text
        .split(eol)
        .slice(0, -1)
        .every((line) => !line.includes('\r') && !line.includes('\n')),
    ).toBe(true);
    expect(once.text.endsWith(eol)).toBe(true);
    expect(once.text.match(/^import site$/gm)).toHaveLength(1);
  });

  test('paths already present in another spelling are not added again', () => {
    const text = 'python311.zip\n.\nlib/Site-Packages/\n../app/src\nimport site\n';
    const result = patchPth(text, { sitePackages: true, extraPaths: ['..\\app\\src'] });
    expect(result).toEqual({ text, changed: false, added: [], importSite: 'already enabled' });
  });

  test('uncomments exactly one import site', () => {
    const text = 'python312.zip\n.\n#import site\n# import site\n';
    expect(patchPth(text, { sitePackages: true, extraPaths: [] }).text).toBe(
      'python312.zip\n.\nLib\\site-packages\nimport site\n# import site\n',
    );
  });

  test('adds import site when the file has none, and a final line break', () => {
    expect(patchPth('python38.zip\r\n.', { sitePackages: true, extraPaths: [] }).text).toBe(
      'python38.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n',
    );
  });

  test('site-packages off: only the extra paths, import site left commented', () => {
    const result = patchPth(REAL_311, { sitePackages: false, extraPaths: ['../app'] });
    expect(result.text).toBe(
      'python311.zip\r\n.\r\n../app\r\n\r\n# Uncomment to run site.main() automatically\r\n#import site\r\n',
    );
    expect(result.importSite).toBe('left alone');
  });

  test('nothing to do leaves the text untouched', () => {
    expect(patchPth(REAL_311, { sitePackages: false, extraPaths: [] })).toEqual({
      text: REAL_311,
      changed: false,
      added: [],
      importSite: 'left alone',
    });
  });

  test('a byte-order mark is kept', () => {
    expect(patchPth('\uFEFFpython311.zip\n.\n', { sitePackages: false, extraPaths: ['x'] }).text).toBe(
      '\uFEFFpython311.zip\n.\nx\n',
    );
  });
});

describe('checkExtraPaths', () => {
  test('relative paths inside the app pass, trimmed', () => {
    expect(checkExtraPaths([' ../app/src ', '..\\app\\lib', 'Lib\\extra', '..', 'a/../../b'])).toEqual([
      '../app/src',
      '..\\app\\lib',
      'Lib\\extra',
      '..',
      'a/../../b',
    ]);
  });

  test.each([
    ['C:\\Python\\Lib', "Input 'extra-paths' line 1 ('C:\\Python\\Lib') is an absolute path"],
    ['d:relative', "Input 'extra-paths' line 1 ('d:relative') is an absolute path"],
    ['/usr/lib/python3', "Input 'extra-paths' line 1 ('/usr/lib/python3') is an absolute path"],
    ['\\\\server\\share', 'is an absolute path'],
    ['../../outside', "Input 'extra-paths' line 1 ('../../outside') leads outside the app"],
    ['app\rimport os', 'holds a line break or control character'],
    ['import os', 'is not a path'],
    ['# comment', 'is not a path'],
  ])('%j fails', (line, message) => {
    expect(() => checkExtraPaths([line])).toThrow(message);
  });

  test('names the line', () => {
    expect(() => checkExtraPaths(['../app', 'E:\\x'])).toThrow("Input 'extra-paths' line 2 ('E:\\x')");
  });
});
