/** Keeping credentials out of error texts and logs: URLs lose user info and secret-looking query values. */

const SECRET_PARAM =
  /token|key|secret|sig|signature|password|passwd|pwd|auth|credential|jwt|session|code|x-amz-|x-goog-/i;

/** The URL with `user:pass@` removed and the values of credential-like query parameters replaced by `***`. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    // Not a URL we can take apart: keep only what precedes a query, which is where tokens usually travel.
    return String(url).split('?')[0] ?? '';
  }
  parsed.username = '';
  parsed.password = '';
  const params = [...parsed.searchParams.keys()];
  for (const name of new Set(params)) {
    if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, '***');
  }
  // URLSearchParams re-encodes '*' as %2A; keep the mask readable.
  return parsed.toString().replace(/%2A%2A%2A/g, '***');
}

/** Every occurrence of each secret (at least 4 characters, so masks stay meaningful) replaced by `***`. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * The credential in an Authorization header value (`token X`, `Bearer X`, `Basic X`): both the whole value
 * and its last word, so neither form can leak.
 */
export function secretsOfAuthorization(value: string | undefined): string[] {
  if (!value) return [];
  const trimmed = value.trim();
  const parts = trimmed.split(/\s+/);
  const last = parts[parts.length - 1] ?? '';
  const out = [trimmed, last];
  if (/^basic$/i.test(parts[0] ?? '') && last) {
    // Basic carries base64(user:password): mask the decoded pieces too.
    const decoded = Buffer.from(last, 'base64').toString('utf8');
    out.push(...decoded.split(':').filter((piece) => piece.length >= 4));
  }
  return out.filter((s) => s.length >= 4);
}
