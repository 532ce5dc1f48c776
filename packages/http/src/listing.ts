// Directory listings as web servers write them (nginx and Apache autoindex, python.org's FTP tree, IIS):
// an HTML page with one link per entry, among links that are no entry (parent, sort orders, elsewhere).

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The entries of the folder a listing page at `pageUrl` shows: the names its links point to directly
 * inside that folder, folders with a trailing `/`, in page order without repeats. Links elsewhere are
 * not entries: the parent (`../`, Apache's `/pub/`), sort orders (`?C=N;O=D`), deeper paths, other
 * hosts. Relative, root-relative and absolute links are all resolved against `pageUrl`.
 */
export function parseListing(html: string, pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const folder = page.pathname.endsWith('/') ? page.pathname : `${page.pathname}/`;
  const entries = new Set<string>();
  for (const match of html.matchAll(/<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const href = decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim();
    let target: URL;
    try {
      target = new URL(href, new URL(folder, page));
    } catch {
      continue;
    }
    if (target.origin !== page.origin || target.search || !target.pathname.startsWith(folder)) continue;
    const rest = target.pathname.slice(folder.length);
    const name = rest.endsWith('/') ? rest.slice(0, -1) : rest;
    if (!name || name.includes('/')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      continue;
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/')) continue;
    entries.add(rest.endsWith('/') ? `${decoded}/` : decoded);
  }
  return [...entries];
}
