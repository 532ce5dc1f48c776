/**
 * Every (method, path template) the forge client calls, per flavour, written exactly as in the official
 * API descriptions (Gitea's swagger under /api/v1; GitHub's OpenAPI, whose upload route is served from
 * the `upload_url` host). The client builds every URL through `routePath`, so this table is complete by
 * construction, and test/forge/contract.test.ts checks each entry against the specs.
 */
/** The API description a forge follows (Forgejo's is Gitea's). */
export type Api = 'gitea' | 'github';

/** @internal Exported for its unit tests. */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
}

export type RouteName =
  | 'version'
  | 'getRepository'
  | 'listReleases'
  | 'createRelease'
  | 'getReleaseByTag'
  | 'getLatestRelease'
  | 'getRelease'
  | 'updateRelease'
  | 'deleteRelease'
  | 'listAssets'
  | 'uploadAsset'
  | 'getAsset'
  | 'renameAsset'
  | 'deleteAsset'
  | 'getLatestPackage'
  | 'linkPackage';

const R = '/repos/{owner}/{repo}';

/** @internal Exported for its unit tests. */
export const ROUTES: Record<RouteName, Partial<Record<Api, Route>>> = {
  // Gitea only: detection and the version that decides raw vs multipart uploads.
  version: { gitea: { method: 'GET', path: '/version' } },
  // Tells a repository the token cannot see from a release that is not there (both answer 404 otherwise).
  getRepository: {
    gitea: { method: 'GET', path: R },
    github: { method: 'GET', path: R },
  },
  listReleases: {
    gitea: { method: 'GET', path: `${R}/releases` },
    github: { method: 'GET', path: `${R}/releases` },
  },
  createRelease: {
    gitea: { method: 'POST', path: `${R}/releases` },
    github: { method: 'POST', path: `${R}/releases` },
  },
  getReleaseByTag: {
    gitea: { method: 'GET', path: `${R}/releases/tags/{tag}` },
    github: { method: 'GET', path: `${R}/releases/tags/{tag}` },
  },
  // The release shown as "Latest" (GitHub: per make_latest; Gitea: the newest published stable one).
  getLatestRelease: {
    gitea: { method: 'GET', path: `${R}/releases/latest` },
    github: { method: 'GET', path: `${R}/releases/latest` },
  },
  getRelease: {
    gitea: { method: 'GET', path: `${R}/releases/{id}` },
    github: { method: 'GET', path: `${R}/releases/{release_id}` },
  },
  updateRelease: {
    gitea: { method: 'PATCH', path: `${R}/releases/{id}` },
    github: { method: 'PATCH', path: `${R}/releases/{release_id}` },
  },
  deleteRelease: {
    gitea: { method: 'DELETE', path: `${R}/releases/{id}` },
    github: { method: 'DELETE', path: `${R}/releases/{release_id}` },
  },
  listAssets: {
    gitea: { method: 'GET', path: `${R}/releases/{id}/assets` },
    github: { method: 'GET', path: `${R}/releases/{release_id}/assets` },
  },
  uploadAsset: {
    gitea: { method: 'POST', path: `${R}/releases/{id}/assets` },
    github: { method: 'POST', path: `${R}/releases/{release_id}/assets` },
  },
  // GitHub: with `Accept: application/octet-stream` this redirects to the bytes (private repos too).
  // Gitea's asset route answers JSON only; its bytes come from `browser_download_url` (a web route).
  getAsset: {
    github: { method: 'GET', path: `${R}/releases/assets/{asset_id}` },
  },
  renameAsset: {
    gitea: { method: 'PATCH', path: `${R}/releases/{id}/assets/{attachment_id}` },
    github: { method: 'PATCH', path: `${R}/releases/assets/{asset_id}` },
  },
  deleteAsset: {
    gitea: { method: 'DELETE', path: `${R}/releases/{id}/assets/{attachment_id}` },
    github: { method: 'DELETE', path: `${R}/releases/assets/{asset_id}` },
  },
  // Gitea 1.24+: a container pushed to Gitea's registry is linked to no repository until someone links it.
  getLatestPackage: { gitea: { method: 'GET', path: '/packages/{owner}/{type}/{name}/-/latest' } },
  linkPackage: { gitea: { method: 'POST', path: '/packages/{owner}/{type}/{name}/-/link/{repo_name}' } },
};

/** Values for the placeholders; each spec names release and asset ids differently. */
export interface RouteParams {
  owner: string;
  repo: string;
  releaseId?: number;
  assetId?: number;
  tag?: string;
  packageType?: string;
  packageName?: string;
}

const PLACEHOLDERS: Record<string, keyof RouteParams> = {
  owner: 'owner',
  repo: 'repo',
  id: 'releaseId',
  release_id: 'releaseId',
  attachment_id: 'assetId',
  asset_id: 'assetId',
  tag: 'tag',
  type: 'packageType',
  name: 'packageName',
  repo_name: 'repo',
};

function routeFor(api: Api, name: RouteName): Route {
  const route = ROUTES[name][api];
  if (!route) throw new Error(`the ${api} API has no ${name} route`);
  return route;
}

/** The route's path with every placeholder filled and percent-encoded. */
export function routePath(api: Api, name: RouteName, params: RouteParams): string {
  return routeFor(api, name).path.replace(/\{(\w+)\}/g, (_whole, key: string) => {
    const field = PLACEHOLDERS[key];
    const value = field === undefined ? undefined : params[field];
    if (value === undefined || value === '') throw new Error(`route ${name} needs a value for {${key}}`);
    return encodeURIComponent(String(value));
  });
}
