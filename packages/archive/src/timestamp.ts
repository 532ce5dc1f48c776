import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ActionError } from '@forge-actions/action-kit/errors';

const run = promisify(execFile);

export interface ArchiveTime {
  date: Date;
  source: 'SOURCE_DATE_EPOCH' | 'commit' | 'default';
  /** Why the default was taken, when it was. */
  note?: string;
}

/**
 * 1980-01-01T00:00:00Z: the earliest time a zip entry can hold.
 * @internal Exported for its unit tests.
 */
export const ZIP_EPOCH = new Date(Date.UTC(1980, 0, 1));

/**
 * The timestamp every archive entry gets (reproducible-builds.org): `sourceDateEpoch` (the environment's
 * `SOURCE_DATE_EPOCH`) when set, else
 * the committer time of HEAD of the git repository around `cwd`, else 1980-01-01 (zip's earliest).
 */
export async function archiveTime(sourceDateEpoch: string | undefined, cwd: string): Promise<ArchiveTime> {
  const epoch = sourceDateEpoch?.trim();
  if (epoch) {
    if (!/^\d+$/.test(epoch) || !Number.isSafeInteger(Number(epoch))) {
      throw new ActionError(`SOURCE_DATE_EPOCH must be whole seconds since 1970 (got '${epoch}')`);
    }
    return { date: new Date(Number(epoch) * 1000), source: 'SOURCE_DATE_EPOCH' };
  }
  try {
    const { stdout } = await run('git', ['log', '-1', '--format=%ct'], { cwd, encoding: 'utf8' });
    const seconds = stdout.trim();
    if (/^\d+$/.test(seconds)) return { date: new Date(Number(seconds) * 1000), source: 'commit' };
    return { date: ZIP_EPOCH, source: 'default', note: 'git log gave no commit time' };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    const why = e.code === 'ENOENT' ? 'git is not installed' : (e.stderr || e.message).trim().split('\n')[0];
    return { date: ZIP_EPOCH, source: 'default', note: why };
  }
}
