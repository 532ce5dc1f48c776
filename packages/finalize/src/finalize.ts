import type { Phase } from '@forge-actions/action-kit/contract';
import type { Logger } from '@forge-actions/action-kit/errors';
import {
  type AssetResult,
  attachmentsOf,
  CHECKSUMS_NAME,
  checksumsFor,
  externalLinksOf,
  externalLinksToReplace,
  immutableReleaseError,
  KnownDigests,
  newestByName,
  refreshGeneratedSection,
  type SettledChecksums,
  settleChecksums,
  targetOfPartial,
} from '@forge-actions/assets';
import type { Asset, ForgeClient, Release } from '@forge-actions/forge';
import {
  chooseMakeLatest,
  type MakeLatestChoice,
  readDownloadRows,
  repairEpochDate,
} from '@forge-actions/release';
import { expectations, unmet } from './expected.js';

export interface FinalizeOptions {
  /** Names or globs that must be on the release; empty: the file names of the downloads rows. */
  expect: string[];
  checksums: 'none' | 'sha256';
  publish: boolean;
  makeLatest: MakeLatestChoice;
  allowMissing: boolean;
  tempDir: string;
  logger: Logger;
  phase?: Phase;
}

export interface FinalizeReport {
  /** The release as this run leaves it. */
  release: Release;
  /** Expected names or globs that nothing on the release matches. */
  missing: string[];
  assets: AssetResult[];
  /** Why the release was left unpublished or incomplete, when the step must fail. */
  blocked?: string;
}

const direct: Phase = (_title, run) => run();

/** Temporary names of interrupted GitHub replacements, and uploads that broke off: never part of a release. */
const isLeftover = (asset: Asset) => targetOfPartial(asset.name) !== undefined || asset.state === 'starter';

/**
 * Ends a multi-job release: every expected name on the release exactly once (leftovers of killed jobs
 * removed; of a name held twice the newest upload stays, as the upload jobs settle it), then one
 * SHA256SUMS for every asset when asked, then the draft published, then the downloads table written
 * with the links as published. A missing name stops it before anything is published, so users never
 * see a half release. On a complete, published release it changes nothing.
 */
export async function finalizeRelease(
  client: ForgeClient,
  release: Release,
  options: FinalizeOptions,
): Promise<FinalizeReport> {
  const phase = options.phase ?? direct;
  const { logger } = options;
  const known = KnownDigests.forRelease(client, release, options.tempDir, logger);
  const wanted = expectations(
    options.expect,
    readDownloadRows(release.body).map((row) => row.file),
  );
  if (wanted.length === 0) {
    logger.info('Nothing is expected: no expect input, and the release body has no downloads rows.');
  }

  let listing = await phase(`Check release ${release.tagName}`, () => tidy(client, release, logger));
  // An external link named SHA256SUMS stops the run before anything is published.
  externalLinksToReplace(listing, new Set(), {
    checksums: options.checksums === 'sha256',
    replaceExternal: false,
  });
  const missing = unmet(
    wanted,
    listing.map((asset) => asset.name),
  );
  if (missing.length > 0) {
    const what = `${missing.length} expected file(s): ${missing.join(', ')}`;
    if (!options.allowMissing) {
      const state = release.draft ? 'it stays a draft' : 'it is published already';
      return {
        release,
        missing,
        assets: await report(listing, known),
        blocked: `Release ${release.tagName} is missing ${what}; ${state}. Re-run the jobs that build them, then this one.`,
      };
    }
    logger.warning(`Release ${release.tagName} is missing ${what}; allow-missing is true, so it goes on.`);
  }

  let sums: SettledChecksums | undefined;
  if (options.checksums === 'sha256') {
    sums = await phase(CHECKSUMS_NAME, () =>
      release.immutable
        ? checkImmutableChecksums(release, listing, known)
        : settleChecksums({ client, release, logger, known }),
    );
    // The settled listing holds the release's files; its external links are still reported.
    listing = [...sums.listing, ...externalLinksOf(listing)];
  }

  let current = release;
  if (release.draft && options.publish) {
    current = await phase(`Publish ${release.tagName}`, async () => {
      const makeLatest = await chooseMakeLatest(client, release, options.makeLatest, logger);
      const published = await client.updateRelease(release.id, { draft: false, makeLatest });
      logger.info(`Published release ${published.id}: ${published.htmlUrl}`);
      return published;
    });
    // GitHub links a draft's assets under an `untagged-…` name; published, they move under the tag.
    if (client.api === 'github') listing = await client.listAssets(current);
  } else {
    logger.info(
      release.draft ? 'publish is false: the release stays a draft.' : 'The release is published already.',
    );
  }
  // Success is reported for a release that is served as what it is (not dated 1970-01-01 behind an older one).
  current = await repairEpochDate(client, current, logger);

  await phase('Release body (downloads table, digest record)', () =>
    refreshGeneratedSection(client, current, known, logger, { table: true }),
  );
  return { release: current, missing, assets: await report(listing, known, sums) };
}

/**
 * The release's assets, with what killed jobs left behind removed: temporary and broken uploads, and
 * every copy of a name but the newest. An immutable release keeps what it has (it cannot change), and
 * Forgejo's external links are the user's.
 */
async function tidy(client: ForgeClient, release: Release, logger: Logger): Promise<Asset[]> {
  const listing = await client.listAssets(release);
  if (release.immutable) return listing;
  const files = attachmentsOf(listing);
  const newest = newestByName(files);
  const stale = files.filter((asset) => isLeftover(asset) || newest.get(asset.name) !== asset);
  for (const asset of stale) {
    logger.info(`Removing ${asset.name} (asset ${asset.id}), left behind by an interrupted upload.`);
    await client.deleteAsset(release.id, asset.id);
  }
  return stale.length > 0 ? client.listAssets(release) : listing;
}

async function checkImmutableChecksums(
  release: Release,
  listing: Asset[],
  known: KnownDigests,
): Promise<SettledChecksums> {
  const wanted = await checksumsFor(known, listing);
  if (!wanted.upToDate || !wanted.current) {
    throw immutableReleaseError(release.tagName, [
      `${CHECKSUMS_NAME} (${wanted.current ? 'lists other files' : 'not on the release'})`,
    ]);
  }
  return { asset: wanted.current, sha256: wanted.sha256, action: 'skipped', listing };
}

/** Every asset, with its sha256 where it is known without downloading it (GitHub digests, SHA256SUMS). */
async function report(
  listing: Asset[],
  known: KnownDigests,
  sums?: SettledChecksums,
): Promise<AssetResult[]> {
  const digests = known.of(listing);
  const results = await Promise.all(
    listing
      .filter((asset) => !isLeftover(asset))
      .map(async (asset) => ({
        name: asset.name,
        id: asset.id,
        size: asset.size,
        sha256: (!asset.external && (await digests.withoutDownload(asset))) || '',
        url: asset.downloadUrl,
        action: asset.external
          ? ('external' as const)
          : asset.id === sums?.asset.id
            ? sums.action
            : ('skipped' as const),
      })),
  );
  return results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
