import { ActionError } from '@forge-actions/action-kit/errors';

/**
 * A published release in a GitHub repository with immutable releases keeps its assets for good: the one
 * flow that works there is draft → every upload → publish.
 */
export function immutableReleaseError(tag: string, differing: string[]): ActionError {
  return new ActionError(
    `Release ${tag} is published and immutable (this GitHub repository has immutable releases), so its assets ` +
      `can no longer be added, changed or deleted, and these differ from this run's: ${differing.join(', ')}. ` +
      'Create the release as a draft (create-release draft: true), upload from every job, then publish it with finalize-release.',
  );
}
