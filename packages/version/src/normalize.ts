// One version string as found (tag, ref, input, file) → every form the workflows need.
import { printable } from '@forge-actions/action-kit/printable';
import semver from 'semver';
import {
  comparePep440,
  formatPep440,
  isPep440Prerelease,
  type Pep440,
  parsePep440,
  pep440ToSemver,
} from './pep440.js';

/**
 * `version`: a semver or PEP 440 version; `label`: a word such as `nightly`; `invalid`: neither.
 * @internal Exported for its unit tests.
 */
export type VersionKind = 'version' | 'label' | 'invalid';

export interface NormalizedVersion {
  /** As found, trimmed (`v0.3.0-alpha.1`). */
  raw: string;
  /** Without the tag prefix or leading `v` (`0.3.0-alpha.1`). */
  clean: string;
  /** Always a valid, normalised PEP 440 version (`0.3.0a1`; `0.0.0.dev0` for labels). */
  pep440: string;
  /** Always a valid semver version (`0.3.0-alpha.1`). */
  semver: string;
  prerelease: boolean;
  kind: VersionKind;
  /** Set when the PEP 440 form is a stand-in rather than a faithful translation. */
  warning?: string;
  /** The parsed PEP 440 form, for ordering. */
  parsed: Pep440;
}

export interface NormalizeOptions {
  /** Marks a version as a pre-release besides its semver / PEP 440 pre-release part. */
  prereleasePattern?: RegExp;
  /** A literal tag prefix to drop before the leading `v` (`app-` for tag pattern `app-v*`). */
  prefix?: string;
}

/** What a bare label becomes: a PEP 440 dev release pip accepts, ordered below every real version. */
const LABEL_PEP440 = '0.0.0.dev0';
const LABEL_SEMVER = '0.0.0-dev.0';

// A label is a word, not a broken version: it starts with a letter (`nightly`, `snapshot-2024`, `dev`).
const LABEL = /^[A-Za-z][A-Za-z0-9._-]*$/;

/**
 * Strips the tag prefix and a leading `v` before a digit (`v1.2` → `1.2`; `vdev` stays a label). The
 * prefix goes only when a version follows it, so a tag that merely shares it stays whole.
 */
export function cleanVersion(raw: string, prefix = ''): string {
  let text = raw.trim();
  if (prefix && text.startsWith(prefix) && /^[vV]?[0-9]/.test(text.slice(prefix.length))) {
    text = text.slice(prefix.length);
  }
  return /^[vV][0-9]/.test(text) ? text.slice(1) : text;
}

/** Strict semver (no `v`, no `=`, no white space), or undefined. */
function parseStrictSemver(text: string): semver.SemVer | undefined {
  const parsed = semver.parse(text);
  if (!parsed) return undefined;
  const spelled = parsed.build.length ? `${parsed.version}+${parsed.build.join('.')}` : parsed.version;
  return spelled === text ? parsed : undefined;
}

/**
 * Normalises a version as found into its clean, PEP 440 and semver forms.
 *
 * A valid semver version is read as semver, so `1.0.0-1` is a pre-release (PEP 440 alone would read
 * a post release); its PEP 440 form is the same version spelled the PEP 440 way when one exists
 * (`-alpha.1` → `a1`, `-rc.3` → `rc3`, `-dev.2` → `.dev2`, build → local), else `X.Y.Z.devN` with a
 * warning. Anything else that PEP 440 accepts is normalised by its rules. A label or an unreadable
 * string becomes `0.0.0.dev0` with a warning: pip rejects a project whose version is not PEP 440.
 */
export function normalizeVersion(raw: string, options: NormalizeOptions = {}): NormalizedVersion {
  const found = raw.trim();
  const clean = cleanVersion(found, options.prefix);
  const matchesPattern = () => options.prereleasePattern?.test(publicPart(clean)) ?? false;

  const sv = parseStrictSemver(clean);
  if (sv) {
    let pep = parsePep440(clean);
    let warning: string | undefined;
    const isPre = sv.prerelease.length > 0;
    // PEP 440 must agree that this is a pre-release (`1.0.0-1` parses as a post release there).
    if (!pep || (isPre && !isPep440Prerelease(pep))) {
      const numeric = sv.prerelease.find((id): id is number => typeof id === 'number');
      pep = {
        epoch: 0n,
        release: [BigInt(sv.major), BigInt(sv.minor), BigInt(sv.patch)],
        ...(isPre ? { dev: BigInt(numeric ?? 0) } : {}),
        ...(sv.build.length ? { local: localFromBuild(sv.build) } : {}),
      };
      warning = `'${printable(found)}' has no PEP 440 equivalent; using ${formatPep440(pep)}`;
    }
    return {
      raw: found,
      clean,
      pep440: formatPep440(pep),
      semver: clean,
      prerelease: isPre || matchesPattern(),
      kind: 'version',
      parsed: pep,
      ...(warning ? { warning } : {}),
    };
  }

  const pep = parsePep440(clean);
  if (pep) {
    return {
      raw: found,
      clean,
      pep440: formatPep440(pep),
      semver: pep440ToSemver(pep),
      prerelease: isPep440Prerelease(pep) || matchesPattern(),
      kind: 'version',
      parsed: pep,
    };
  }

  const kind: VersionKind = LABEL.test(clean) ? 'label' : 'invalid';
  const what = kind === 'label' ? 'is a label, not a PEP 440 version' : 'is not a version';
  return {
    raw: found,
    clean,
    pep440: LABEL_PEP440,
    semver: LABEL_SEMVER,
    prerelease: true,
    kind,
    warning: `'${printable(found)}' ${what}; using ${LABEL_PEP440}`,
    parsed: { epoch: 0n, release: [0n, 0n, 0n], dev: 0n },
  };
}

// Semver build identifiers may hold runs of hyphens or be empty between them; PEP 440 local parts may not.
function localFromBuild(build: readonly string[]): Array<string | bigint> {
  return build
    .flatMap((id) => id.toLowerCase().split('-'))
    .filter((part) => part !== '')
    .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part));
}

/** The version without its local / build part, which says nothing about release status. */
function publicPart(version: string): string {
  const plus = version.indexOf('+');
  return plus < 0 ? version : version.slice(0, plus);
}

/** PEP 440 ordering of normalised versions (labels are `0.0.0.dev0`). */
export function compareVersions(a: NormalizedVersion, b: NormalizedVersion): number {
  return comparePep440(a.parsed, b.parsed);
}

/**
 * PEP 440 ordering of two version strings in any spelling `normalizeVersion` reads.
 * @internal Exported for its unit tests.
 */
export function compareVersionStrings(a: string, b: string): number {
  return compareVersions(normalizeVersion(a), normalizeVersion(b));
}

/**
 * A version found as PEP 440 (in a pyproject.toml, say) in semver spelling: `1.2.0rc1` → `1.2.0-rc.1`,
 * `1.2` → `1.2.0`. Undefined when the text is not PEP 440.
 * @internal Exported for its unit tests.
 */
export function pep440StringToSemver(text: string): string | undefined {
  const parsed = parsePep440(text);
  return parsed && pep440ToSemver(parsed);
}

/**
 * Docker tags for a version: the clean version (characters a tag may not hold, such as `+`, become `-`),
 * plus `latest` when `latest` is true.
 */
export function dockerTags(clean: string, latest: boolean): string[] {
  const tag = clean
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
  return [...(tag ? [tag] : []), ...(latest ? ['latest'] : [])];
}
