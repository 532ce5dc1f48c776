import { parsePythonSpec } from '@forge-actions/version/python';
import { describe, expect, test } from '@jest/globals';
import { checkWheels } from '../src/checks.js';
import { parseConstraints } from '../src/constraints.js';
import { parseTarget } from '../src/target.js';

const request = {
  target: parseTarget(parsePythonSpec('3.11'), 'win_amd64', 'cp'),
  constraints: parseConstraints(['numpy>=1.24,<2.0']),
  wheelDir: '/ws/build/win-wheels',
};

describe('checkWheels', () => {
  test('wheels for the target within the constraints pass', () => {
    expect(() =>
      checkWheels(
        [
          'numpy-1.26.4-cp311-cp311-win_amd64.whl',
          'six-1.16.0-py2.py3-none-any.whl',
          'pywin32-306-cp311-cp311-win_amd64.whl',
        ],
        request,
      ),
    ).not.toThrow();
  });

  test('a stray numpy 2 beside numpy 1: both problems in one line, nothing written', () => {
    expect(() =>
      checkWheels(
        ['numpy-1.26.4-cp311-cp311-win_amd64.whl', 'numpy-2.1.3-cp311-cp311-win_amd64.whl'],
        request,
      ),
    ).toThrow(
      'numpy-1.26.4-cp311-cp311-win_amd64.whl and numpy-2.1.3-cp311-cp311-win_amd64.whl are two versions of numpy ' +
        '(and 1 more problem(s)); nothing was written to /ws/build/win-wheels',
    );
    expect(() => checkWheels(['numpy-2.1.3-cp311-cp311-win_amd64.whl'], request)).toThrow(
      "numpy-2.1.3-cp311-cp311-win_amd64.whl (numpy 2.1.3) violates the constraint 'numpy>=1.24,<2.0'; nothing was written",
    );
  });

  test.each([
    'numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl',
    'numpy-1.26.4-cp312-cp312-win_amd64.whl',
    'numpy-1.26.4.tar.gz',
  ])('%s is not a wheel for the target', (file) => {
    expect(() => checkWheels([file], request)).toThrow(
      `${file} is not a wheel for cp311-win_amd64; nothing was written`,
    );
  });
});
