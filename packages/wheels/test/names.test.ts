import { parsePythonSpec } from '@forge-actions/version/python';
import { describe, expect, test } from '@jest/globals';
import { isPureWheel, normalizeName, parseSdistName, parseWheelName, wheelRank } from '../src/names.js';
import { parseTarget, supportedTags } from '../src/target.js';

const supported = supportedTags(parseTarget(parsePythonSpec('3.11'), 'win_amd64', 'cp'));

describe('parseWheelName', () => {
  test('name normalised, tags expanded, build tag skipped', () => {
    expect(parseWheelName('PyYAML-6.0.1-cp311-cp311-win_amd64.whl')).toEqual({
      name: 'pyyaml',
      version: '6.0.1',
      tags: ['cp311-cp311-win_amd64'],
    });
    expect(parseWheelName('six-1.16.0-py2.py3-none-any.whl')?.tags).toEqual(['py2-none-any', 'py3-none-any']);
    expect(parseWheelName('pywin32-306-1-cp311-cp311-win_amd64.whl')).toMatchObject({
      name: 'pywin32',
      version: '306',
    });
  });

  test.each([
    'six-1.16.0.tar.gz',
    'six-1.16.0-py3-none.whl',
    'six-1.16.0--none-any.whl',
    'a-b-c-d-e-f-g.whl',
  ])('%s is not a wheel name', (file) => {
    expect(parseWheelName(file)).toBeUndefined();
  });
});

describe('wheelRank and isPureWheel', () => {
  test('the own ABI beats abi3 beats pure; other platforms and Pythons do not fit', () => {
    const rank = (file: string) => {
      const parsed = parseWheelName(file);
      return parsed && wheelRank(parsed, supported);
    };
    const cp311 = rank('x-1-cp311-cp311-win_amd64.whl') ?? -1;
    const abi3 = rank('x-1-cp37-abi3-win_amd64.whl') ?? -1;
    const pure = rank('x-1-py3-none-any.whl') ?? -1;
    expect(cp311).toBeLessThan(abi3);
    expect(abi3).toBeLessThan(pure);
    expect(rank('x-1-py2.py3-none-any.whl')).toBe(pure);
    expect(rank('x-1-cp311-cp311-manylinux_2_17_x86_64.whl')).toBeUndefined();
    expect(rank('x-1-cp312-cp312-win_amd64.whl')).toBeUndefined();
    expect(rank('x-1-cp311-cp311-win32.whl')).toBeUndefined();
    expect(rank('x-1-py2-none-any.whl')).toBeUndefined();
  });

  test('pure means no ABI and any platform for every tag', () => {
    const pure = (file: string) =>
      isPureWheel(parseWheelName(file) ?? { name: '', version: '', tags: ['x'] });
    expect(pure('x-1-py3-none-any.whl')).toBe(true);
    expect(pure('x-1-py2.py3-none-any.whl')).toBe(true);
    expect(pure('x-1-cp311-cp311-linux_x86_64.whl')).toBe(false);
    expect(pure('x-1-py3-none-win_amd64.whl')).toBe(false);
  });
});

describe('names', () => {
  test('normalizeName follows PEP 503', () => {
    expect(normalizeName('Foo_Bar.baz--Qux')).toBe('foo-bar-baz-qux');
  });

  test('parseSdistName reads legacy names with hyphens', () => {
    expect(parseSdistName('docopt-0.6.2.tar.gz')).toEqual({ name: 'docopt', version: '0.6.2' });
    expect(parseSdistName('python-dateutil-2.8.2.tar.gz')).toEqual({
      name: 'python-dateutil',
      version: '2.8.2',
    });
    expect(parseSdistName('Foo-1.0.zip')).toEqual({ name: 'foo', version: '1.0' });
    expect(parseSdistName('foo-1.0.whl')).toBeUndefined();
  });
});
