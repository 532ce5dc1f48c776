// Gitea: the token scheme, whole asset lists, a raw or multipart upload by server version, and two forms
// of asset link (see gitea-links.ts).

import { parseJson } from '@forge-actions/http';
import type { ForgeAdapter } from './adapter.js';
import type { ErrorHints } from './errors.js';
import { fileBody } from './file-body.js';
import { attachmentLink, byNameLink } from './gitea-links.js';
import { multipartFile } from './multipart.js';
import { acceptsRawUpload } from './version.js';

const SECRET_RULE =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression shown to the user, not a template.
  'Gitea rejects repository secrets whose names start with GITEA_ or GITHUB_, so store the token as e.g. DEPLOY_TOKEN and pass token: ${{ secrets.DEPLOY_TOKEN }}';

/** The advice of Gitea's API family (Gitea, Forgejo): the same token scope, each with its secret rules. */
export function giteaFamilyHints(name: string, secretRule: string, tooLarge: string): ErrorHints {
  return {
    name,
    tokenRejected: `. ${secretRule}`,
    forbidden: `it needs the 'write:repository' scope and write access to the repository. ${secretRule}`,
    tooLarge,
  };
}

export const giteaAdapter: ForgeAdapter = {
  flavour: 'gitea',
  routes: 'gitea',
  hints: giteaFamilyHints(
    'Gitea',
    SECRET_RULE,
    'raise [repository.release] FILE_MAX_SIZE (Gitea 1.26+) or [attachment] MAX_SIZE (1.25) in app.ini, and the limit of any reverse proxy.',
  ),
  headers: (token) => ({ authorization: `token ${token}` }),
  // Gitea caps `limit` at 50 (its default is 30).
  page: { param: 'limit', size: 50 },
  makeLatest: false,
  archiveLinksSetting: false,
  tagRouteFindsDrafts: true,
  hasVersion: true,
  assetsPaged: false,
  mutationSpacingMs: () => 0,
  releaseExists: (error) => (error.status === 409 ? '409 Conflict' : undefined),
  uncertainCreateHint:
    ' Gitea answers 500 when two jobs create the same release at once, and for a tag name git does not accept.',

  // Outputs and notes carry the by-name link, which survives a replaced copy.
  // An external link (Forgejo) is where it points, whatever its path looks like.
  publicLink: (asset, tag, repository) =>
    asset.external ? asset.downloadUrl : byNameLink(asset.downloadUrl, repository, tag, asset.name),

  // Gitea ≥ 1.22 takes a raw body; older versions need multipart/form-data (field `attachment`).
  async upload(t, ops, release, file) {
    const url = t.withQuery(t.url('uploadAsset', { releaseId: release.id }), { name: file.name });
    const raw = acceptsRawUpload(await ops.serverVersion());
    const multipart = raw
      ? undefined
      : multipartFile({
          field: 'attachment',
          fileName: file.name,
          path: file.path,
          size: file.size,
          fileContentType: file.contentType,
        });
    const res = await t.call(
      file.action,
      () =>
        t.http.request('POST', url, {
          headers: {
            ...t.auth(),
            accept: 'application/json',
            'content-type': multipart?.contentType ?? file.contentType,
          },
          body: multipart ? () => multipart.open() : () => fileBody(file.path),
          contentLength: multipart ? multipart.length : file.size,
          onProgress: file.onProgress && ((sent) => file.onProgress?.(Math.min(sent, file.size), file.size)),
        }),
      file.notFound,
    );
    return t.asset(parseJson(res.body), release.tagName, 'POST', url);
  },

  // The attachment's own `/attachments/{uuid}` link (exact among duplicates), with the token only when it
  // is on the API's or the server's host.
  downloadRequest(t, asset) {
    const url = attachmentLink(asset.downloadUrl, asset.uuid, t.repository, t.serverUrl);
    return { url, headers: t.tokenMayGoTo(url) ? t.auth() : {} };
  },
};
