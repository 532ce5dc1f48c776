// Web-root downloads (`browser_download_url`), streamed from disk; no token needed.
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from './context.js';
import type { Route } from './router.js';
import type { Asset, Release } from './store.js';
import type { Api } from './types.js';

function notFound(ctx: RequestContext): void {
  ctx.res.writeHead(404, { 'content-type': 'text/plain;charset=utf-8' });
  ctx.res.end('Not Found\n');
}

function releaseForDownload(ctx: RequestContext, tag: string): Release | undefined {
  const releases = ctx.core.store.listReleases(ctx.repo);
  if (ctx.core.api === 'github') {
    return releases.find((r) => (r.draft ? r.untaggedSlug === tag : r.tag === tag));
  }
  return releases.find((r) => r.tag.toLowerCase() === tag.toLowerCase());
}

async function serve(ctx: RequestContext, asset: Asset | undefined): Promise<void> {
  if (asset?.state !== 'uploaded') return notFound(ctx);
  asset.downloadCount++;
  // Forgejo sends the download of an external link on to where it points.
  if (asset.externalUrl !== undefined) {
    ctx.res.writeHead(302, { location: asset.externalUrl });
    return void ctx.res.end();
  }
  ctx.res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': asset.size,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(asset.name)}`,
  });
  if (ctx.req.method === 'HEAD') return void ctx.res.end();
  // A client that goes away mid-download is not an error of the server.
  await pipeline(ctx.core.storage.open(asset.file), ctx.res).catch(() => undefined);
}

async function downloadByName(ctx: RequestContext): Promise<void> {
  const release = releaseForDownload(ctx, ctx.params.tag);
  const name = ctx.params.name;
  // With duplicate names (Gitea) the oldest copy is served, as Gitea does in practice.
  const asset = release?.assets
    .filter((a) => a.name === name && a.state === 'uploaded')
    .sort((a, b) => a.id - b.id)[0];
  await serve(ctx, asset);
}

async function downloadByUuid(ctx: RequestContext): Promise<void> {
  const asset = ctx.core.store.allAssets().find((a) => a.uuid === ctx.params.uuid);
  await serve(ctx, asset);
}

export function webRoutes(flavour: Api): Route[] {
  const routes: Route[] = [
    {
      method: 'GET',
      base: 'web',
      template: '/{owner}/{repo}/releases/download/{tag}/{name}',
      access: 'public',
      handle: downloadByName,
    },
  ];
  // Gitea also serves every attachment by uuid (the only way to fetch one of several duplicates).
  if (flavour === 'gitea') {
    routes.push({
      method: 'GET',
      base: 'web',
      template: '/attachments/{uuid}',
      access: 'public',
      handle: downloadByUuid,
    });
  }
  return routes;
}
