import { describe, expect, test } from '@jest/globals';
import {
  compareVersionStrings,
  dockerTags,
  normalizeVersion,
  pep440StringToSemver,
  type VersionKind,
} from '../src/normalize.js';
import { normalizePep440 } from '../src/pep440.js';
import { isStrictSemver } from './semver-check.js';

type Row = [
  raw: string,
  clean: string,
  pep440: string,
  semver: string,
  prerelease: boolean,
  kind: VersionKind,
];

// As found → clean, PEP 440, semver, pre-release, kind.
const ROWS: Row[] = [
  // seed section 11.3 and the spec
  ['v0.3.0-alpha.1', '0.3.0-alpha.1', '0.3.0a1', '0.3.0-alpha.1', true, 'version'],
  ['v0.3.0-rc.3', '0.3.0-rc.3', '0.3.0rc3', '0.3.0-rc.3', true, 'version'],
  ['v1.0.0', '1.0.0', '1.0.0', '1.0.0', false, 'version'],
  ['v0.3.0-beta.2', '0.3.0-beta.2', '0.3.0b2', '0.3.0-beta.2', true, 'version'],
  ['0.3.0-ALPHA.1', '0.3.0-ALPHA.1', '0.3.0a1', '0.3.0-ALPHA.1', true, 'version'],
  // seed section 3: valid PEP 440 forms, kept
  ['1.2.3', '1.2.3', '1.2.3', '1.2.3', false, 'version'],
  ['1.2.3a1', '1.2.3a1', '1.2.3a1', '1.2.3-alpha.1', true, 'version'],
  ['1.2.3rc2', '1.2.3rc2', '1.2.3rc2', '1.2.3-rc.2', true, 'version'],
  ['1.2.3.dev0', '1.2.3.dev0', '1.2.3.dev0', '1.2.3-dev.0', true, 'version'],
  ['1.2.3.post1', '1.2.3.post1', '1.2.3.post1', '1.2.3+post.1', false, 'version'],
  ['1.2.3+local', '1.2.3+local', '1.2.3+local', '1.2.3+local', false, 'version'],
  // seed section 3: labels → 0.0.0.dev0
  ['dev', 'dev', '0.0.0.dev0', '0.0.0-dev.0', true, 'label'],
  ['vdev', 'vdev', '0.0.0.dev0', '0.0.0-dev.0', true, 'label'],
  ['nightly', 'nightly', '0.0.0.dev0', '0.0.0-dev.0', true, 'label'],
  ['snapshot-2024', 'snapshot-2024', '0.0.0.dev0', '0.0.0-dev.0', true, 'label'],
  // seed section 10.1's fallback __version__
  ['0.0.0-dev', '0.0.0-dev', '0.0.0.dev0', '0.0.0-dev', true, 'version'],
  // semver pre-releases and build metadata in PEP 440 spelling
  ['v2.0.0-dev.3', '2.0.0-dev.3', '2.0.0.dev3', '2.0.0-dev.3', true, 'version'],
  ['1.0.0-alpha.1.dev.2', '1.0.0-alpha.1.dev.2', '1.0.0a1.dev2', '1.0.0-alpha.1.dev.2', true, 'version'],
  ['1.0.0-rc1', '1.0.0-rc1', '1.0.0rc1', '1.0.0-rc1', true, 'version'],
  ['1.0.0+build.5', '1.0.0+build.5', '1.0.0+build.5', '1.0.0+build.5', false, 'version'],
  ['1.0.0-alpha+001', '1.0.0-alpha+001', '1.0.0a0+1', '1.0.0-alpha+001', true, 'version'],
  // PEP 440 spellings that are not semver
  ['v1.2.0rc1', '1.2.0rc1', '1.2.0rc1', '1.2.0-rc.1', true, 'version'],
  ['1.2', '1.2', '1.2', '1.2.0', false, 'version'],
  ['v01.02', '01.02', '1.2', '1.2.0', false, 'version'],
  ['1.0-1', '1.0-1', '1.0.post1', '1.0.0+post.1', false, 'version'],
  ['1!2.0', '1!2.0', '1!2.0', '2.0.0+epoch.1', false, 'version'],
  ['1.0c1', '1.0c1', '1.0rc1', '1.0.0-rc.1', true, 'version'],
  ['1.0+ubuntu-1', '1.0+ubuntu-1', '1.0+ubuntu.1', '1.0.0+ubuntu.1', false, 'version'],
  // neither
  ['1.2.3.4.x!', '1.2.3.4.x!', '0.0.0.dev0', '0.0.0-dev.0', true, 'invalid'],
  ['feature/x', 'feature/x', '0.0.0.dev0', '0.0.0-dev.0', true, 'invalid'],
  ['', '', '0.0.0.dev0', '0.0.0-dev.0', true, 'invalid'],
];

