import { readFileSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import * as glob from '@actions/glob';
import { ActionError, InputError, type Logger } from '@forge-actions/action-kit/errors';
import { isInside, isReallyInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';
import type { LintFinding } from './nsis-lint.js';
import { inspectVbs, type VbsReport } from './vbs.js';

export interface VbsFile extends VbsReport {
  /** Absolute path. */
  path: string;
}

/** What a match that is not a regular file is, for the message. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'neither a file nor a folder';
}

/**
 * The launchers the `vbs` globs match (relative to the working directory; `!` excludes), each read
 * and inspected, nothing written yet. A pattern reaching outside the workspace, or a match that is a
 * link to a file outside it, is refused: this step rewrites what it matches. So is a match that is
 * not a regular file (reading a FIFO would never end).
 */
export async function findVbsFiles(patterns: string[], cwd: string, workspace: string): Promise<VbsFile[]> {
  const absolute = patterns.map((line) => {
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    const full = resolve(cwd, pattern);
    const literal = resolve(cwd, pattern.split(/[*?[{]/, 1)[0]);
    if (!isInside(workspace, literal)) {
      throw new InputError(
        'vbs',
        `pattern '${printable(line)}' points outside the workspace (${printable(workspace)})`,
      );
    }
    return negated ? `!${full}` : full;
  });
  const globber = await glob.create(absolute.join('\n'), {
    matchDirectories: false,
    implicitDescendants: false,
  });
  const paths = (await globber.glob()).sort();
  for (const path of paths) {
    if (!isReallyInside(workspace, path)) {
      throw new InputError(
        'vbs',
        `'${printable(relative(workspace, path))}' is a link to a file outside the workspace`,
      );
    }
    // Reading a FIFO would block the step forever.
    const stats = statSync(path);
    if (!stats.isFile()) {
      throw new InputError(
        'vbs',
        `matched '${printable(relative(workspace, path))}', which is not a regular file (${kindOf(stats)})`,
      );
    }
  }
  return paths.map((path) => ({ path, ...inspectVbs(readFileSync(path)) }));
}

/**
 * Applies `vbs-policy` before anything is written. `error`: fails at the first launcher that is not
 * ASCII with CRLF. `fix`: warns once per line that holds non-ASCII characters (the line endings are
 * fixed silently, as the seed's build script does unconditionally).
 */
export function checkVbsPolicy(
  files: VbsFile[],
  policy: 'fix' | 'error',
  displayPath: (path: string) => string,
  logger: Logger,
): void {
  for (const file of files) {
    const name = displayPath(file.path);
    const first = [file.nonAscii[0], file.lineEnding]
      .filter((finding) => finding !== undefined)
      .sort((a, b) => a.line - b.line)[0];
    if (policy === 'error' && first) {
      throw new ActionError(
        `${name}:${first.line}: ${first.message}; a VBS launcher must be ASCII with CRLF line endings ` +
          `(wscript.exe reads it as ANSI), or set vbs-policy: fix`,
        { file: name, line: first.line },
      );
    }
    for (const finding of file.nonAscii) {
      logger.warning(`${name}:${finding.line}: ${finding.message}`, { file: name, line: finding.line });
    }
  }
}

/** The pythonw.exe findings of the launchers, for the lint. */
export function vbsLintFindings(files: VbsFile[]): LintFinding[] {
  return files.flatMap((file) =>
    file.pythonw.map((finding) => ({ file: file.path, rule: 'vbs-pythonw' as const, ...finding })),
  );
}

/** Writes the normalised launchers that changed; returns them. */
export function writeVbsFixes(
  files: VbsFile[],
  displayPath: (path: string) => string,
  logger: Logger,
): VbsFile[] {
  const changed = files.filter((file) => file.changed);
  for (const file of changed) {
    writeFileSync(file.path, file.output);
    logger.info(`${displayPath(file.path)}: rewritten as ASCII with CRLF line endings`);
  }
  for (const file of files)
    if (!file.changed) logger.info(`${displayPath(file.path)}: already ASCII with CRLF`);
  return changed;
}
