// Page/size parsing and `Link` headers, per flavour: Gitea `page`+`limit` (default 30, max 50, plus
// `X-Total-Count`), GitHub `page`+`per_page` (default 30, max 100). Gitea's links copy the request's
// query and set only `page`, so they carry the requested size (say 100) while pages hold the capped 50:
// a client must follow the links, not compute pages from the size it asked for.
import type { OutgoingHttpHeaders } from 'node:http';
import type { RequestContext } from './context.js';

export interface Paged<T> {
  items: T[];
  headers: OutgoingHttpHeaders;
}

const RULES = {
  gitea: { sizeParam: 'limit', defaultSize: 30, maxSize: 50, totalCount: true, linkSize: 'requested' },
  github: { sizeParam: 'per_page', defaultSize: 30, maxSize: 100, totalCount: false, linkSize: 'capped' },
} as const;

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

export function paginate<T>(ctx: RequestContext, items: T[]): Paged<T> {
  const rule = RULES[ctx.core.api];
  const page = positiveInt(ctx.query.get('page')) ?? 1;
  const size = Math.min(positiveInt(ctx.query.get(rule.sizeParam)) ?? rule.defaultSize, rule.maxSize);
  const last = Math.max(1, Math.ceil(items.length / size));
  const link = (p: number, rel: string) => {
    const url = new URL(ctx.url.pathname, ctx.core.url);
    for (const [key, value] of ctx.query) url.searchParams.set(key, value);
    url.searchParams.set('page', String(p));
    if (rule.linkSize === 'capped') url.searchParams.set(rule.sizeParam, String(size));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'), link(Math.min(page - 1, last), 'prev'));
  const headers: OutgoingHttpHeaders = {};
  if (links.length > 0) headers.link = links.join(', ');
  if (rule.totalCount) headers['x-total-count'] = String(items.length);
  return { items: items.slice((page - 1) * size, page * size), headers };
}