describe('normalizeVersion', () => {
  test.each(ROWS)('%j', (raw, clean, pep440, semver, prerelease, kind) => {
    const v = normalizeVersion(raw, { prereleasePattern: /(alpha|beta|rc)/i });
    expect({
      clean: v.clean,
      pep440: v.pep440,
      semver: v.semver,
      prerelease: v.prerelease,
      kind: v.kind,
    }).toEqual({
      clean,
      pep440,
      semver,
      prerelease,
      kind,
    });
    expect(v.raw).toBe(raw.trim());
    // The PEP 440 form is always a valid, already normalised version; the semver form always valid.
    expect(normalizePep440(v.pep440)).toBe(v.pep440);
    expect(isStrictSemver(v.semver)).toBe(true);
  });

  test('labels and unreadable strings carry a warning; faithful versions none', () => {
    expect(normalizeVersion('nightly').warning).toBe(
      "'nightly' is a label, not a PEP 440 version; using 0.0.0.dev0",
    );
    expect(normalizeVersion('1.2.3.4.x!').warning).toBe("'1.2.3.4.x!' is not a version; using 0.0.0.dev0");
    expect(normalizeVersion('v0.3.0-alpha.1').warning).toBeUndefined();
    expect(normalizeVersion('1.2').warning).toBeUndefined();
  });

  // Valid semver whose pre-release PEP 440 cannot spell (or would read as a post release).
  test.each([
    ['1.0.0-1', '1.0.0.dev1', true],
    ['v1.0.0-SNAPSHOT', '1.0.0.dev0', true],
    ['1.0.0-alpha.beta', '1.0.0.dev0', true],
    ['1.0.0-post.2', '1.0.0.dev2', true],
    ['1.0.0+a--b', '1.0.0+a.b', false],
  ])('semver %s has no PEP 440 twin: %s with a warning', (raw, pep440, prerelease) => {
    const v = normalizeVersion(raw);
    expect(v.pep440).toBe(pep440);
    expect(v.kind).toBe('version');
    expect(v.prerelease).toBe(prerelease);
    expect(v.warning).toBe(`'${raw}' has no PEP 440 equivalent; using ${pep440}`);
  });

  test('a tag prefix is dropped before the leading v', () => {
    const v = normalizeVersion('app-v1.2.3-rc.1', { prefix: 'app-' });
    expect([v.raw, v.clean, v.pep440]).toEqual(['app-v1.2.3-rc.1', '1.2.3-rc.1', '1.2.3rc1']);
    expect(normalizeVersion('other-1.0', { prefix: 'app-' }).kind).toBe('label');
    // A tag that only shares the prefix keeps it.
    expect(normalizeVersion('dev-1', { prefix: 'dev' })).toMatchObject({ clean: 'dev-1', kind: 'label' });
    expect(normalizeVersion('app-nightly', { prefix: 'app-' })).toMatchObject({ clean: 'app-nightly' });
  });

  test('the pre-release pattern marks versions, but not through their build / local part', () => {
    const pattern = /(alpha|beta|rc|preview)/i;
    expect(normalizeVersion('1.2.3+src.1', { prereleasePattern: pattern }).prerelease).toBe(false);
    expect(normalizeVersion('1.2.3', { prereleasePattern: /^1\./ }).prerelease).toBe(true);
    expect(normalizeVersion('1.2.3').prerelease).toBe(false);
    expect(normalizeVersion('1.2.3.post1').prerelease).toBe(false);
  });
});

describe('comparison', () => {
  test.each([
    ['v1.2.0-rc.3', 'v1.2.0'],
    ['v1.2.0-alpha.1', 'v1.2.0-beta.1'],
    ['1.2.0rc1', '1.2.0-rc.2'],
    ['nightly', '0.0.1'],
    ['v1.9.0', 'v1.10.0'],
    ['1.0.0', '1.0.0.post1'],
  ])('%s < %s', (low, high) => {
    expect(compareVersionStrings(low, high)).toBeLessThan(0);
    expect(compareVersionStrings(high, low)).toBeGreaterThan(0);
  });

  test('v1.2 equals 1.2.0', () => {
    expect(compareVersionStrings('v1.2', '1.2.0')).toBe(0);
  });
});

describe('pep440StringToSemver', () => {
  test.each([
    ['1.2.0rc1', '1.2.0-rc.1'],
    ['1.2', '1.2.0'],
    ['2.0b3', '2.0.0-beta.3'],
    ['not a version', undefined],
  ])('%s → %s', (pep, expected) => {
    expect(pep440StringToSemver(pep)).toBe(expected);
  });
});

describe('dockerTags', () => {
  test.each([
    ['1.2.3', true, ['1.2.3', 'latest']],
    ['1.2.3-rc.1', false, ['1.2.3-rc.1']],
    ['1.0.0+build.5', true, ['1.0.0-build.5', 'latest']],
    ['feature/x', false, ['feature-x']],
    ['.hidden', false, ['hidden']],
    ['', false, []],
  ] as const)('%j (latest %s) → %j', (clean, latest, tags) => {
    expect(dockerTags(clean, latest)).toEqual(tags);
  });

  test('a tag is at most 128 characters', () => {
    expect(dockerTags(`1.0.0+${'a'.repeat(200)}`, false)[0]).toHaveLength(128);
  });
});
