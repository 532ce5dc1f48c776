// GitHub (github.com and Enterprise Server): bearer token with the API's media type and version, paged
// asset lists, uploads to the `upload_url` host with one asset per name, and write spacing on api.github.com.

import { HttpError, parseJson } from '@forge-actions/http';
import type { ForgeAdapter } from './adapter.js';
import { AssetConflictError, hasAlreadyExists } from './errors.js';
import { fileBody } from './file-body.js';
import { routePath } from './routes.js';
import type { Transport } from './transport.js';

export const githubAdapter: ForgeAdapter = {
  flavour: 'github',
  routes: 'github',
  hints: {
    name: 'GitHub',
    tokenRejected: '',
    forbidden:
      "it needs the 'contents: write' permission (add 'permissions: contents: write' to the workflow or job, or use a token with that permission)",
    tooLarge: 'GitHub accepts at most 2 GiB per asset.',
  },
  headers: (token) => ({
    authorization: `Bearer ${token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
  }),
  page: { param: 'per_page', size: 100 },
  makeLatest: true,
  archiveLinksSetting: false,
  tagRouteFindsDrafts: false,
  hasVersion: false,
  assetsPaged: true,
  // api.github.com asks for at least a second between mutating requests (its secondary rate limits);
  // Enterprise Server has rate limits off unless its admin turns them on.
  mutationSpacingMs: (apiUrl) => (new URL(apiUrl).hostname === 'api.github.com' ? 1000 : 0),
  releaseExists: (error) =>
    error.status === 422 && hasAlreadyExists(error.body) ? '422 already_exists' : undefined,
  uncertainCreateHint: '',

  publicLink: (asset) => asset.downloadUrl,

  /**
   * GitHub refuses a second asset of a name (AssetConflictError), except that a `starter` asset left by a
   * broken upload is deleted and the upload made again, and an asset our own earlier attempt completed is
   * returned as the result.
   */
  async upload(t, ops, release, file) {
    // The release's upload_url comes from the server; the token follows it only to an origin it is meant for.
    const base =
      release.uploadUrl && t.tokenMayGoTo(release.uploadUrl) ? release.uploadUrl : uploadUrl(t, release.id);
    const url = t.withQuery(base, { name: file.name, label: file.label });
    const send = () =>
      t.http.request('POST', url, {
        headers: { ...t.auth(), accept: 'application/vnd.github+json', 'content-type': file.contentType },
        body: () => fileBody(file.path),
        contentLength: file.size,
        onProgress: file.onProgress,
      });
    for (let round = 1; ; round++) {
      try {
        const res = await send();
        return t.asset(parseJson(res.body), release.tagName, 'POST', url);
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 422 && hasAlreadyExists(error.body))) {
          throw t.mapError(error, file.action, file.notFound);
        }
        const existing = (await ops.listAssets(release)).find((a) => a.name === file.name);
        if (existing?.state === 'starter' && round === 1) {
          t.logger?.info(
            `Removing the broken upload of ${file.name} (asset ${existing.id}) before uploading again.`,
          );
          await ops.deleteAsset(release.id, existing.id);
          continue;
        }
        if (existing && error.attempts > 1 && existing.state === 'uploaded' && existing.size === file.size) {
          // An earlier attempt of ours went through, but its answer was lost.
          return existing;
        }
        throw new AssetConflictError(
          file.name,
          `Could not ${file.action}: the release already has an asset named ${file.name} (GitHub allows one per name).`,
          error,
        );
      }
    }
  },

  // The API asset route with `Accept: application/octet-stream` works for private repositories; the
  // redirect to storage drops the token.
  downloadRequest: (t, asset) => ({
    url: t.url('getAsset', { assetId: asset.id }),
    headers: { ...t.auth(), accept: 'application/octet-stream' },
  }),
};

/** Where GitHub takes uploads when a release came without `upload_url`: uploads.github.com, or GHES `/api/uploads`. */
function uploadUrl(t: Transport, releaseId: number): string {
  const path = routePath('github', 'uploadAsset', { owner: t.owner, repo: t.repo, releaseId });
  const api = new URL(t.apiUrl);
  if (api.hostname === 'api.github.com') return `https://uploads.github.com${path}`;
  return `${api.origin}${api.pathname.replace(/\/api\/v3$/, '')}/api/uploads${path}`;
}
