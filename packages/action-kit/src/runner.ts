import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What the runner tells a step about the run, read once from the environment it sets, so no action reads
 * `process.env` for it. Outside a runner (a local try) the working directory and the OS temp stand in.
 */
export interface Runner {
  /** `GITHUB_WORKSPACE`: where relative paths in inputs point, and where an action may write. */
  readonly workspace: string;
  /** `RUNNER_TEMP`, emptied by the runner after each job. */
  readonly temp: string;
  /** `RUNNER_TOOL_CACHE`, kept across jobs on self-hosted runners; undefined when the runner has none. */
  readonly toolCache: string | undefined;
  /** The tag the run is for (`refs/tags/<tag>`), '' when the run is for a branch or a pull request. */
  readonly tag: string;
  /** `GITHUB_SERVER_URL` and `GITHUB_REPOSITORY`, as the runner gives them ('' without a runner). */
  readonly serverUrl: string;
  readonly repository: string;
  /** The commit the run is for (`GITHUB_SHA`), '' without a runner. */
  readonly sha: string;
  /** `SOURCE_DATE_EPOCH`: the time reproducible builds stamp into what they make, when the job sets one. */
  readonly sourceDateEpoch: string | undefined;
  /** Step debug logging is on (`RUNNER_DEBUG=1`). */
  readonly debug: boolean;
  /** Where an action may write at all: the workspace, the temp folder and the tool cache. */
  readonly writableRoots: readonly string[];
  /** A new, empty folder in the runner's temp for this step. */
  tempDir(prefix: string): string;
}

export function runnerContext(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Runner {
  const workspace = env.GITHUB_WORKSPACE || cwd;
  const temp = env.RUNNER_TEMP || join(tmpdir(), 'forge-actions');
  const toolCache = env.RUNNER_TOOL_CACHE || undefined;
  return {
    workspace,
    temp,
    toolCache,
    tag: tagOfRun(env),
    serverUrl: env.GITHUB_SERVER_URL ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    sha: env.GITHUB_SHA ?? '',
    sourceDateEpoch: env.SOURCE_DATE_EPOCH,
    debug: env.RUNNER_DEBUG === '1',
    writableRoots: [workspace, temp, ...(toolCache ? [toolCache] : [])],
    tempDir(prefix) {
      mkdirSync(temp, { recursive: true });
      return mkdtempSync(join(temp, `${prefix}-`));
    },
  };
}

/** Gitea's runner sets `GITHUB_REF`; `GITHUB_REF_TYPE`/`GITHUB_REF_NAME` cover runners that set only those. */
function tagOfRun(env: NodeJS.ProcessEnv): string {
  const ref = env.GITHUB_REF ?? '';
  if (ref.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length);
  return env.GITHUB_REF_TYPE === 'tag' ? (env.GITHUB_REF_NAME ?? '') : '';
}
