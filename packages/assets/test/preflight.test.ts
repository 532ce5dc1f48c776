import { describe, expect, test } from '@jest/globals';
import { GITHUB_MAX_ASSET_BYTES, githubStoredName, preflight } from '../src/preflight.js';

const file = (name: string, size = 10) => ({ name, path: `/ws/${name}`, size });

describe('preflight', () => {
  test('empty files are refused on GitHub (422), taken on Gitea (201, size 0)', () => {
    expect(() => preflight([file('a.zip'), file('empty.zip', 0)], 'github', [])).toThrow(
      /empty files, which GitHub refuses: .*empty\.zip/,
    );
    expect(preflight([file('a.zip'), file('empty.zip', 0)], 'gitea', []).warnings).toEqual([]);
  });

  test('GitHub: 2 GiB per asset', () => {
    expect(() => preflight([file('big.iso', GITHUB_MAX_ASSET_BYTES)], 'github', [])).toThrow(
      /under 2 GiB.*big\.iso/,
    );
    expect(preflight([file('big.iso', GITHUB_MAX_ASSET_BYTES)], 'gitea', []).warnings).toEqual([]);
  });

  test('GitHub: 1000 assets, counting those already there and not replaced', () => {
    const existing = Array.from({ length: 999 }, (_, i) => `old-${i}.bin`);
    expect(preflight([file('old-1.bin'), file('new.bin')], 'github', existing).warnings).toEqual([]);
    expect(() => preflight([file('new.bin'), file('new2.bin')], 'github', existing)).toThrow(/1001 assets/);
  });

  test('names GitHub would change are warned about', () => {
    expect(githubStoredName('App v1 (x64).zip')).toBe('App.v1..x64..zip');
    expect(githubStoredName('.hidden.')).toBe('hidden');
    expect(githubStoredName('App-1.0+build_2@x.tar.gz')).toBe('App-1.0+build_2@x.tar.gz');
    expect(preflight([file('My App.zip')], 'github', []).warnings).toEqual([
      "GitHub will store 'My App.zip' as 'My.App.zip'; rename the file to keep re-runs exact.",
    ]);
  });
});
