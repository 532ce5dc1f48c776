import { describe, expect, test } from '@jest/globals';
import { comparePep440, normalizePep440, parsePep440, pep440ToSemver } from '../src/pep440.js';
import { isStrictSemver } from './semver-check.js';

// Input → normalised form. Most rows are the examples of PEP 440's "Normalization" section; every row
// was checked once against the reference implementation (packaging.version.Version).
const NORMALISATION: Array<[string, string]> = [
  // case
  ['1.1RC1', '1.1rc1'],
  ['1.0A1', '1.0a1'],
  ['1.0.POST1', '1.0.post1'],
  ['1.0+UBUNTU', '1.0+ubuntu'],
  // integers
  ['00', '0'],
  ['09000', '9000'],
  ['01.02', '1.2'],
  ['1.0a01', '1.0a1'],
  ['1.0+foo0100', '1.0+foo0100'],
  ['1.0+ubuntu.01', '1.0+ubuntu.1'],
  // pre-release separators and spelling
  ['1.1.a1', '1.1a1'],
  ['1.1-a1', '1.1a1'],
  ['1.1_a1', '1.1a1'],
  ['1.0a.1', '1.0a1'],
  ['1.0-alpha-1', '1.0a1'],
  ['1.1alpha1', '1.1a1'],
  ['1.0alpha1', '1.0a1'],
  ['1.1beta2', '1.1b2'],
  ['1.1c3', '1.1rc3'],
  ['1.0c1', '1.0rc1'],
  ['1.0pre1', '1.0rc1'],
  ['1.0preview1', '1.0rc1'],
  ['1.0-rc.3', '1.0rc3'],
  // implicit pre-release number
  ['1.2a', '1.2a0'],
  ['1.0a', '1.0a0'],
  ['1.0.beta', '1.0b0'],
  // post-release separators, spelling, implicit number, implicit post release
  ['1.2-post2', '1.2.post2'],
  ['1.2post2', '1.2.post2'],
  ['1.2.post.2', '1.2.post2'],
  ['1.2-post-2', '1.2.post2'],
  ['1.0-r4', '1.0.post4'],
  ['1.0-rev4', '1.0.post4'],
  ['1.2.post', '1.2.post0'],
  ['1.0-post', '1.0.post0'],
  ['1.0-1', '1.0.post1'],
  // dev-release separators and implicit number
  ['1.2-dev2', '1.2.dev2'],
  ['1.2dev2', '1.2.dev2'],
  ['1.2.dev.2', '1.2.dev2'],
  ['1.2.dev', '1.2.dev0'],
  ['1.0.dev', '1.0.dev0'],
  // local versions
  ['1.0+ubuntu-1', '1.0+ubuntu.1'],
  ['1.0+ubuntu_1', '1.0+ubuntu.1'],
  ['1.0+abc.5', '1.0+abc.5'],
  // leading v, white space
  ['v1.0', '1.0'],
  ['V1.0', '1.0'],
  [' 1.0\n', '1.0'],
  // epochs
  ['1!2.0', '1!2.0'],
  ['0!1.0', '1.0'],
  ['2!1.0-rc-1', '2!1.0rc1'],
  // everything at once
  ['1.0a1.post2.dev3', '1.0a1.post2.dev3'],
  ['1.0-A1-POST2-DEV3+Local_Seg-7', '1.0a1.post2.dev3+local.seg.7'],
  ['v0.3.0-alpha.1', '0.3.0a1'],
  ['v0.3.0-beta.2', '0.3.0b2'],
  ['v0.3.0-rc.3', '0.3.0rc3'],
  ['1.2.3.dev0', '1.2.3.dev0'],
  ['1.2.3.post1', '1.2.3.post1'],
  ['2024.01.15', '2024.1.15'],
  ['1.0.0.0.1', '1.0.0.0.1'],
];

const NOT_PEP440 = [
  '',
  'v',
  'dev',
  'nightly',
  'vdev',
  'snapshot-2024',
  '1.2.3.4.x!',
  '1.0-',
  '1.0.',
  '.1',
  '1..0',
  '1.0+',
  '1.0+_foo',
  '1.0+foo..bar',
  '1.0a1a2',
  'a1',
  '1!',
  '1.0 foo',
  '1.0+ubuntu 1',
  '1.0.0-alpha.beta',
  '1.0.0-x.7.z.92',
];

