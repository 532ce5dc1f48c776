// PEP 440 versions: parsing with every spelling the spec allows, the normalised form, ordering, and
// the semver spelling of a PEP 440 version. Follows the reference implementation (`packaging`):
// its VERSION_PATTERN, its __str__ and its comparison key.

/** A parsed PEP 440 version. Numbers are bigint so date-like segments never lose digits. */
export interface Pep440 {
  epoch: bigint;
  release: bigint[];
  pre?: { label: 'a' | 'b' | 'rc'; number: bigint };
  post?: bigint;
  dev?: bigint;
  /** Local segments, lower-cased; all-digit segments as numbers (`+ubuntu.01` → ['ubuntu', 1n]). */
  local?: Array<string | bigint>;
}

// packaging's VERSION_PATTERN, anchored, case-insensitive, surrounding white space allowed.
const PATTERN = new RegExp(
  [
    '^\\s*v?',
    '(?:(?<epoch>[0-9]+)!)?',
    '(?<release>[0-9]+(?:\\.[0-9]+)*)',
    '(?:[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?',
    '(?:-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?',
    '(?:[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?',
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?',
    '\\s*$',
  ].join(''),
  'i',
);

const PRE_LABELS: Record<string, 'a' | 'b' | 'rc'> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc',
};

/** Parses any PEP 440 spelling; undefined when the text is not a PEP 440 version. */
export function parsePep440(text: string): Pep440 | undefined {
  const m = PATTERN.exec(text);
  if (!m?.groups) return undefined;
  const g = m.groups;
  const version: Pep440 = {
    epoch: BigInt(g.epoch ?? 0),
    release: g.release.split('.').map((part) => BigInt(part)),
  };
  // An implicit number is 0: `1.0a` is `1.0a0`, `1.0.post` is `1.0.post0`, `1.0.dev` is `1.0.dev0`.
  if (g.preL) version.pre = { label: PRE_LABELS[g.preL.toLowerCase()], number: BigInt(g.preN ?? 0) };
  if (g.postN1 !== undefined) version.post = BigInt(g.postN1);
  else if (g.postL) version.post = BigInt(g.postN2 ?? 0);
  if (g.devL) version.dev = BigInt(g.devN ?? 0);
  if (g.local) {
    version.local = g.local
      .toLowerCase()
      .split(/[-_.]/)
      .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part));
  }
  return version;
}

/** The normalised form (`1.0-1` → `1.0.post1`, `v01.02a` → `1.2a0`, `1.0+ubuntu-1` → `1.0+ubuntu.1`). */
export function formatPep440(v: Pep440): string {
  let text = v.epoch !== 0n ? `${v.epoch}!` : '';
  text += v.release.join('.');
  if (v.pre) text += `${v.pre.label}${v.pre.number}`;
  if (v.post !== undefined) text += `.post${v.post}`;
  if (v.dev !== undefined) text += `.dev${v.dev}`;
  if (v.local?.length) text += `+${v.local.join('.')}`;
  return text;
}

/**
 * Normalises a PEP 440 spelling; undefined when it is not one.
 * @internal Exported for its unit tests.
 */
export function normalizePep440(text: string): string | undefined {
  const parsed = parsePep440(text);
  return parsed && formatPep440(parsed);
}

/** A pre-release in PEP 440's sense: an a/b/rc part or a dev part. */
export function isPep440Prerelease(v: Pep440): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

const cmp = (a: bigint | number | string, b: bigint | number | string): number =>
  a < b ? -1 : a > b ? 1 : 0;

function compareLists<T>(a: T[], b: T[], item: (x: T, y: T) => number): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = item(a[i], b[i]);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

// -1 / +1 stand in for packaging's NegativeInfinity / Infinity around real values.
type Slot = [rank: -1 | 0 | 1, value: bigint];
const slot = (value: bigint | undefined, missing: -1 | 1): Slot =>
  value === undefined ? [missing, 0n] : [0, value];
const compareSlots = (a: Slot, b: Slot) => cmp(a[0], b[0]) || cmp(a[1], b[1]);

function preKey(v: Pep440): [rank: -1 | 0 | 1, label: string, number: bigint] {
  // `1.0.dev0` sorts before `1.0a0`; a final or post release after every pre-release.
  if (!v.pre && v.post === undefined && v.dev !== undefined) return [-1, '', 0n];
  if (!v.pre) return [1, '', 0n];
  return [0, v.pre.label, v.pre.number];
}

function trimZeros(release: bigint[]): bigint[] {
  let end = release.length;
  while (end > 0 && release[end - 1] === 0n) end--;
  return release.slice(0, end);
}

/** PEP 440 ordering: negative when a < b, 0 when equal (`1.0` == `1.0.0`), positive when a > b. */
export function comparePep440(a: Pep440, b: Pep440): number {
  const pa = preKey(a);
  const pb = preKey(b);
  return (
    cmp(a.epoch, b.epoch) ||
    compareLists(trimZeros(a.release), trimZeros(b.release), cmp) ||
    cmp(pa[0], pb[0]) ||
    cmp(pa[1], pb[1]) ||
    cmp(pa[2], pb[2]) ||
    compareSlots(slot(a.post, -1), slot(b.post, -1)) ||
    compareSlots(slot(a.dev, 1), slot(b.dev, 1)) ||
    compareLocal(a.local, b.local)
  );
}

function compareLocal(a: Pep440['local'], b: Pep440['local']): number {
  if (!a || !b) return cmp(a ? 1 : 0, b ? 1 : 0);
  // Numeric segments sort after alphanumeric ones, numerically among themselves.
  return compareLists(a, b, (x, y) => {
    if (typeof x === 'bigint' && typeof y === 'bigint') return cmp(x, y);
    if (typeof x === 'bigint') return 1;
    if (typeof y === 'bigint') return -1;
    return cmp(x, y);
  });
}

const SEMVER_PRE: Record<'a' | 'b' | 'rc', string> = { a: 'alpha', b: 'beta', rc: 'rc' };

/**
 * The semver spelling of a PEP 440 version: `1.2` → `1.2.0`, `1.2.0rc1` → `1.2.0-rc.1`,
 * `1.0a2.dev3` → `1.0.0-alpha.2.dev.3`, `1.0.dev4` → `1.0.0-dev.4`. What semver cannot order goes
 * into build metadata, which semver ignores: post releases (`1.0.post1` → `1.0.0+post.1`), an epoch,
 * release parts after the third, and the local part.
 */
export function pep440ToSemver(v: Pep440): string {
  const [major = 0n, minor = 0n, patch = 0n, ...extra] = v.release;
  let text = `${major}.${minor}.${patch}`;
  const pre: string[] = [];
  if (v.pre) pre.push(SEMVER_PRE[v.pre.label], String(v.pre.number));
  if (v.dev !== undefined) pre.push('dev', String(v.dev));
  if (pre.length) text += `-${pre.join('.')}`;
  const build: string[] = [];
  if (v.epoch !== 0n) build.push('epoch', String(v.epoch));
  if (extra.length) build.push('release', ...extra.map(String));
  if (v.post !== undefined) build.push('post', String(v.post));
  if (v.local?.length) build.push(...v.local.map(String));
  if (build.length) text += `+${build.join('.')}`;
  return text;
}
