import { InputError } from '@forge-actions/action-kit/errors';
import { expandTemplate } from '@forge-actions/action-kit/template';
import { describe, expect, test } from '@jest/globals';
import { parseDownloadRows } from '../src/downloads.js';
import { tagNameProblem } from '../src/tag-name.js';

const values = { tag: 'v1.2.0-rc.1', version: '1.2.0-rc.1' };

describe('download rows and templates', () => {
  test('rows expand {tag} and {version}', () => {
    expect(
      parseDownloadRows(['Windows | App-{tag}-setup.exe', ' Wheel |app-{version}.whl '], values),
    ).toEqual([
      { label: 'Windows', file: 'App-v1.2.0-rc.1-setup.exe' },
      { label: 'Wheel', file: 'app-1.2.0-rc.1.whl' },
    ]);
  });

  test.each([['no bar here'], ['| file-only'], ['Label |'], ['a | b | c']])(
    'row %p names the input',
    (line) => {
      expect(() => parseDownloadRows([line], values)).toThrow(InputError);
      expect(() => parseDownloadRows([line], values)).toThrow(/^Input 'downloads' row 1 must be/);
    },
  );

  test('unknown placeholders name the input they are in', () => {
    expect(() => expandTemplate('name', 'App {ver}', values)).toThrow(
      "Input 'name' has an unknown placeholder {ver}",
    );
    expect(expandTemplate('name', 'App {tag}', values)).toBe('App v1.2.0-rc.1');
  });
});

describe('tag names', () => {
  test.each(['v1.0.0', 'v0.3.0-alpha.1', 'release/2024.1', 'V1_0+build'])('%p is valid', (tag) => {
    expect(tagNameProblem(tag)).toBeUndefined();
  });
  test.each([
    '',
    'v1 0',
    'v1..0',
    'a:b',
    'x~1',
    'a^',
    'q?',
    'st*r',
    'br[',
    'back\\slash',
    'a@{b',
    'x.lock',
    '/lead',
    'trail/',
    'end.',
    '-dash',
    '@',
    'a//b',
    'a/.b',
  ])('%p is rejected', (tag) => {
    expect(tagNameProblem(tag)).toBeDefined();
  });
});
