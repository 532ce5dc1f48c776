import { describe, expect, test } from '@jest/globals';
import { constraintViolations, parseConstraints } from '../src/constraints.js';

describe('parseConstraints', () => {
  test('names and specifiers; options, direct references and comments pass unchecked', () => {
    expect(
      parseConstraints([
        'numpy>=1.24.0,<2.0  # soundcard uses numpy.fromstring',
        '# a comment',
        'Pillow[extra] ==12.1.1',
        'pywin32 (>=306)',
        'colorama; sys_platform == "win32"',
        '-c other.txt',
        'mylib @ https://example.org/mylib-1.0-py3-none-any.whl',
      ]),
    ).toEqual([
      { text: 'numpy>=1.24.0,<2.0', name: 'numpy', specifier: '>=1.24.0,<2.0', marker: undefined },
      { text: 'Pillow[extra] ==12.1.1', name: 'pillow', specifier: '==12.1.1', marker: undefined },
      { text: 'pywin32 (>=306)', name: 'pywin32', specifier: '>=306', marker: undefined },
      {
        text: 'colorama; sys_platform == "win32"',
        name: 'colorama',
        specifier: '',
        marker: 'sys_platform == "win32"',
      },
    ]);
  });

  test.each(['numpy<<2', 'numpy=2', 'numpy~=2', 'numpy>=1.0,', '>=1.0'])(
    '%s is an input error naming the line',
    (line) => {
      expect(() => parseConstraints(['six', line])).toThrow(
        `Input 'constraints' line 2 is not a project with a PEP 440 version specifier (got '${line}')`,
      );
    },
  );
});

describe('constraintViolations', () => {
  const constraints = parseConstraints([
    'numpy<2',
    'Foo_Bar>=1.0,!=1.5',
    'colorama<0.4; sys_platform == "win32"',
  ]);
  const wheel = (name: string, version: string) => ({ name, version, file: `${name}-${version}-x.whl` });

  test('a version outside the specifier is one message per wheel, pre-releases of the bound included', () => {
    expect(
      constraintViolations(
        [
          wheel('numpy', '1.26.4'),
          wheel('numpy', '2.0.0'),
          wheel('numpy', '2.0.0rc1'),
          wheel('foo-bar', '1.5'),
          wheel('foo-bar', '1.6'),
          wheel('six', '1.16.0'),
        ],
        constraints,
      ),
    ).toEqual([
      "numpy-2.0.0-x.whl (numpy 2.0.0) violates the constraint 'numpy<2'",
      "numpy-2.0.0rc1-x.whl (numpy 2.0.0rc1) violates the constraint 'numpy<2'",
      "foo-bar-1.5-x.whl (foo-bar 1.5) violates the constraint 'Foo_Bar>=1.0,!=1.5'",
    ]);
  });

  test('constraints with a marker are left to the resolver', () => {
    expect(constraintViolations([wheel('colorama', '0.4.6')], constraints)).toEqual([]);
  });
});
