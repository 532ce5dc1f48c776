import type { ForgeServer } from '@forge-actions/forge-server';

/**
 * The environment a runner gives a job of octo/app against the local forge server: Gitea's runner sets
 * GITEA_ACTIONS, GitHub's does not. With `tag`, the job runs for that tag ref.
 */
export function forgeRunnerEnv(server: ForgeServer, tag?: string): Record<string, string> {
  return {
    GITHUB_SERVER_URL: server.url,
    GITHUB_API_URL: server.apiUrl,
    GITHUB_REPOSITORY: 'octo/app',
    ...(tag ? { GITHUB_REF: `refs/tags/${tag}`, GITHUB_REF_NAME: tag, GITHUB_REF_TYPE: 'tag' } : {}),
    ...(server.flavour === 'gitea' ? { GITEA_ACTIONS: 'true' } : {}),
  };
}
