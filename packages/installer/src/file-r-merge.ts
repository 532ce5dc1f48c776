// The file-r-merge rule. `File /r` is a merge, not a replace: it overwrites what the new payload has and
// leaves whatever only the old version installed, so an upgrade ends half old, half new (seed 6 and 14:
// the Pillow _imaging mismatch). Whether a stale file can be left behind depends on the *old* payload,
// which is nowhere to be seen at build time, so a folder counts as safe only when an earlier `RMDir /r`
// cleared it (or a parent) - never because of what the new payload holds.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { posix, resolve } from 'node:path';

/** Where a section or function stands when its `File /r` is met. */
export interface MergeScope {
  kind: 'section' | 'function';
  /** The output folder as written (defines expanded, no trailing separator); `$OUTDIR` before any SetOutPath. */
  outPath: string;
  /** Folders an earlier `RMDir /r` of this block cleared, in comparable form. */
  cleared: string[];
}

/** Comparable form of an NSIS path: `/` separators, `.` and `..` resolved, no trailing separator, lower case. */
export const comparable = (path: string) =>
  posix.normalize(path.replace(/\\/g, '/').toLowerCase()).replace(/\/+$/, '');

/**
 * Output folders that also hold user data, so they must not be cleared whole: there each payload folder
 * has to be cleared on its own. `$OUTDIR` (no SetOutPath yet) is read as one, the advice safe either way.
 */
const SHARED = new Set(['$instdir', '$outdir']);
/** InitPluginsDir makes a new temporary folder on every run, so nothing is there to merge with. */
const FRESH = '$pluginsdir';

const MERGE_EFFECT =
  'files dropped from the payload stay behind on upgrade, as in the Pillow _imaging mismatch';
const MANIFEST = 'or keep a manifest of the installed files and remove those the new payload lacks';

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** The sources of a `File` statement when it has /r, else none. */
export function recursiveSources(args: string[]): string[] {
  let recursive = false;
  const sources: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === '/r') recursive = true;
    else if (option === '/x') i++;
    else if (option === '/nonfatal' || option === '/a' || option.startsWith('/oname=')) continue;
    else sources.push(args[i]);
  }
  return recursive ? sources : [];
}

/**
 * The folders one `File /r` source merges into, or undefined when they are the payload's top-level
 * folders and those cannot be listed. `dir\*.*` extracts dir's content into the output folder: that is
 * the folder merged into, or, in a shared folder, each folder of dir (read next to the script, where
 * makensis finds it). `dir\name` puts the folder name there, unless name is a plain file.
 */
function mergedFolders(
  source: string,
  outPath: string,
  shared: boolean,
  scriptDir: string,
): string[] | undefined {
  const local = source.replace(/\\/g, '/');
  const base = posix.basename(local);
  if (/[*?]/.test(base)) {
    if (!shared) return [outPath];
    const folder = resolve(scriptDir, posix.dirname(local));
    if (!isDirectory(folder)) return undefined;
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${outPath}\\${entry.name}`)
      .sort((a, b) => a.localeCompare(b));
  }
  const found = resolve(scriptDir, local);
  return existsSync(found) && !isDirectory(found) ? [] : [`${outPath}\\${base}`];
}

/** The file-r-merge messages for the sources of one `File /r` (defines expanded), one per uncleared folder. */
export function mergeMessages(sources: string[], scope: MergeScope, scriptDir: string): string[] {
  const { kind, outPath } = scope;
  const out = comparable(outPath);
  if (out === FRESH || out.startsWith(`${FRESH}/`)) return [];
  const shared = SHARED.has(out);
  const isCleared = (folder: string) => {
    const path = comparable(folder);
    return scope.cleared.some((dir) => path === dir || path.startsWith(`${dir}/`));
  };
  const messages: string[] = [];
  for (const source of sources) {
    const folders = mergedFolders(source, outPath, shared, scriptDir);
    if (!folders) {
      if (!isCleared(outPath)) {
        messages.push(
          `File /r merges the folders of ${source} into ${outPath}, but they could not be listed here ` +
            `(no such folder next to the script): ${MERGE_EFFECT}; rather than clearing ${outPath} whole, ` +
            `clear each payload folder (RMDir /r "${outPath}\\<folder>") before extracting, ${MANIFEST}`,
        );
      }
      continue;
    }
    for (const folder of folders.filter((path) => !isCleared(path))) {
      messages.push(
        shared
          ? `File /r merges the payload folder ${folder.slice(outPath.length + 1)} into ${outPath} without ` +
              `clearing ${folder} first in this ${kind}: ${MERGE_EFFECT}; rather than clearing ${outPath} ` +
              `whole, clear each payload folder (RMDir /r "${folder}") before extracting, ${MANIFEST}`
          : `File /r merges into ${folder}, which this ${kind} does not clear first: files the new version ` +
              `no longer ships (a dropped module, a package that became a module) stay behind on upgrade, ` +
              `as in the Pillow _imaging mismatch; clear the folder first with RMDir /r "${folder}" before ` +
              `SetOutPath, keeping user data elsewhere`,
      );
    }
  }
  return [...new Set(messages)];
}
