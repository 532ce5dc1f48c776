// The Python version a workflow asks for: the python-version input or a `.python-version` file (as
// actions/setup-python reads it), and which release of a mirror's list satisfies it. Its own subpath
// (`@forge-actions/version/python`), so the actions that need only this do not load the TOML/JSON parsers.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';

/** A requested version: a minor line `3.11` (its newest final release) or one release `3.11.9`, `3.13.0rc2`. */
export interface PythonSpec {
  /** As written. */
  text: string;
  major: number;
  minor: number;
  /** undefined for a minor line. */
  patch: number | undefined;
  /** Pre-release part as written (`a1`, `b3`, `rc2`), or ''. */
  pre: string;
  /** The input it came from, for messages: `python-version` or `python-version-file`. */
  input: string;
}

const SPEC = /^(\d+)\.(\d+)(?:\.(\d+)(?:(a|b|rc)(\d+))?)?$/;

/** A spec, or why `text` is none. */
function readSpec(text: string, input: string): PythonSpec | string {
  const match = SPEC.exec(text);
  if (!match) return 'must be a Python version X.Y or X.Y.Z, e.g. 3.11 or 3.11.9 (pre-releases as 3.13.0rc2)';
  return {
    text,
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: match[3] === undefined ? undefined : Number(match[3]),
    pre: match[4] ? `${match[4]}${match[5]}` : '',
    input,
  };
}

/** Reads `3.11`, `3.11.9` or `3.13.0rc2`; anything else is an input error naming `input`. */
export function parsePythonSpec(text: string, input = 'python-version'): PythonSpec {
  const spec = readSpec(text, input);
  if (typeof spec === 'string') throw new InputError(input, `${spec} (got '${text}')`);
  return spec;
}

/**
 * The version in a `.python-version` file: its first line that is neither empty nor a `#` comment, as
 * actions/setup-python takes it. pyenv's other names (`3.11.9/envs/tools`, `pypy3.10-7.3.12`, `system`)
 * name no CPython release and are refused, saying so.
 */
function readPythonVersionFile(path: string, input: string): PythonSpec {
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(input, `names no file: ${path}`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const index = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (index < 0) throw new InputError(input, `${path} holds no version (only empty and # comment lines)`);
  const line = lines[index].trim();
  const spec = readSpec(line, input);
  if (typeof spec !== 'string') return spec;
  const kind = line.includes('/')
    ? 'a pyenv virtualenv, not a Python version'
    : /^[a-z]/i.test(line)
      ? 'a pyenv name of another Python than CPython'
      : 'not a Python version';
  throw new InputError(
    input,
    `line ${index + 1} of ${path} ('${line}') is ${kind}: write a CPython version such as 3.11 or 3.11.9`,
  );
}

export interface PythonVersionInputs {
  /** The python-version input, '' when not given. */
  version: string;
  /** True when `version` is the action's own default: then python-version-file, when given, replaces it. */
  versionIsDefault?: boolean;
  /** The python-version-file input, '' when not given; relative to `workspace`. */
  versionFile: string;
  workspace: string;
}

/** The version from python-version or python-version-file: exactly one of them (a default counts as not given). */
export function requestedPython(inputs: PythonVersionInputs): PythonSpec {
  const version = inputs.versionIsDefault && inputs.versionFile ? '' : inputs.version;
  if (version && inputs.versionFile) {
    throw new InputError('python-version', "and 'python-version-file' are both set: give one of them");
  }
  if (inputs.versionFile) {
    return readPythonVersionFile(resolve(inputs.workspace, inputs.versionFile), 'python-version-file');
  }
  if (!version) throw new InputError('python-version', 'is required: give it or python-version-file');
  return parsePythonSpec(version);
}

interface Release {
  text: string;
  /** major, minor, patch, then the pre-release rank (a < b < rc < final) and number. */
  key: number[];
  final: boolean;
}

const PRE_RANK: Record<string, number> = { a: 0, b: 1, rc: 2 };

/** Available version strings that are releases (X.Y.Z[pre]), newest first; others are ignored. */
function releases(available: readonly string[]): Release[] {
  const found: Release[] = [];
  for (const text of available) {
    const spec = readSpec(text, '');
    if (typeof spec === 'string' || spec.patch === undefined) continue;
    const pre = /^(a|b|rc)(\d+)$/.exec(spec.pre);
    const key = [spec.major, spec.minor, spec.patch, pre ? PRE_RANK[pre[1]] : 3, pre ? Number(pre[2]) : 0];
    found.push({ text, key, final: !pre });
  }
  const newerFirst = (a: Release, b: Release) => {
    const i = a.key.findIndex((part, at) => part !== b.key[at]);
    return i < 0 ? 0 : b.key[i] - a.key[i];
  };
  return found.sort(newerFirst);
}

const asSpec = (spec: string | PythonSpec) => (typeof spec === 'string' ? parsePythonSpec(spec) : spec);

/**
 * The newest of `available` that `spec` asks for: for a line `3.11` its newest final release (pre-releases
 * are never picked for a line); for `3.11.9` or `3.13.0rc2` that release itself when it is there.
 * Strings of `available` that are no release (X.Y.Z[pre]) are ignored.
 */
export function newestMatching(spec: string | PythonSpec, available: readonly string[]): string | undefined {
  const wanted = asSpec(spec);
  return releases(available).find((release) =>
    wanted.patch === undefined
      ? release.final && release.key[0] === wanted.major && release.key[1] === wanted.minor
      : release.text === wanted.text,
  )?.text;
}

/**
 * For an error: the newest final release of each of the `count` minor lines of `available` nearest to
 * `spec`'s (on a tie the newer line), oldest first.
 */
export function nearestVersions(
  spec: string | PythonSpec,
  available: readonly string[],
  count = 3,
): string[] {
  const wanted = asSpec(spec);
  const newestOfLine = new Map<number, Release>();
  for (const release of releases(available)) {
    const line = release.key[0] * 1000 + release.key[1];
    if (release.final && !newestOfLine.has(line)) newestOfLine.set(line, release);
  }
  const target = wanted.major * 1000 + wanted.minor;
  const nearest = [...newestOfLine.keys()]
    .sort((a, b) => Math.abs(a - target) - Math.abs(b - target) || b - a)
    .slice(0, count);
  return releases(nearest.map((line) => (newestOfLine.get(line) as Release).text))
    .reverse()
    .map((release) => release.text);
}
