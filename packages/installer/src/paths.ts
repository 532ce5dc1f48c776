import { isAbsolute, relative } from 'node:path';

/**
 * How files are named in messages and annotations: relative to the workspace (what the runner needs
 * to place an annotation on the file), absolute when outside it.
 */
export function displayPathIn(workspace: string): (path: string) => string {
  return (path) => {
    const rel = relative(workspace, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };
}
