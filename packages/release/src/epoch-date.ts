// Gitea and Forgejo can leave the release that won a race of simultaneous creates (for a tag not yet in
// git) dated 1970-01-01; it then sorts last, and the previous release is served as latest, through the
// API and `releases/latest/download/…`. Publishing it again from a draft dates it anew.
import type { Logger } from '@forge-actions/action-kit/errors';
import type { ForgeClient, Release } from '@forge-actions/forge';

function epochDated(release: Release): boolean {
  return !release.draft && release.publishedAt !== undefined && release.publishedAt.startsWith('1970-01-01');
}

/** The release as published, its date repaired (draft, then published again) when it was 1970-01-01. */
export async function repairEpochDate(
  api: Pick<ForgeClient, 'updateRelease'>,
  release: Release,
  logger: Logger,
): Promise<Release> {
  if (!epochDated(release)) return release;
  logger.warning(
    `Release ${release.id} for ${release.tagName} is dated 1970-01-01 (left so by simultaneous creates), so the server would serve an older release as latest; publishing it again to date it now.`,
  );
  await api.updateRelease(release.id, { draft: true });
  const repaired = await api.updateRelease(release.id, { draft: false });
  if (epochDated(repaired)) {
    logger.warning(
      `Release ${release.id} is still dated 1970-01-01 after publishing it again; edit it by hand.`,
    );
  }
  return repaired;
}
