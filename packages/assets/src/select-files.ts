import { realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import * as glob from '@actions/glob';
import { InputError } from '@forge-actions/action-kit/errors';

export interface LocalFile {
  /** The asset name: the file's base name. */
  name: string;
  path: string;
  size: number;
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The literal part of a pattern before its first glob character. */
const literalPrefix = (pattern: string) => pattern.split(/[*?[{]/, 1)[0];

/**
 * Expands the `files` globs (one a line, `!` excludes) against the workspace. A pattern that points
 * outside the workspace, a match that is a symlink leading out of it, and two matches with the same
 * base name (they would be one asset) are input errors.
 */
export async function selectFiles(
  patterns: string[],
  workspace: string,
  failOnNoFiles: boolean,
): Promise<LocalFile[]> {
  const root = realpathSync(workspace);
  const absolute = patterns.map((line) => {
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    const full = resolve(root, pattern);
    if (!inside(root, resolve(root, literalPrefix(pattern)))) {
      throw new InputError('files', `pattern '${line}' points outside the workspace (${root})`);
    }
    return negated ? `!${full}` : full;
  });
  const globber = await glob.create(absolute.join('\n'), {
    matchDirectories: false,
    implicitDescendants: false,
  });
  const files: LocalFile[] = [];
  const byName = new Map<string, string>();
  for (const path of (await globber.glob()).sort()) {
    if (!inside(root, realpathSync(path))) {
      throw new InputError('files', `'${relative(root, path)}' is a link to a file outside the workspace`);
    }
    const name = basename(path);
    const other = byName.get(name);
    if (other) throw new InputError('files', `'${other}' and '${path}' would both be uploaded as '${name}'`);
    byName.set(name, path);
    files.push({ name, path, size: statSync(path).size });
  }
  if (files.length === 0 && failOnNoFiles) {
    throw new InputError(
      'files',
      `matched no files (${patterns.join(', ')}); set fail-on-no-files: false to allow that`,
    );
  }
  return files;
}
