import { InputError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import type { LocalFile, Selection } from './select-files.js';

/** @internal Exported for its unit tests. */
export const GITHUB_MAX_ASSET_BYTES = 2 * 1024 ** 3;
const GITHUB_MAX_ASSETS = 1000;

/**
 * The name GitHub stores for an uploaded file name: it replaces characters outside a safe set with
 * '.' and drops leading and trailing dots. Uploading under a name GitHub changes would make the
 * dedup look for the wrong name on the next run.
 * @internal Exported for its unit tests.
 */
export function githubStoredName(name: string): string {
  return name.replace(/[^A-Za-z0-9._+@-]/g, '.').replace(/^\.+|\.+$/g, '');
}

export interface Preflight {
  warnings: string[];
}

/**
 * What the selection skipped (on every forge), then GitHub's limits, checked before anything changes:
 * no empty files (422 `size must be greater than or equal to 1`; Gitea takes them), 2 GiB per asset
 * and 1000 assets per release (counting the assets already there that this run does not replace).
 */
export function preflight(
  files: LocalFile[] | Selection,
  api: 'gitea' | 'github',
  existingNames: Iterable<string>,
): Preflight {
  const warnings = ('skipped' in files ? files.skipped : []).map((what) => `${what}; skipped`);
  if (api !== 'github') return { warnings };
  const empty = files.filter((file) => file.size === 0);
  if (empty.length > 0) {
    throw new InputError(
      'files',
      `matched empty files, which GitHub refuses: ${empty.map((f) => printable(f.path)).join(', ')}`,
    );
  }
  const tooBig = files.filter((file) => file.size >= GITHUB_MAX_ASSET_BYTES);
  if (tooBig.length > 0) {
    throw new InputError(
      'files',
      `GitHub takes assets under 2 GiB; too large: ${tooBig.map((f) => `${printable(f.name)} (${f.size} bytes)`).join(', ')}`,
    );
  }
  const names = new Set(existingNames);
  for (const file of files) names.add(file.name);
  if (names.size > GITHUB_MAX_ASSETS) {
    throw new InputError(
      'files',
      `the release would hold ${names.size} assets; GitHub allows ${GITHUB_MAX_ASSETS}`,
    );
  }
  for (const file of files) {
    const stored = githubStoredName(file.name);
    if (stored !== file.name)
      warnings.push(
        `GitHub will store '${printable(file.name)}' as '${stored}'; rename the file to keep re-runs exact.`,
      );
  }
  return { warnings };
}
