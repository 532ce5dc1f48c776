import type { Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';

export interface TreeEntry {
  /** Path below the root with `/` separators. */
  path: string;
  absolute: string;
  kind: 'directory' | 'file' | 'symlink';
  stats: Stats;
  /** Link target as stored (symlinks only). */
  target?: string;
}

/** Plain code-unit order: the same on every machine and locale, unlike localeCompare. */
const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every folder, file and symbolic link below `root` (links are listed, never followed), sorted by path
 * so the order owes nothing to creation order or the file system. Sockets, FIFOs and devices fail.
 */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const visit = async (dir: string, prefix: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const absolute = join(dir, name);
      const path = prefix ? `${prefix}/${name}` : name;
      const stats = await lstat(absolute);
      if (stats.isDirectory()) {
        entries.push({ path, absolute, kind: 'directory', stats });
        await visit(absolute, path);
      } else if (stats.isFile()) {
        entries.push({ path, absolute, kind: 'file', stats });
      } else if (stats.isSymbolicLink()) {
        entries.push({ path, absolute, kind: 'symlink', stats, target: await readlink(absolute) });
      } else {
        throw new ActionError(`${absolute} is not a file, folder or link and cannot be archived`);
      }
    }
  };
  await visit(root, '');
  return entries.sort((a, b) => byPath(a.path, b.path));
}
