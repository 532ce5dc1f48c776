import { InputError } from '@forge-actions/action-kit/errors';

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

const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:(a|b|rc)(\d+))?$/;

// The semver spelling @forge-actions/version's pep440ToSemver gives (3.13.0rc2 → 3.13.0-rc.2), restated
// for Python's three pre-release kinds so this bundle does not load that package's TOML/JSON parsers
// on every start; a test keeps the two in step.
const SEMVER_PRE: Record<string, string> = { a: 'alpha', b: 'beta', rc: 'rc' };

/** Reads `X.Y.Z` or `X.Y.Z{a|b|rc}N`; anything else (`3.11`, `v3.11.9`, `3.11.9.post1`) is an input error. */
export function parsePythonVersion(text: string, input = 'python-version'): PythonVersion {
  const match = VERSION.exec(text);
  if (!match) {
    throw new InputError(
      input,
      `must be a full Python version X.Y.Z, optionally with a1, b1 or rc1 (got '${text}')`,
    );
  }
  const [major, minor, patch] = [match[1], match[2], match[3]].map(Number);
  if (major !== 3 || minor < 5) {
    throw new InputError(input, `${text} has no Windows embeddable zip: they exist from Python 3.5.0 on`);
  }
  const release = `${major}.${minor}.${patch}`;
  const [label, number] = [match[4], match[5]];
  return {
    text,
    release,
    major,
    minor,
    patch,
    pre: label ? `${label}${number}` : '',
    cacheVersion: label ? `${release}-${SEMVER_PRE[label]}.${Number(number)}` : release,
    stem: `python${major}${minor}`,
  };
}
