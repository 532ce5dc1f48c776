import { relative } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';
import { isInside, isReallyInside, realPath } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';

/**
 * How files are named in messages and annotations: relative to the workspace (what the runner needs
 * to place an annotation on the file), absolute when outside it; control characters escaped, so a
 * file name cannot start a log line of its own.
 */
export function displayPathIn(workspace: string): (path: string) => string {
  return (path) => {
    const rel = relative(workspace, path);
    return printable(rel !== '' && isInside(workspace, path) ? rel : path);
  };
}

/**
 * Refuses an installer path that lies, symlinks resolved, outside every one of `roots` (the workspace,
 * the runner's temp and tool cache): the script's OutFile decides where makensis writes.
 */
export function checkInstallerPlace(installer: string, roots: readonly string[], script: string): void {
  if (roots.some((root) => isReallyInside(root, installer))) return;
  throw new ActionError(
    `${script} writes the installer outside the workspace (OutFile: ${printable(realPath(installer))}); ` +
      'keep it in the workspace or in RUNNER_TEMP',
    { file: script },
  );
}
