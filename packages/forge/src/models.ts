/** Releases and assets as the rest of the suite sees them, whichever forge sent them. */
import { ActionError } from '@forge-actions/action-kit/errors';

export interface Asset {
  id: number;
  name: string;
  size: number;
  /** The public download link (`browser_download_url`). */
  downloadUrl: string;
  /** Hex sha256 from GitHub's `digest` (`sha256:<hex>`); Gitea sends none, nor GitHub for uploads before 2025-06. */
  sha256?: string;
  /** GitHub: `uploaded` or `starter` (an upload that broke off). Gitea: absent. */
  state?: string;
  /** Server timestamp, for ordering duplicates (ids also grow with time on both forges). */
  createdAt?: string;
  /** Gitea's attachment uuid (`/attachments/{uuid}` serves one copy among duplicates). */
  uuid?: string;
  label?: string;
  contentType?: string;
  /**
   * Forgejo's external-link asset (`type: external`, size 0): a link to a file elsewhere that a user
   * added. Not ours: never hashed, downloaded, listed in SHA256SUMS, replaced or deleted unasked.
   */
  external?: true;
}

export interface Release {
  id: number;
  tagName: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  htmlUrl: string;
  /** Where assets are POSTed, without GitHub's `{?name,label}` template. */
  uploadUrl: string;
  targetCommitish?: string;
  /** GitHub: published in a repository with immutable releases; its assets and tag can no longer change. */
  immutable: boolean;
  /** `published_at` as the server sent it (Gitea and Forgejo send the creation time for drafts too). */
  publishedAt?: string;
  /** Forgejo's `hide_archive_links`; undefined on forges without the setting. */
  hideArchiveLinks?: boolean;
  assets: Asset[];
}

/** What asset calls need to know of a release: its id, and its tag for the assets' stable links. */
export type ReleaseRef = Pick<Release, 'id' | 'tagName'>;

type Json = Record<string, unknown>;

/**
 * A server answer that is not the release or asset it should be (one line for the user). `request`
 * (`GET http://host/api/v1/...`, credentials removed) says which answer, so a proxy or login page in
 * front of the forge is recognisable.
 */
export class UnexpectedAnswerError extends ActionError {
  constructor(
    readonly what: string,
    readonly problem: string,
    readonly request?: string,
  ) {
    super(
      `${request ? `The answer to ${request}` : "The server's answer"} is not ${what} (${problem}); check that api-url is the forge's API root.`,
    );
    this.name = 'UnexpectedAnswerError';
  }
}

/** Server answers are untrusted: an id that is not a positive whole number, or a missing name, is refused. */
function checked(what: string, id: number, name: string, nameField: string): void {
  if (!Number.isSafeInteger(id) || id <= 0) throw new UnexpectedAnswerError(what, 'it has no numeric id');
  if (name === '') throw new UnexpectedAnswerError(what, `it has no ${nameField}`);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

/**
 * `https://uploads.github.com/.../assets{?name,label}` → `.../assets`.
 * @internal Exported for its unit tests.
 */
export function stripUriTemplate(url: string): string {
  return url.replace(/\{[^}]*\}$/, '');
}

/**
 * `sha256:<64 hex>` → `<hex>`; anything else (null, other algorithms) → undefined.
 * @internal Exported for its unit tests.
 */
export function sha256FromDigest(digest: unknown): string | undefined {
  if (typeof digest !== 'string') return undefined;
  const match = /^sha256:([0-9a-f]{64})$/i.exec(digest.trim());
  return match?.[1]?.toLowerCase();
}

export function toAsset(raw: unknown): Asset {
  const a = (raw ?? {}) as Json;
  const [id, name, size] = [num(a.id), str(a.name), num(a.size)];
  checked('an asset', id, name, 'name');
  if (!Number.isSafeInteger(size) || size < 0)
    throw new UnexpectedAnswerError('an asset', `${name} has no size`);
  const asset: Asset = { id, name, size, downloadUrl: str(a.browser_download_url) };
  const sha256 = sha256FromDigest(a.digest);
  if (sha256) asset.sha256 = sha256;
  if (a.type === 'external') asset.external = true;
  const optional: Array<[keyof Asset, unknown]> = [
    ['state', a.state],
    ['createdAt', a.created_at],
    ['uuid', a.uuid],
    ['label', a.label],
    ['contentType', a.content_type],
  ];
  for (const [key, value] of optional) {
    const text = optStr(value);
    if (text !== undefined) (asset as unknown as Json)[key] = text;
  }
  return asset;
}

export function toRelease(raw: unknown): Release {
  const r = (raw ?? {}) as Json;
  const release: Release = {
    id: num(r.id),
    tagName: str(r.tag_name),
    name: str(r.name),
    body: str(r.body),
    draft: r.draft === true,
    prerelease: r.prerelease === true,
    htmlUrl: str(r.html_url),
    uploadUrl: stripUriTemplate(str(r.upload_url)),
    immutable: r.immutable === true,
    assets: [],
  };
  checked('a release', release.id, release.tagName, 'tag_name');
  if (Array.isArray(r.assets)) release.assets = r.assets.map(toAsset);
  const target = optStr(r.target_commitish);
  if (target) release.targetCommitish = target;
  if (typeof r.hide_archive_links === 'boolean') release.hideArchiveLinks = r.hide_archive_links;
  const publishedAt = optStr(r.published_at);
  if (publishedAt) release.publishedAt = publishedAt;
  return release;
}
