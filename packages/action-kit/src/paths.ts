import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Whether `target` lies inside `root` (or is it), both resolved lexically. A name that merely starts with
 * two dots (`..dist`) is inside; only a `..` segment leaves.
 */
export function isInside(root: string, target: string): boolean {
  const rel = relative(resolve(root), resolve(target));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The path with every symlink resolved, also when its last parts do not exist yet (a file about to be
 * written): the nearest existing ancestor is resolved and the rest appended.
 */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    if (parent === absolute) return absolute;
    return join(realPath(parent), basename(absolute));
  }
}

/** Whether `target` is inside `root` once symlinks on both sides are resolved. */
export function isReallyInside(root: string, target: string): boolean {
  return isInside(realPath(root), realPath(target));
}
