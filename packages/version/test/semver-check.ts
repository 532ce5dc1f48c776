import semver from 'semver';

/** Strict semver, build metadata included (semver.valid drops it, and accepts a leading v). */
export function isStrictSemver(text: string): boolean {
  const parsed = semver.parse(text);
  return (
    parsed !== null && `${parsed.version}${parsed.build.length ? `+${parsed.build.join('.')}` : ''}` === text
  );
}
