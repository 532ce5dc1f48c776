import { InputError } from '@forge-actions/action-kit/errors';
import { decodedPart } from '@forge-actions/action-kit/url-credentials';
import { redactUrl } from '@forge-actions/http';

/** Package indexes as the user gave them; empty means each tool's own configuration (PyPI by default). */
export interface Indexes {
  indexUrl: string;
  extraIndexUrls: string[];
}

/** Checks an index URL input: http or https, credentials allowed (`https://user:token@host/simple`). */
export function checkIndexUrl(input: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Where the credentials would end cannot be told in a value that is no URL: with an `@`, not shown.
    const got = value.includes('@') ? 'a value that is not a URL' : `'${value}'`;
    throw new InputError(input, `must be an http(s) URL of a simple index (got ${got})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(input, `must be an http(s) URL of a simple index (got '${shownUrl(url)}')`);
  }
  return value;
}

/**
 * An index URL for messages: redactUrl's (no credentials, no credential-like query values) with a
 * `user:***@` (or `***@` for a user name alone, which is a token) where credentials were.
 */
function shownUrl(url: URL): string {
  const redacted = redactUrl(url);
  if (!url.username && !url.password) return redacted;
  return redacted.replace('//', url.password ? `//${url.username}:***@` : '//***@');
}

/**
 * The indexes as environment variables for pip or uv: they stay out of the process list and the
 * command lines in the log. Only what the user set is passed; otherwise each tool's own configuration
 * (pip.conf, uv.toml, PIP_INDEX_URL, UV_DEFAULT_INDEX ...) applies. uv's older names are cleared so
 * they cannot override the ones given here.
 */
export function indexEnv(indexes: Indexes, tool: 'pip' | 'uv'): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  if (indexes.indexUrl) {
    if (tool === 'pip') env.PIP_INDEX_URL = indexes.indexUrl;
    else Object.assign(env, { UV_DEFAULT_INDEX: indexes.indexUrl, UV_INDEX_URL: undefined });
  }
  if (indexes.extraIndexUrls.length > 0) {
    const list = indexes.extraIndexUrls.join(' ');
    if (tool === 'pip') env.PIP_EXTRA_INDEX_URL = list;
    else Object.assign(env, { UV_INDEX: list, UV_EXTRA_INDEX_URL: undefined });
  }
  return env;
}

function all(indexes: Indexes): URL[] {
  return [indexes.indexUrl, ...indexes.extraIndexUrls].filter((u) => u).map((u) => new URL(u));
}

/**
 * Passwords (raw and URL-decoded) of the index URLs, or the user name where it comes alone (a token):
 * kept out of every log line and message.
 */
export function indexSecrets(indexes: Indexes): string[] {
  const secrets = new Set<string>();
  for (const url of all(indexes)) {
    const secret = url.password || url.username;
    if (!secret) continue;
    secrets.add(secret);
    secrets.add(decodedPart(secret));
  }
  return [...secrets].filter((s) => s.length >= 4);
}

/**
 * The Authorization header for a file URL from the lock: uv writes file URLs without the index's
 * credentials, so a file on the origin of an index that has some gets them (Basic), as uv and pip send them.
 */
export function authorizationFor(fileUrl: string, indexes: Indexes): Record<string, string> {
  let origin: string;
  try {
    origin = new URL(fileUrl).origin;
  } catch {
    return {};
  }
  const index = all(indexes).find((u) => u.origin === origin && (u.username || u.password));
  if (!index) return {};
  const user = decodedPart(index.username);
  const password = decodedPart(index.password);
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}
