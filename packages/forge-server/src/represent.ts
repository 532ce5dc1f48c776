// Release, asset, repository and package JSON as each forge sends it (fields per forge-behaviour.md and
// the specs).
import type { Core } from './context.js';
import type { Asset, Package, Release } from './store.js';

/** RFC 3339 without milliseconds, like both forges. */
function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The tag (or GitHub's `untagged-…` slug for drafts) used in web links. */
function webTag(core: Core, release: Release): string {
  return core.api === 'github' && release.draft ? release.untaggedSlug : release.tag;
}

function downloadUrl(core: Core, release: Release, asset: Asset): string {
  const tag = encodeURIComponent(webTag(core, release));
  return `${core.url}/${release.repo}/releases/download/${tag}/${encodeURIComponent(asset.name)}`;
}

/** Who publishes releases and uploads assets. */
const BOT = { id: 1, login: 'forge-bot' };

/** An owner of configured repositories: ids after the bot's, one per distinct owner. */
export function ownerOf(core: Core, login: string): { id: number; login: string } {
  const owners = [...new Set(core.store.repos.map((r) => r.split('/')[0]))];
  return { id: BOT.id + 1 + owners.indexOf(login), login };
}

function giteaUser(core: Core, { id, login }: { id: number; login: string }) {
  return {
    id,
    login,
    login_name: '',
    source_id: 0,
    full_name: '',
    email: `${login}@noreply.localhost`,
    avatar_url: `${core.url}/avatars/${login}`,
    html_url: `${core.url}/${login}`,
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
    username: login,
  };
}

function githubUser(core: Core, { id, login }: { id: number; login: string }, type: 'Bot' | 'User') {
  const api = `${core.apiUrl}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId(type === 'Bot' ? 'BOT' : 'U', id),
    avatar_url: `${core.url}/avatars/${login}`,
    gravatar_id: '',
    url: api,
    html_url: `${core.url}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(`forge-server:${id}`).toString('base64url')}`;
}

/**
 * Gitea links an attachment by name in lists, but by uuid on its own (upload, GET, PATCH) and, even in
 * lists, while two of the release's attachments share a name.
 */
function giteaDownloadUrl(core: Core, release: Release, asset: Asset, listed: boolean): string {
  const names = new Set(release.assets.map((a) => a.name));
  const byName = listed && names.size === release.assets.length;
  return byName ? downloadUrl(core, release, asset) : `${core.url}/attachments/${asset.uuid}`;
}

/** One attachment on its own: the upload's answer, `GET` and `PATCH` of `.../assets/{id}`. */
export function giteaAttachment(core: Core, release: Release, asset: Asset, listed = false) {
  return {
    id: asset.id,
    name: asset.name,
    size: asset.size,
    download_count: asset.downloadCount,
    created_at: iso(asset.createdAt),
    uuid: asset.uuid,
    browser_download_url: asset.externalUrl ?? giteaDownloadUrl(core, release, asset, listed),
    // Forgejo tells uploaded files from external links (`external`, size 0).
    ...(core.flavour === 'forgejo'
      ? { type: asset.externalUrl === undefined ? 'attachment' : 'external' }
      : {}),
  };
}

/** A release's attachments as Gitea lists them: by name in byte order (not UTF-16 order), then id. */
export function giteaAttachments(core: Core, release: Release) {
  return [...release.assets]
    .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)) || a.id - b.id)
    .map((asset) => giteaAttachment(core, release, asset, true));
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
    author: giteaUser(core, BOT),
    assets: giteaAttachments(core, release),
    ...(core.flavour === 'forgejo'
      ? {
          hide_archive_links: release.hideArchiveLinks,
          archive_download_count: { zip: 0, tar_gz: 0 },
        }
      : {}),
  };
}

export function githubAsset(core: Core, release: Release, asset: Asset) {
  return {
    url: `${core.apiUrl}/repos/${release.repo}/releases/assets/${asset.id}`,
    id: asset.id,
    node_id: nodeId('RA', asset.id),
    name: asset.name,
    label: asset.label,
    uploader: githubUser(core, BOT, 'Bot'),
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
    author: githubUser(core, BOT, 'Bot'),
    node_id: nodeId('RE', release.id),
    tag_name: release.tag,
    target_commitish: release.targetCommitish,
    name: release.name,
    draft: release.draft,
    immutable: release.immutable,
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

/** Fields both forges derive the same way for a configured repository. */
function repositoryBasics(core: Core, repo: string) {
  return {
    id: core.store.repos.indexOf(repo) + 1,
    name: repo.split('/')[1],
    full_name: repo,
    html_url: `${core.url}/${repo}`,
    clone_url: `${core.url}/${repo}.git`,
    ssh_url: `git@127.0.0.1:${repo}.git`,
    default_branch: core.store.defaultBranch,
    created_at: iso(core.store.createdAt),
    updated_at: iso(core.store.createdAt),
  };
}

/** Gitea's `Repository`, as the bot (with write access) sees it. */
export function giteaRepository(core: Core, repo: string) {
  const api = `${core.apiUrl}/repos/${repo}`;
  return {
    ...repositoryBasics(core, repo),
    owner: giteaUser(core, ownerOf(core, repo.split('/')[0])),
    description: '',
    empty: core.store.isEmpty(repo),
    private: false,
    fork: false,
    template: false,
    mirror: false,
    size: 0,
    language: '',
    languages_url: `${api}/languages`,
    url: api,
    link: '',
    original_url: '',
    website: '',
    stars_count: 0,
    forks_count: 0,
    watchers_count: 0,
    open_issues_count: 0,
    open_pr_counter: 0,
    release_counter: core.store.listReleases(repo).filter((r) => !r.draft).length,
    archived: false,
    archived_at: '1970-01-01T00:00:00Z',
    permissions: { admin: false, push: true, pull: true },
    has_code: true,
    has_issues: true,
    internal_tracker: {
      enable_time_tracker: true,
      allow_only_contributors_to_track_time: true,
      enable_issue_dependencies: true,
    },
    has_wiki: true,
    has_pull_requests: true,
    has_projects: true,
    projects_mode: 'all',
    has_releases: true,
    has_packages: true,
    has_actions: true,
    ignore_whitespace_conflicts: false,
    allow_merge_commits: true,
    allow_rebase: true,
    allow_rebase_explicit: true,
    allow_squash_merge: true,
    allow_fast_forward_only_merge: true,
    allow_rebase_update: true,
    allow_manual_merge: false,
    autodetect_manual_merge: false,
    default_delete_branch_after_merge: false,
    default_merge_style: 'merge',
    default_allow_maintainer_edit: false,
    avatar_url: '',
    internal: false,
    mirror_interval: '',
    object_format_name: 'sha1',
    mirror_updated: '0001-01-01T00:00:00Z',
    topics: [],
    licenses: [],
  };
}

/**
 * Gitea's `Package` for the package's newest version (the id and date are the version's). Gitea sends
 * `repository: null` for an unlinked package, which the spec's schema does not allow.
 */
export function giteaPackage(core: Core, pkg: Package) {
  const version = pkg.versions[pkg.versions.length - 1];
  const owner = giteaUser(core, ownerOf(core, pkg.owner));
  // Gitea links the lower-cased name and version; encodeURIComponent matches Go's url.PathEscape for
  // the characters package names and versions use (`/` becomes %2F).
  const segment = (text: string) => encodeURIComponent(text.toLowerCase());
  return {
    id: version.id,
    owner,
    repository: pkg.repo === undefined ? null : giteaRepository(core, pkg.repo),
    creator: giteaUser(core, BOT),
    type: pkg.type,
    name: pkg.name,
    version: version.version,
    html_url: `${owner.html_url}/-/packages/${pkg.type}/${segment(pkg.name)}/${segment(version.version)}`,
    created_at: iso(version.createdAt),
  };
}

/** GitHub's `full-repository`, as a token with push access sees it. */
export function githubRepository(core: Core, repo: string) {
  const api = `${core.apiUrl}/repos/${repo}`;
  const basics = repositoryBasics(core, repo);
  return {
    ...basics,
    node_id: nodeId('R', basics.id),
    owner: githubUser(core, ownerOf(core, repo.split('/')[0]), 'User'),
    private: false,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://127.0.0.1/${repo}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
    svn_url: basics.html_url,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    open_issues: 0,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: basics.updated_at,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
}
