import { lstatSync, readlinkSync, realpathSync, type Stats, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import * as glob from '@actions/glob';
import { InputError } from '@forge-actions/action-kit/errors';
import { isInside, isReallyInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';

export interface LocalFile {
  /** The asset name: the file's base name. */
  name: string;
  path: string;
  size: number;
}

/**
 * The files to upload, and what the globs matched that is not uploaded, said in a few words for a
 * warning (preflight reports them): a symlink whose target is missing, matched by a wildcard.
 */
export type Selection = LocalFile[] & { readonly skipped: readonly string[] };

/** The literal part of a pattern before its first glob character. */
const literalPrefix = (pattern: string) => pattern.split(/[*?[{]/, 1)[0];

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** What a match that is not a regular file is, for the message. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'neither a file nor a folder';
}

/** The target of a symlink that `stat` cannot follow, for messages; undefined when it can. */
function brokenLinkTarget(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    statSync(path);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ELOOP') throw error;
    return readlinkSync(path);
  }
}

/**
 * Expands the `files` globs (one a line, `!` excludes) against the workspace. A pattern that points
 * outside the workspace, a match that is a symlink leading out of it, a match whose name holds a
 * control character (it would break log lines and downloads), a match that is not a regular file
 * (a FIFO would block the upload forever), a symlink whose target is missing that a line names
 * exactly, and two matches with the same base name (they would be one asset) are input errors. A
 * missing symlink target matched by a wildcard is skipped with a warning.
 */
export async function selectFiles(
  patterns: string[],
  workspace: string,
  failOnNoFiles: boolean,
): Promise<Selection> {
  const root = realpathSync(workspace);
  const shown = (path: string) => printable(relative(root, path));
  const explicit = new Set<string>();
  const absolute = patterns.map((line) => {
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    const full = resolve(root, pattern);
    if (!isInside(root, resolve(root, literalPrefix(pattern)))) {
      throw new InputError(
        'files',
        `pattern '${printable(line)}' points outside the workspace (${printable(root)})`,
      );
    }
    if (!negated && literalPrefix(pattern) === pattern) explicit.add(full);
    return negated ? `!${full}` : full;
  });
  const globOptions = { matchDirectories: false, implicitDescendants: false };
  const matched = (await (await glob.create(absolute.join('\n'), globOptions)).glob()).sort();

  // Following symlinks, the globber drops those whose target is missing without a word; a second
  // look that does not follow them finds them.
  const found = new Set(matched);
  const unfollowed = await glob.create(absolute.join('\n'), { ...globOptions, followSymbolicLinks: false });
  const skipped: string[] = [];
  for (const path of (await unfollowed.glob()).sort()) {
    if (found.has(path)) continue;
    const target = brokenLinkTarget(path);
    if (target === undefined) continue;
    const what = `a symlink whose target (${printable(target)}) is missing`;
    if (explicit.has(path)) throw new InputError('files', `names '${shown(path)}', ${what}`);
    skipped.push(`'${shown(path)}' is ${what}`);
  }

  const files: LocalFile[] = [];
  const byName = new Map<string, string>();
  for (const path of matched) {
    if (!isReallyInside(root, path)) {
      throw new InputError('files', `'${shown(path)}' is a link to a file outside the workspace`);
    }
    const name = basename(path);
    const control = CONTROL.exec(name);
    if (control) {
      throw new InputError(
        'files',
        `matched '${shown(path)}', whose name holds a control character (${printable(control[0])}); ` +
          'rename it: such a name breaks logs and downloads',
      );
    }
    const stats = statSync(path);
    if (!stats.isFile()) {
      throw new InputError(
        'files',
        `matched '${shown(path)}', which is not a regular file (${kindOf(stats)})`,
      );
    }
    const other = byName.get(name);
    if (other) {
      throw new InputError(
        'files',
        `'${printable(other)}' and '${printable(path)}' would both be uploaded as '${printable(name)}'`,
      );
    }
    byName.set(name, path);
    files.push({ name, path, size: stats.size });
  }
  if (files.length === 0 && failOnNoFiles) {
    const why = skipped.length > 0 ? ` (skipped: ${skipped.join('; ')})` : '';
    throw new InputError(
      'files',
      `matched no files (${patterns.map(printable).join(', ')})${why}; set fail-on-no-files: false to allow that`,
    );
  }
  // Not enumerable: the selection still compares and prints as the plain list of files.
  return Object.defineProperty(files, 'skipped', { value: skipped }) as Selection;
}
