import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import type { ForgeClient, MakeLatest, NewRelease, Release, ReleasePatch } from '@forge-actions/forge';
import { readDigestRecord, replaceGenerated, withDigestRecord } from './body.js';
import { repairEpochDate } from './epoch-date.js';

/** A new release's fields (the full body), and the generated section alone for `update`. */
export interface WantedRelease extends NewRelease {
  generated: string;
}

/** What this logic needs of a forge client (getReleaseByTag finds drafts too, the oldest first). */
export type ReleaseApi = Pick<
  ForgeClient,
  | 'api'
  | 'flavour'
  | 'forgeName'
  | 'getReleaseByTag'
  | 'listReleases'
  | 'createRelease'
  | 'updateRelease'
  | 'deleteRelease'
>;

export type OnExisting = 'reuse' | 'update' | 'fail';
type Outcome = 'created' | 'reused' | 'updated' | 'adopted';

export interface EnsureOptions {
  onExisting: OnExisting;
  logger: Logger;
  /** Whether a failed create may have lost a race (or may not have happened) and is worth a look-up. */
  isRetryableCreateFailure: (error: unknown) => boolean;
  /** How many look-up-then-create rounds after a failed create. */
  attempts?: number;
  /** Waits between rounds; injected so tests need no real time. */
  delay?: (round: number) => Promise<void>;
  /** GitHub's `make_latest` for a release this run publishes; asked only when it does. */
  makeLatest?: () => Promise<MakeLatest | undefined>;
}

export interface EnsureResult {
  release: Release;
  created: boolean;
  outcome: Outcome;
}

const defaultDelay = (round: number) =>
  new Promise<void>((done) => setTimeout(done, Math.min(8000, 250 * 2 ** round) * (0.5 + Math.random() / 2)));

/**
 * One release per tag, and one dated right (see epoch-date.ts). Looks up first; creates when absent. A create that fails in a way that may
 * mean another job won the race (GitHub 422 already_exists, Gitea 409 or 500, a 5xx or a dropped
 * connection that may have created it after all) is followed by a fresh look-up after a backoff, and
 * by another create only when the look-up still finds nothing, so parallel jobs converge on one.
 */
export async function ensureRelease(
  api: ReleaseApi,
  wanted: WantedRelease,
  options: EnsureOptions,
): Promise<EnsureResult> {
  const result = await settleRelease(api, wanted, options);
  return { ...result, release: await repairEpochDate(api, result.release, options.logger) };
}

async function settleRelease(
  api: ReleaseApi,
  wanted: WantedRelease,
  options: EnsureOptions,
): Promise<EnsureResult> {
  const attempts = options.attempts ?? 6;
  const delay = options.delay ?? defaultDelay;
  if (wanted.hideArchiveLinks && api.flavour !== 'forgejo') {
    options.logger.info(
      `hide-archive-links is ignored here: ${api.forgeName} has no such setting (Forgejo has).`,
    );
  }
  for (let round = 0; ; round++) {
    const existing = await api.getReleaseByTag(wanted.tag);
    if (existing) return applyExisting(api, existing, wanted, options);
    try {
      const makeLatest = wanted.draft ? undefined : await options.makeLatest?.();
      const release = await api.createRelease({ ...wanted, makeLatest });
      if (release.draft && api.api === 'github') return settleGitHubDrafts(api, release, options.logger);
      return { release, created: true, outcome: 'created' };
    } catch (error) {
      if (!options.isRetryableCreateFailure(error) || round >= attempts) throw error;
      options.logger.info(
        `Creating the release for ${wanted.tag} did not succeed cleanly; looking it up again.`,
      );
      await delay(round);
    }
  }
}

async function oldestDraft(api: ReleaseApi, tag: string): Promise<Release | undefined> {
  let oldest: Release | undefined;
  for await (const release of api.listReleases()) {
    if (release.tagName === tag && release.draft && (!oldest || release.id < oldest.id)) oldest = release;
  }
  return oldest;
}

// Drafts do not hold the tag on GitHub, so parallel jobs can each create one. Every job keeps the
// oldest draft for the tag and deletes its own if it is not that one.
async function settleGitHubDrafts(api: ReleaseApi, mine: Release, logger: Logger): Promise<EnsureResult> {
  const oldest = await oldestDraft(api, mine.tagName);
  if (!oldest || oldest.id === mine.id) return { release: mine, created: true, outcome: 'created' };
  logger.info(
    `Another job created draft ${oldest.id} for ${mine.tagName} first; removing duplicate draft ${mine.id}.`,
  );
  await api.deleteRelease(mine.id);
  return { release: oldest, created: false, outcome: 'adopted' };
}

async function applyExisting(
  api: ReleaseApi,
  existing: Release,
  wanted: WantedRelease,
  options: EnsureOptions,
): Promise<EnsureResult> {
  if (options.onExisting === 'fail') {
    throw new ActionError(
      `A release for tag ${wanted.tag} already exists (id ${existing.id}) and on-existing is 'fail'.`,
    );
  }
  const patch: ReleasePatch = {};
  // A draft left by an earlier, failed run is taken over and published when this run wants a release.
  if (existing.draft && !wanted.draft) {
    patch.draft = false;
    patch.makeLatest = await options.makeLatest?.();
  }
  if (options.onExisting === 'update') {
    // The uploads' digest record stays: the table is the workflow's to change, the record is not.
    const generated = withDigestRecord(wanted.generated, readDigestRecord(existing.body));
    const body = replaceGenerated(existing.body, generated);
    if (body !== existing.body) patch.body = body;
    const hide = wanted.hideArchiveLinks ?? false;
    if (existing.hideArchiveLinks !== undefined && existing.hideArchiveLinks !== hide)
      patch.hideArchiveLinks = hide;
  }
  if (Object.keys(patch).length === 0) return { release: existing, created: false, outcome: 'reused' };
  const release = await api.updateRelease(existing.id, patch);
  const outcome: Outcome = patch.draft === false ? 'adopted' : 'updated';
  options.logger.info(`Release ${existing.id} for ${wanted.tag} ${outcome}.`);
  return { release, created: false, outcome };
}
