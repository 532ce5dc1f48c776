// Forgejo's external-link assets (`type: external`, size 0): links to files elsewhere that a user put on
// the release. They are not the release's bytes: never hashed, downloaded, listed in SHA256SUMS,
// replaced or deleted, unless the user asks for one to be replaced by a file of its name.
import { ActionError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import type { Asset } from '@forge-actions/forge';
import { CHECKSUMS_NAME } from './checksums.js';

/** The assets whose bytes are on the release: all but external links. */
export const attachmentsOf = (listing: readonly Asset[]): Asset[] => listing.filter((a) => !a.external);

export const externalLinksOf = (listing: readonly Asset[]): Asset[] =>
  listing.filter((a) => a.external === true);

/**
 * Where an external link points, for logs and summaries: origin and path only (a query may carry a
 * signature, and the origin holds no credentials).
 */
export function shownLink(asset: Asset): string {
  try {
    const url = new URL(asset.downloadUrl);
    return printable(`${url.origin}${url.pathname}`);
  } catch {
    return 'an unreadable address';
  }
}

/** What to do instead, by the name that clashes with an external link. */
const HINT = {
  file: 'rename the file, remove the link on the release, or set replace-external: true to replace it',
  checksums: 'remove the link on the release, or set checksums: none',
};

/**
 * The external links this run's names would replace. SHA256SUMS never replaces one; a file does only
 * when `replaceExternal` is set: otherwise the clash fails the run before anything changes.
 */
export function externalLinksToReplace(
  listing: readonly Asset[],
  files: ReadonlySet<string>,
  options: { checksums: boolean; replaceExternal: boolean },
): Asset[] {
  const links = externalLinksOf(listing);
  const clashes = links.flatMap((link) => {
    if (options.checksums && link.name === CHECKSUMS_NAME) return [{ link, hint: HINT.checksums }];
    if (files.has(link.name) && !options.replaceExternal) return [{ link, hint: HINT.file }];
    return [];
  });
  if (clashes.length > 0) {
    const { link, hint } = clashes[0];
    const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : '';
    throw new ActionError(
      `${printable(link.name)} is an external link on the release (to ${shownLink(link)}), not a file this ` +
        `action replaces${more}: ${hint}.`,
    );
  }
  return links.filter((link) => files.has(link.name));
}
