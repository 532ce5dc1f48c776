// Release and asset JSON as each forge sends it (fields per forge-behaviour.md and the specs).
import type { Core } from './context.js';
import type { Asset, Release } from './store.js';

/** RFC 3339 without milliseconds, like both forges. */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The tag (or GitHub's `untagged-…` slug for drafts) used in web links. */
export function webTag(core: Core, release: Release): string {
  return core.flavour === 'github' && release.draft ? release.untaggedSlug : release.tag;
}

export function downloadUrl(core: Core, release: Release, asset: Asset): string {
  const tag = encodeURIComponent(webTag(core, release));
  return `${core.url}/${release.repo}/releases/download/${tag}/${encodeURIComponent(asset.name)}`;
}

const BOT = { id: 1, login: 'forge-bot' };

function giteaUser(core: Core) {
  return {
    id: BOT.id,
    login: BOT.login,
    login_name: '',
    source_id: 0,
    full_name: '',
    email: `${BOT.login}@noreply.localhost`,
    avatar_url: `${core.url}/avatars/${BOT.login}`,
    html_url: `${core.url}/${BOT.login}`,
    language: '',
    is_admin: false,
    last_login: '2001-01-01T00:00:00Z',
    created: '2001-01-01T00:00:00Z',
    restricted: false,
    active: true,
    prohibit_login: false,
    location: '',
    website: '',
    description: '',
    visibility: 'public',
    followers_count: 0,
    following_count: 0,
    starred_repos_count: 0,
    username: BOT.login,
  };
}

function githubUser(core: Core) {
  const api = `${core.apiUrl}/users/${BOT.login}`;
  return {
    login: BOT.login,
    id: BOT.id,
    node_id: 'MDM6Qm90MQ==',
    avatar_url: `${core.url}/avatars/${BOT.login}`,
    gravatar_id: '',
    url: api,
    html_url: `${core.url}/${BOT.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'Bot',
    user_view_type: 'public',
    site_admin: false,
  };
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(`forge-server:${id}`).toString('base64url')}`;
}

export function giteaAttachment(core: Core, release: Release, asset: Asset) {
  return {
    id: asset.id,
    name: asset.name,
    size: asset.size,
    download_count: asset.downloadCount,
    created_at: iso(asset.createdAt),
    uuid: asset.uuid,
    browser_download_url: downloadUrl(core, release, asset),
  };
}

export function giteaRelease(core: Core, release: Release) {
  const api = `${core.apiUrl}/repos/${release.repo}/releases/${release.id}`;
  const web = `${core.url}/${release.repo}`;
  const tag = encodeURIComponent(release.tag);
  return {
    id: release.id,
    tag_name: release.tag,
    target_commitish: release.targetCommitish,
    name: release.name ?? '',
    body: release.body ?? '',
    url: api,
    html_url: `${web}/releases/tag/${tag}`,
    tarball_url: `${web}/archive/${tag}.tar.gz`,
    zipball_url: `${web}/archive/${tag}.zip`,
    upload_url: `${api}/assets`,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: iso(release.createdAt),
    // Gitea reports the creation time as published_at, drafts included.
    published_at: iso(release.publishedAt ?? release.createdAt),
    author: giteaUser(core),
    assets: release.assets.map((asset) => giteaAttachment(core, release, asset)),
  };
}

export function githubAsset(core: Core, release: Release, asset: Asset) {
  return {
    url: `${core.apiUrl}/repos/${release.repo}/releases/assets/${asset.id}`,
    id: asset.id,
    node_id: nodeId('RA', asset.id),
    name: asset.name,
    label: asset.label,
    uploader: githubUser(core),
    content_type: asset.contentType,
    state: asset.state,
    size: asset.size,
    // GitHub computes the digest once the upload completed; a starter asset has none yet.
    digest: asset.state === 'uploaded' ? `sha256:${asset.sha256}` : null,
    download_count: asset.downloadCount,
    created_at: iso(asset.createdAt),
    updated_at: iso(asset.updatedAt),
    browser_download_url: downloadUrl(core, release, asset),
  };
}

export function githubRelease(core: Core, release: Release) {
  const api = `${core.apiUrl}/repos/${release.repo}`;
  const tag = encodeURIComponent(release.tag);
  return {
    url: `${api}/releases/${release.id}`,
    assets_url: `${api}/releases/${release.id}/assets`,
    upload_url: `${core.uploadsUrl}/repos/${release.repo}/releases/${release.id}/assets{?name,label}`,
    html_url: `${core.url}/${release.repo}/releases/tag/${encodeURIComponent(webTag(core, release))}`,
    id: release.id,
    author: githubUser(core),
    node_id: nodeId('RE', release.id),
    tag_name: release.tag,
    target_commitish: release.targetCommitish,
    name: release.name,
    draft: release.draft,
    immutable: false,
    prerelease: release.prerelease,
    created_at: iso(release.createdAt),
    updated_at: iso(release.updatedAt),
    published_at: release.publishedAt ? iso(release.publishedAt) : null,
    assets: release.assets.map((asset) => githubAsset(core, release, asset)),
    tarball_url: release.draft ? null : `${api}/tarball/${tag}`,
    zipball_url: release.draft ? null : `${api}/zipball/${tag}`,
    body: release.body,
  };
}
