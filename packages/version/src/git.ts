import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** What the resolution needs from git; injectable so the chain can be exercised without a repository. */
export interface GitReader {
  /**
   * Tags pointing at HEAD whose names match a `git tag --list` glob, or why there is no answer (not a
   * repository, no commit yet, no git): the chain then moves on without complaint.
   */
  tagsOnHead(pattern: string, cwd: string): Promise<{ tags: string[] } | { skipped: string }>;
}

const run = promisify(execFile);

/** The real git, through `git tag --points-at HEAD --list <pattern>`. */
export const systemGit: GitReader = {
  async tagsOnHead(pattern, cwd) {
    try {
      const { stdout } = await run('git', ['tag', '--points-at', 'HEAD', '--list', pattern], {
        cwd,
        encoding: 'utf8',
        windowsHide: true,
      });
      return { tags: stdout.split('\n').filter((line) => line.trim() !== '') };
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      const reason =
        e.code === 'ENOENT' ? 'git is not installed' : (e.stderr ?? e.message).trim().split('\n')[0];
      return { skipped: reason };
    }
  },
};
