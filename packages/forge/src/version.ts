/** Gitea versions, as `GET /api/v1/version` reports them. */

/**
 * `[major, minor, patch]` of a Gitea version string: `1.25.4`, `1.22.0+rc1`, `1.23.0+dev-12-gabc`.
 * Forgejo reports its own number with the Gitea it is compatible with (`7.0.5+gitea-1.21.11`); that
 * Gitea number is the one that matters for API behaviour.
 */
export function parseGiteaVersion(version: string): [number, number, number] | undefined {
  const compat = /gitea-(\d+)\.(\d+)(?:\.(\d+))?/i.exec(version);
  const match = compat ?? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Gitea 1.22 took any non-multipart upload body as the raw file; earlier versions need multipart. */
export function acceptsRawUpload(version: string | undefined): boolean {
  const parsed = version === undefined ? undefined : parseGiteaVersion(version);
  if (!parsed) return false;
  const [major, minor] = parsed;
  return major > 1 || (major === 1 && minor >= 22);
}