describe('PEP 440 normalisation', () => {
  test.each(NORMALISATION)('%j → %s', (input, expected) => {
    expect(normalizePep440(input)).toBe(expected);
    // The normal form is a fixed point.
    expect(normalizePep440(expected)).toBe(expected);
  });

  test.each(NOT_PEP440)('%j is not PEP 440', (input) => {
    expect(parsePep440(input)).toBeUndefined();
  });

  test('numbers keep every digit', () => {
    expect(normalizePep440('20240115123456789012.1')).toBe('20240115123456789012.1');
  });
});

// PEP 440's "Summary of permitted suffixes and relative ordering" example, in ascending order,
// plus epochs, which outrank everything.
const ORDERED = [
  '1.dev0',
  '1.0.dev456',
  '1.0a1',
  '1.0a2.dev456',
  '1.0a12.dev456',
  '1.0a12',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0rc1.dev456',
  '1.0rc1',
  '1.0',
  '1.0+abc.5',
  '1.0+abc.7',
  '1.0+5',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.0.15',
  '1.1.dev1',
  '2024.1',
  '1!0.1',
];

describe('PEP 440 ordering', () => {
  const parse = (text: string) => {
    const parsed = parsePep440(text);
    if (!parsed) throw new Error(`not PEP 440: ${text}`);
    return parsed;
  };

  test('sorts the PEP 440 example list into its documented order', () => {
    const shuffled = [...ORDERED].reverse();
    shuffled.push(shuffled.shift() as string);
    expect(shuffled.sort((a, b) => comparePep440(parse(a), parse(b)))).toEqual(ORDERED);
  });

  test.each(ORDERED.slice(1).map((high, i) => [ORDERED[i], high]))('%s < %s', (low, high) => {
    expect(comparePep440(parse(low), parse(high))).toBeLessThan(0);
    expect(comparePep440(parse(high), parse(low))).toBeGreaterThan(0);
  });

  test.each([
    ['1.0', '1.0.0'],
    ['1', '1.0.0.0'],
    ['1.0+ABC', '1.0+abc'],
    ['1.0+ubuntu-1', '1.0+ubuntu.1'],
    ['v1.0a', '1.0a0'],
    ['0!1.0', '1.0'],
  ])('%s == %s', (a, b) => {
    expect(comparePep440(parse(a), parse(b))).toBe(0);
  });

  test.each([
    ['1.0a1', '1.0.0a2'],
    ['1.0', '1.0.0.1'],
    ['1.0+abc', '1.0+abc.1'],
    ['1.0+abc', '1.0+1'],
    ['1.0+9', '1.0+10'],
    ['1.0.dev1', '1.0a0.dev0'],
  ])('%s < %s', (a, b) => {
    expect(comparePep440(parse(a), parse(b))).toBeLessThan(0);
  });
});

describe('PEP 440 → semver', () => {
  test.each([
    ['1.2.0rc1', '1.2.0-rc.1'],
    ['1.2', '1.2.0'],
    ['1', '1.0.0'],
    ['0.3.0a1', '0.3.0-alpha.1'],
    ['0.3.0b2', '0.3.0-beta.2'],
    ['1.0.dev4', '1.0.0-dev.4'],
    ['1.0a2.dev3', '1.0.0-alpha.2.dev.3'],
    ['0.0.0.dev0', '0.0.0-dev.0'],
    ['1.0.post1', '1.0.0+post.1'],
    ['1.0+ubuntu-1', '1.0.0+ubuntu.1'],
    ['1.2.3.4', '1.2.3+release.4'],
    ['1!2.0', '2.0.0+epoch.1'],
    ['01.02.03', '1.2.3'],
    ['1.0.post2+abc.7', '1.0.0+post.2.abc.7'],
  ])('%s → %s', (pep, expected) => {
    const parsed = parsePep440(pep);
    expect(parsed && pep440ToSemver(parsed)).toBe(expected);
    expect(isStrictSemver(expected)).toBe(true);
  });

  test('every normalisation row has a valid semver spelling', () => {
    for (const [input] of NORMALISATION) {
      const parsed = parsePep440(input);
      const spelled = parsed && pep440ToSemver(parsed);
      expect([input, spelled && isStrictSemver(spelled)]).toEqual([input, true]);
    }
  });
});
