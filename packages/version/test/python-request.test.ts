import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { nearestVersions, newestMatching, parsePythonSpec, requestedPython } from '../src/python-request.js';

describe('parsePythonSpec', () => {
  test.each([
    ['3.11', { major: 3, minor: 11, patch: undefined, pre: '' }],
    ['3.11.9', { major: 3, minor: 11, patch: 9, pre: '' }],
    ['3.13.0rc2', { major: 3, minor: 13, patch: 0, pre: 'rc2' }],
    ['3.14.0a1', { major: 3, minor: 14, patch: 0, pre: 'a1' }],
  ])('%s', (text, expected) => {
    expect(parsePythonSpec(text)).toEqual({ text, input: 'python-version', ...expected });
  });

  test.each(['3', '3.11.x', 'v3.11', '3.11.9.post1', '3.11rc1', '>=3.11', '3.11 ', 'latest', ''])(
    '%j is refused, naming the input',
    (text) => {
      expect(() => parsePythonSpec(text, 'python-version-file')).toThrow(
        `Input 'python-version-file' must be a Python version X.Y or X.Y.Z, e.g. 3.11 or 3.11.9 (pre-releases as 3.13.0rc2) (got '${text}')`,
      );
    },
  );
});

describe('requestedPython', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'python-request-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(workspace, name), text);
    return name;
  };
  const fromFile = (name: string, text: string) =>
    requestedPython({ version: '', versionFile: file(name, text), workspace });

  test('python-version alone', () => {
    expect(requestedPython({ version: '3.12', versionFile: '', workspace })).toMatchObject({
      text: '3.12',
      input: 'python-version',
    });
  });

  test.each([
    ['3.11\n', '3.11'],
    ['# pinned\n\n  3.11.9  \r\n3.12\n', '3.11.9'],
    ['\uFEFF3.13.0rc2', '3.13.0rc2'],
  ])('a .python-version file %j: its first line that is neither empty nor a comment', (text, version) => {
    expect(fromFile('.python-version', text)).toMatchObject({ text: version, input: 'python-version-file' });
  });

  test('python-version-file replaces a default python-version, not one the workflow set', () => {
    const versionFile = file('default.txt', '3.12\n');
    expect(requestedPython({ version: '3.11', versionIsDefault: true, versionFile, workspace }).text).toBe(
      '3.12',
    );
    expect(
      requestedPython({ version: '3.11', versionIsDefault: true, versionFile: '', workspace }).text,
    ).toBe('3.11');
    expect(() => requestedPython({ version: '3.11', versionFile, workspace })).toThrow(
      "Input 'python-version' and 'python-version-file' are both set: give one of them",
    );
  });

  test('neither is an error naming python-version', () => {
    expect(() => requestedPython({ version: '', versionFile: '', workspace })).toThrow(
      "Input 'python-version' is required: give it or python-version-file",
    );
  });

  test('a missing file, or a folder, names the input and the path', () => {
    mkdirSync(join(workspace, 'a-folder'));
    for (const name of ['missing', 'a-folder']) {
      expect(() => requestedPython({ version: '', versionFile: name, workspace })).toThrow(
        `Input 'python-version-file' names no file: ${join(workspace, name)}`,
      );
    }
  });

  test.each([
    ['# only a comment\n\n', '{path} holds no version (only empty and # comment lines)'],
    [
      '3.11.9/envs/tools\n',
      "line 1 of {path} ('3.11.9/envs/tools') is a pyenv virtualenv, not a Python version",
    ],
    [
      '# other\npypy3.10-7.3.12\n',
      "line 2 of {path} ('pypy3.10-7.3.12') is a pyenv name of another Python than CPython",
    ],
    ['system\n', "line 1 of {path} ('system') is a pyenv name of another Python than CPython"],
    [
      '3.11.x\n',
      "line 1 of {path} ('3.11.x') is not a Python version: write a CPython version such as 3.11 or 3.11.9",
    ],
  ])('%j is refused with one line naming the input', (text, message) => {
    expect(() => fromFile('refused', text)).toThrow(
      `Input 'python-version-file' ${message.replace('{path}', join(workspace, 'refused'))}`,
    );
  });
});

describe('newestMatching', () => {
  const available = [
    '3.10.11',
    '3.11.10',
    '3.11.9',
    '3.11.8',
    '3.12.0rc1',
    '3.11.11rc1',
    'doc',
    '3.12',
    'index.json',
  ];

  test.each([
    ['3.11', '3.11.10'],
    ['3.11.9', '3.11.9'],
    ['3.12', undefined], // a line picks final releases only
    ['3.12.0rc1', '3.12.0rc1'],
    ['3.11.12', undefined],
    ['3.9', undefined],
  ])('%s → %s', (spec, expected) => {
    expect(newestMatching(spec, available)).toBe(expected);
    expect(newestMatching(parsePythonSpec(spec), available)).toBe(expected);
  });

  test('versions compare by number, not as text; finals after their pre-releases', () => {
    expect(newestMatching('3.9', ['3.9.2', '3.9.10', '3.9.9'])).toBe('3.9.10');
    expect(newestMatching('3.13.0', ['3.13.0rc2', '3.13.0'])).toBe('3.13.0');
    expect(nearestVersions('3.13', ['3.13.0rc2', '3.13.0b1', '3.13.0'])).toEqual(['3.13.0']);
  });
});

describe('nearestVersions', () => {
  const available = ['3.8.10', '3.8.20', '3.10.11', '3.11.9', '3.12.10', '3.13.0rc2', '3.14.0a1', '2.7.18'];

  test.each([
    ['3.9', ['3.8.20', '3.10.11', '3.11.9']], // equally near 3.8 and 3.10: both; then the newer 3.11
    ['3.11', ['3.10.11', '3.11.9', '3.12.10']],
    ['3.11.12', ['3.10.11', '3.11.9', '3.12.10']],
    ['3.14', ['3.10.11', '3.11.9', '3.12.10']], // 3.13 and 3.14 have pre-releases only
    ['2.6', ['2.7.18', '3.8.20', '3.10.11']],
  ])('%s → %j, oldest first', (spec, expected) => {
    expect(nearestVersions(spec, available)).toEqual(expected);
  });

  test('count, and nothing to offer', () => {
    expect(nearestVersions('3.11', available, 1)).toEqual(['3.11.9']);
    expect(nearestVersions('3.11', ['3.13.0rc2', 'doc'])).toEqual([]);
  });
});
