// Tag-name validity (git check-ref-format), GitHub's renaming of asset names and the owner names Gitea
// reserves.

/** Whether `refs/tags/<tag>` passes `git check-ref-format` (what both forges enforce). */
export function isValidTagName(tag: string): boolean {
  if (tag === '' || tag === '@') return false;
  // Control characters, space and the characters git reserves for revision syntax.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(tag)) return false;
  if (tag.includes('..') || tag.includes('@{') || tag.includes('//')) return false;
  if (tag.startsWith('/') || tag.endsWith('/') || tag.endsWith('.')) return false;
  return tag.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/**
 * The name GitHub stores for an uploaded asset. GitHub documents only that it "renames asset
 * filenames that have special characters, non-alphanumeric characters, and leading or trailing
 * periods"; this follows what users observe (e.g. travis-ci/dpl#821, softprops/action-gh-release#159):
 * - letters with diacritics lose them (NFKD, marks dropped: `é` → `e`);
 * - every run of characters other than ASCII letters, digits, `_`, `-` and `+` (dots included)
 *   becomes one `.` (`My App (x64).exe` → `My.App.x64.exe`, `1~buster` → `1.buster`);
 * - leading and trailing dots are removed (`.hidden.` → `hidden`).
 * Returns '' when nothing is left.
 */
export function githubAssetName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9_+-]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
}

/** Gitea's reserved user and organisation names (models/user/user.go): its own top-level routes. */
const GITEA_RESERVED_NAMES = new Set([
  '.',
  '..',
  '.well-known',
  'admin',
  'api',
  'assets',
  'attachments',
  'avatar',
  'avatars',
  'captcha',
  'commits',
  'debug',
  'error',
  'explore',
  'favicon.ico',
  'ghost',
  'gitea-actions',
  'issues',
  'login',
  'manifest.json',
  'metrics',
  'milestones',
  'new',
  'notifications',
  'org',
  'pulls',
  'raw',
  'repo',
  'repo-avatars',
  'robots.txt',
  'search',
  'serviceworker.js',
  'ssh_info',
  'swagger.v1.json',
  'user',
  'v2',
]);

/** Whether Gitea refuses `name` for a user or organisation (422 `name is reserved`), case-insensitively. */
export function isReservedGiteaOwner(name: string): boolean {
  const lower = name.toLowerCase();
  return GITEA_RESERVED_NAMES.has(lower) || /\.(keys|gpg|rss|atom|png)$/.test(lower);
}
