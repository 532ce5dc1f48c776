import { describe, expect, test } from '@jest/globals';
import { isValidTagName } from '../src/names.js';

describe('isValidTagName (git check-ref-format for refs/tags/<name>)', () => {
  test.each(['v1.0.0', 'v1.0.0-rc.1', 'release/2026-01', 'v1+build.5', 'V1', 'a@b'])('%s is valid', (tag) => {
    expect(isValidTagName(tag)).toBe(true);
  });

  test.each([
    '',
    '@',
    'v1..0',
    'v1 0',
    'v1~1',
    'v1^',
    'v1:0',
    'v1?',
    'v1*',
    'v1[0]',
    'v1\\0',
    'v1@{0}',
    'v1/',
    '/v1',
    'a//b',
    'v1.',
    '.v1',
    'a/.b',
    'v1.lock',
    'a.lock/b',
    'tab\there',
  ])('%j is invalid', (tag) => {
    expect(isValidTagName(tag)).toBe(false);
  });
});
