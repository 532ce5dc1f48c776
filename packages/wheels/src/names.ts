/** PEP 503 normalised project name: lower case, runs of `-`, `_`, `.` as one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export interface WheelName {
  /** Normalised project name. */
  name: string;
  version: string;
  /** Every tag the file name stands for, expanded (`py2.py3-none-any` is two). */
  tags: string[];
}

/** Parses `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` (PEP 427); undefined when it is not one. */
export function parseWheelName(file: string): WheelName | undefined {
  if (!file.endsWith('.whl')) return undefined;
  const parts = file.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const [name, version] = parts;
  const [pythons, abis, platforms] = parts.slice(-3).map((p) => p.split('.'));
  if (!name || !version || [pythons, abis, platforms].some((set) => set.some((t) => t === ''))) {
    return undefined;
  }
  const tags: string[] = [];
  for (const py of pythons)
    for (const abi of abis) for (const plat of platforms) tags.push(`${py}-${abi}-${plat}`);
  return { name: normalizeName(name), version, tags };
}

/**
 * How well a wheel fits: the position of its best tag in `supported` (lower is better), or undefined
 * when none of its tags is supported.
 */
export function wheelRank(wheel: WheelName, supported: string[]): number | undefined {
  let best: number | undefined;
  for (const tag of wheel.tags) {
    const index = supported.indexOf(tag);
    if (index >= 0 && (best === undefined || index < best)) best = index;
  }
  return best;
}

/** Whether every tag of the wheel says "any platform, no ABI" (a pure-Python wheel). */
export function isPureWheel(wheel: WheelName): boolean {
  return wheel.tags.every((tag) => tag.endsWith('-none-any'));
}

const SDIST_SUFFIXES = ['.tar.gz', '.zip', '.tar.bz2', '.tar.xz', '.tgz', '.tar'];

/** Name and version of an sdist file (`name-1.0.tar.gz`; legacy names may hold `-`). */
export function parseSdistName(file: string): { name: string; version: string } | undefined {
  const suffix = SDIST_SUFFIXES.find((s) => file.toLowerCase().endsWith(s));
  if (!suffix) return undefined;
  const stem = file.slice(0, -suffix.length);
  const m = /^(.+?)-(\d[^-]*)$/.exec(stem);
  return m ? { name: normalizeName(m[1]), version: m[2] } : undefined;
}
