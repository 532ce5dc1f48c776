import type { Logger } from '@forge-actions/action-kit/errors';
import type { ForgeClient, MakeLatest, Release } from '@forge-actions/forge';
import { compareVersions, normalizeVersion } from '@forge-actions/version';

/** The `make-latest` input. */
export type MakeLatestChoice = 'auto' | 'true' | 'false';

/**
 * GitHub's `make_latest` for publishing a release. `auto`: "Latest" unless the release now shown as
 * Latest has a higher version, so a hot-fix on an old line does not take the badge from the current line
 * (GitHub's own default would give it); pre-releases never. undefined: send nothing (Gitea, which has no
 * such setting, or versions that cannot be compared, where GitHub's default applies).
 */
export async function chooseMakeLatest(
  api: Pick<ForgeClient, 'api' | 'forgeName' | 'getLatestRelease'>,
  release: Pick<Release, 'tagName' | 'prerelease'>,
  choice: MakeLatestChoice,
  logger: Logger,
): Promise<MakeLatest | undefined> {
  if (api.api !== 'github') {
    if (choice !== 'auto') {
      logger.info(
        `make-latest is ignored here: ${api.forgeName} shows its newest published stable release as latest.`,
      );
    }
    return undefined;
  }
  if (choice !== 'auto') return choice;
  if (release.prerelease) return 'false';
  const mine = normalizeVersion(release.tagName);
  if (mine.kind !== 'version') return undefined;
  const latest = await api.getLatestRelease();
  if (!latest || latest.tagName === release.tagName) return 'true';
  const theirs = normalizeVersion(latest.tagName);
  if (theirs.kind !== 'version') return undefined;
  if (compareVersions(theirs, mine) > 0) {
    logger.info(`${latest.tagName} is Latest and newer, so ${release.tagName} is not made Latest.`);
    return 'false';
  }
  return 'true';
}
