import type { Flavour, ForgeServer } from '@forge-actions/forge-server';

/** Every flavour the local forge server plays; the forge tests run on each. */
export const FLAVOURS: readonly Flavour[] = ['gitea', 'forgejo', 'github'];

/**
 * The environment a runner gives a job of octo/app against the local forge server: Gitea's runner sets
 * GITEA_ACTIONS; Forgejo's sets FORGEJO_ACTIONS and GITEA_ACTIONS too, and each GITHUB_* variable also as
 * FORGEJO_*; GitHub's sets neither. With `tag`, the job runs for that tag ref.
 */
export function forgeRunnerEnv(server: ForgeServer, tag?: string): Record<string, string> {
  const github: Record<string, string> = {
    GITHUB_SERVER_URL: server.url,
    GITHUB_API_URL: server.apiUrl,
    GITHUB_REPOSITORY: 'octo/app',
    ...(tag ? { GITHUB_REF: `refs/tags/${tag}`, GITHUB_REF_NAME: tag, GITHUB_REF_TYPE: 'tag' } : {}),
  };
  if (server.flavour === 'gitea') return { ...github, GITEA_ACTIONS: 'true' };
  if (server.flavour === 'github') return github;
  const forgejo = Object.entries(github).map(([name, value]) => [
    name.replace(/^GITHUB_/, 'FORGEJO_'),
    value,
  ]);
  return { ...github, ...Object.fromEntries(forgejo), FORGEJO_ACTIONS: 'true', GITEA_ACTIONS: 'true' };
}
