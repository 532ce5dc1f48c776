// The fallback chain of seed section 3: input → exact tag on HEAD → tag ref → source file → 0.0.0.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ActionError, InputError, type Logger } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { type GitReader, systemGit } from './git.js';
import { compareVersions, dockerTags, type NormalizedVersion, normalizeVersion } from './normalize.js';
import { findVersionFields, projectFileKind } from './project-files.js';

type VersionSource = 'input' | 'tag' | 'ref' | 'file' | 'default';

export interface ResolveOptions {
  /** The explicit version; wins when set. */
  version?: string;
  /** `git tag --list` glob for tags on HEAD; default `v*`. */
  tagPattern?: string;
  /** Fallback file; default `pyproject.toml`. */
  sourceFile?: string;
  /** The user named `sourceFile`: then it must exist and hold a version. */
  sourceFileExplicit?: boolean;
  prereleasePattern?: RegExp;
  /** Where relative paths and git are resolved; default process.cwd(). */
  cwd?: string;
  /** Runner variables; default process.env. */
  env?: Record<string, string | undefined>;
  git?: GitReader;
  log?: Logger;
}

export interface Resolution extends NormalizedVersion {
  source: VersionSource;
  /** The tag, variable or file the version came from ('' for input and default). */
  origin: string;
  dockerTags: string[];
}

const quiet: Logger = { info() {}, warning() {}, debug() {} };

/** A `prerelease-pattern` input as a case-insensitive RegExp; undefined when empty. */
export function compilePrereleasePattern(pattern: string, input = 'prerelease-pattern'): RegExp | undefined {
  if (pattern === '') return undefined;
  try {
    return new RegExp(pattern, 'i');
  } catch (error) {
    throw new InputError(input, `is not a valid regular expression: ${(error as Error).message}`);
  }
}

/**
 * The literal part of a tag glob before its first wildcard, minus a `v` that starts a word, which
 * cleanVersion drops anyway (`app-v*` → `app-`, `v*` → '', `release/*` → `release/`).
 * @internal Exported for its unit tests.
 */
export function tagPrefix(pattern: string): string {
  const literal = /^[^*?[\\]*/.exec(pattern)?.[0] ?? '';
  return literal.replace(/(^|[^A-Za-z0-9])[vV]$/, '$1');
}

/** Checks the version input and an explicitly named source file before anything else happens. */
function checkInputs(options: ResolveOptions, cwd: string, prefix: string): NormalizedVersion | undefined {
  const { sourceFile = 'pyproject.toml', sourceFileExplicit = false } = options;
  if (sourceFileExplicit) {
    if (!projectFileKind(sourceFile)) {
      throw new InputError(
        'source-file',
        `must be a pyproject.toml, a package.json or a .py file (got '${printable(sourceFile)}')`,
      );
    }
    if (!existsSync(resolve(cwd, sourceFile))) {
      throw new InputError('source-file', `names '${printable(sourceFile)}', which does not exist`);
    }
  }
  const given = options.version?.trim() ?? '';
  if (given === '') return undefined;
  const version = normalizeVersion(given, { prereleasePattern: options.prereleasePattern, prefix });
  if (version.kind === 'invalid') {
    throw new InputError(
      'version',
      `'${printable(given)}' is not a version (expected e.g. 1.2.3, v1.2.3-rc.1, 1.2.3rc1, or a label such as nightly)`,
    );
  }
  return version;
}

/** Resolves the version through the chain; fails only on bad input or an unreadable source file. */
export async function resolveVersion(options: ResolveOptions = {}): Promise<Resolution> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const log = options.log ?? quiet;
  const tagPattern = options.tagPattern || 'v*';
  const prefix = tagPrefix(tagPattern);
  const normalize = (raw: string) =>
    normalizeVersion(raw, { prereleasePattern: options.prereleasePattern, prefix });
  const done = (version: NormalizedVersion, source: VersionSource, origin = ''): Resolution => ({
    ...version,
    source,
    origin,
    // A defaulted 0.0.0 is the absence of a version: it must never move `latest`.
    dockerTags: dockerTags(version.clean, !version.prerelease && source !== 'default'),
  });

  const input = checkInputs(options, cwd, prefix);
  if (input) {
    log.info(`Version from the version input: ${printable(input.raw)}`);
    return done(input, 'input');
  }

  const tag = await tagOnHead(options.git ?? systemGit, tagPattern, cwd, normalize, log);
  if (tag) return done(tag, 'tag', tag.raw);

  const ref = tagRef(env);
  if (ref) {
    log.info(`Version from the tag ref ${ref.variable}: ${printable(ref.name)}`);
    return done(normalize(ref.name), 'ref', ref.variable);
  }

  const sourceFile = options.sourceFile || 'pyproject.toml';
  const fromFile = readSourceFile(sourceFile, options.sourceFileExplicit ?? false, cwd, log);
  if (fromFile !== undefined) {
    log.info(`Version from ${printable(sourceFile)}: ${printable(fromFile)}`);
    return done(normalize(fromFile), 'file', sourceFile);
  }

  log.info('No version found; using 0.0.0');
  return done(normalize('0.0.0'), 'default');
}

