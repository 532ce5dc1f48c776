import { InputError } from '@forge-actions/action-kit/errors';
import type { PythonSpec } from '@forge-actions/version/python';

export type EmbedArch = 'amd64' | 'win32' | 'arm64';
export const EMBED_ARCHES: readonly EmbedArch[] = ['amd64', 'win32', 'arm64'];

export interface PythonVersion {
  /** As python.org spells it in file names: `3.11.9`, `3.13.0rc2`. */
  text: string;
  /** The release folder on the mirror: `3.13.0` for `3.13.0rc2`. */
  release: string;
  major: number;
  minor: number;
  patch: number;
  /** Pre-release part as written (`a1`, `b3`, `rc2`), or ''. */
  pre: string;
  /** Valid semver for the tool cache folder: `3.13.0-rc.2`. */
  cacheVersion: string;
  /** The DLL / ._pth / stdlib zip stem: `python311`. */
  stem: string;
}

// The semver spelling @forge-actions/version's pep440ToSemver gives (3.13.0rc2 → 3.13.0-rc.2), restated
// for Python's three pre-release kinds so this bundle does not load that package's TOML/JSON parsers
// on every start; a test keeps the two in step.
const SEMVER_PRE: Record<string, string> = { a: 'alpha', b: 'beta', rc: 'rc' };

/** Embeddable zips exist from Python 3.5 on: a version (or line) outside that is an input error. */
export function checkEmbeddable(spec: PythonSpec): void {
  if (spec.major !== 3 || spec.minor < 5) {
    throw new InputError(
      spec.input,
      `${spec.text} has no Windows embeddable zip: they exist from Python 3.5.0 on`,
    );
  }
}

/** The names of one release (X.Y.Z or X.Y.Z{a|b|rc}N, 3.5 or later) on the mirror and in the cache. */
export function embedVersion(spec: PythonSpec): PythonVersion {
  checkEmbeddable(spec);
  if (spec.patch === undefined) throw new Error(`${spec.text} is a minor line, not a release`);
  const { major, minor, patch, pre } = spec;
  const release = `${major}.${minor}.${patch}`;
  const [, label, number] = /^(a|b|rc)(\d+)$/.exec(pre) ?? [];
  return {
    text: spec.text,
    release,
    major,
    minor,
    patch,
    pre,
    cacheVersion: label ? `${release}-${SEMVER_PRE[label]}.${Number(number)}` : release,
    stem: `python${major}${minor}`,
  };
}
