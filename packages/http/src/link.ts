/** RFC 8288 `Link` headers, as GitHub and Gitea send them for pagination. */

/**
 * Map of relation type to target URL, e.g. `{ next: '...', last: '...' }`. Later duplicates lose.
 * @internal Exported for its unit tests.
 */
export function parseLinkHeader(value: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  const text = Array.isArray(value) ? value.join(',') : value;
  // Each link-value is `<uri>; param=value; ...`; URIs may contain commas, so match on the brackets.
  const linkValue = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
  for (const match of text.matchAll(linkValue)) {
    const target = match[1] ?? '';
    const params = match[2] ?? '';
    for (const param of params.split(';')) {
      const eq = param.indexOf('=');
      if (eq < 0) continue;
      const name = param.slice(0, eq).trim().toLowerCase();
      if (name !== 'rel') continue;
      const rels = param
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
      // `rel` may hold several space-separated relation types.
      for (const rel of rels.split(/\s+/)) {
        if (rel && !(rel.toLowerCase() in out)) out[rel.toLowerCase()] = target;
      }
    }
  }
  return out;
}

/** The absolute `rel="next"` URL, resolved against the URL of the page that carried it. */
export function nextPageUrl(linkHeader: string | string[] | undefined, pageUrl: string): string | undefined {
  const next = parseLinkHeader(linkHeader).next;
  if (!next) return undefined;
  return new URL(next, pageUrl).toString();
}
