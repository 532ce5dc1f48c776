import { ActionError, InputError } from '@forge-actions/action-kit/errors';
import { type ForgeClient, ForgeError, type Release } from '@forge-actions/forge';

/** Which release a step works on: the `release-id` input, or the `tag` input. */
export type ReleaseTarget = { id: number } | { tag: string };

/** Reads `release-id` or `tag` (exactly one of them) before any request. */
export function readReleaseTarget(inputs: {
  string(name: string): string;
  positiveInt(name: string): number;
}): ReleaseTarget {
  const id = inputs.string('release-id');
  const tag = inputs.string('tag');
  if (id && tag) throw new InputError('release-id', "and 'tag' were both given; give one of them");
  if (!id && !tag) throw new InputError('release-id', "or 'tag' must be given (neither was)");
  return id ? { id: inputs.positiveInt('release-id') } : { tag };
}

/**
 * The release a step works on. A missing release and a repository the token cannot see both answer
 * 404, so when the release is not found the repository is asked for, and the error says which it is.
 */
export async function locateRelease(
  client: ForgeClient,
  target: ReleaseTarget,
  /** What to do about a missing release, e.g. `create it first (create-release).` */
  remedy: string,
): Promise<Release> {
  let release: Release | undefined;
  try {
    release = 'id' in target ? await client.getRelease(target.id) : await client.getReleaseByTag(target.tag);
  } catch (error) {
    if (!(error instanceof ForgeError && error.status === 404)) throw error;
  }
  if (release) return release;
  if (!(await client.repositoryVisible())) {
    throw new ActionError(
      `Repository ${client.repository} was not found at ${client.apiUrl}, or the token cannot see it: ` +
        "check the 'repository' and 'api-url' inputs and the token's access.",
    );
  }
  const what = 'id' in target ? `no release with id ${target.id}` : `no release for tag ${target.tag}`;
  throw new ActionError(`${client.repository} has ${what}; ${remedy}`);
}