async function tagOnHead(
  git: GitReader,
  pattern: string,
  cwd: string,
  normalize: (raw: string) => NormalizedVersion,
  log: Logger,
): Promise<NormalizedVersion | undefined> {
  const answer = await git.tagsOnHead(pattern, cwd);
  if ('skipped' in answer) {
    log.info(`No tag on HEAD (${printable(answer.skipped)})`);
    return undefined;
  }
  if (answer.tags.length === 0) {
    log.info(`No tag matching ${printable(pattern)} on HEAD`);
    return undefined;
  }
  const candidates = answer.tags.map(normalize);
  // Several tags on one commit (v1.2.0 and v1.2.0-rc.3, say): the highest version wins; a label
  // only when no tag is a version.
  const versions = candidates.filter((c) => c.kind === 'version').sort((a, b) => compareVersions(b, a));
  const chosen = versions[0] ?? candidates[0];
  const others = answer.tags.length > 1 ? ` (of ${answer.tags.map(printable).join(', ')})` : '';
  log.info(`Version from the tag on HEAD: ${printable(chosen.raw)}${others}`);
  return chosen;
}

/** The tag name when the workflow runs for a tag ref (Gitea names first, as the seed does). */
function tagRef(env: Record<string, string | undefined>): { name: string; variable: string } | undefined {
  const isTag =
    env.GITEA_REF_TYPE === 'tag' ||
    env.GITHUB_REF_TYPE === 'tag' ||
    env.GITEA_REF?.startsWith('refs/tags/') ||
    env.GITHUB_REF?.startsWith('refs/tags/');
  if (!isTag) return undefined;
  for (const variable of ['GITEA_REF_NAME', 'GITHUB_REF_NAME'] as const) {
    const name = env[variable]?.trim();
    if (name) return { name, variable };
  }
  for (const variable of ['GITEA_REF', 'GITHUB_REF'] as const) {
    const ref = env[variable];
    if (ref?.startsWith('refs/tags/') && ref.length > 'refs/tags/'.length) {
      return { name: ref.slice('refs/tags/'.length), variable };
    }
  }
  return undefined;
}

/** The version in the source file; undefined to fall through (a missing or version-less default file). */
function readSourceFile(file: string, explicit: boolean, cwd: string, log: Logger): string | undefined {
  const kind = projectFileKind(file);
  const path = resolve(cwd, file);
  if (!kind || !existsSync(path)) {
    log.info(`No ${printable(file)} to read a version from`);
    return undefined;
  }
  const text = readFileSync(path, 'utf8');
  const { fields, dynamicLine } = findVersionFields(kind, text, file);
  if (fields.length > 0) return fields[0].value;
  // A build backend computes a dynamic version (setuptools-scm, say): on a branch build with no tag
  // the default file simply has none to offer; a file the user named must have one.
  const why =
    dynamicLine !== undefined
      ? 'declares its version dynamic ([project].dynamic) and states none'
      : 'holds no version';
  const location = { file, line: dynamicLine };
  if (explicit)
    throw new ActionError(
      `${printable(file)} ${why}; set the version input or another source-file`,
      location,
    );
  if (dynamicLine !== undefined) {
    log.warning(`${printable(file)} ${why}; falling back to 0.0.0`, location);
    return undefined;
  }
  log.info(`${printable(file)} holds no version`);
  return undefined;
}
