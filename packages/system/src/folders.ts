import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';

/** A file an action reads must be one; otherwise the named input is at fault. */
export function checkFile(input: string, path: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) throw new InputError(input, `names no file: ${path}`);
}

/**
 * A folder an action will write into must be a folder or not exist yet, and no part of its path may
 * be a file; otherwise the named input is at fault, before anything is written.
 */
export function checkFolder(input: string, path: string): void {
  for (let current = path; ; current = dirname(current)) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(current).isDirectory();
    } catch {
      isDir = undefined;
    }
    if (isDir === false) {
      throw new InputError(
        input,
        current === path ? `names a file, not a folder: ${path}` : `lies below a file (${current}): ${path}`,
      );
    }
    if (isDir || dirname(current) === current) return;
  }
}
