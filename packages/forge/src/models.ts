/** Releases and assets as the rest of the suite sees them, whichever forge sent them. */

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
  assets: Asset[];
}

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? Number.NaN));

/** `https://uploads.github.com/.../assets{?name,label}` → `.../assets`. */
export function stripUriTemplate(url: string): string {
  return url.replace(/\{[^}]*\}$/, '');
}

/** `sha256:<64 hex>` → `<hex>`; anything else (null, other algorithms) → undefined. */
export function sha256FromDigest(digest: unknown): string | undefined {
  if (typeof digest !== 'string') return undefined;
  const match = /^sha256:([0-9a-f]{64})$/i.exec(digest.trim());
  return match?.[1]?.toLowerCase();
}

export function toAsset(raw: unknown): Asset {
  const a = (raw ?? {}) as Json;
  const asset: Asset = {
    id: num(a.id),
    name: str(a.name),
    size: num(a.size),
    downloadUrl: str(a.browser_download_url),
  };
  const sha256 = sha256FromDigest(a.digest);
  if (sha256) asset.sha256 = sha256;
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
    assets: Array.isArray(r.assets) ? r.assets.map(toAsset) : [],
  };
  const target = optStr(r.target_commitish);
  if (target) release.targetCommitish = target;
  return release;
}
