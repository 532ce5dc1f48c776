import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ActionError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { caseClashFinder, unsafeEntryName, windowsUnsafeName } from './entry-names.js';
import type { PackEntry } from './pack-entry.js';
import { listTree, type TreeEntry } from './tree.js';
import { checkZipSupport, zipArchive } from './zip-writer.js';

export type ArchiveFormat = 'zip' | 'tar.gz';

export interface PackOptions {
  /** Folder whose contents are archived. */
  source: string;
  /** Archive file to write (through `<output>.part`, renamed when complete). */
  output: string;
  format: ArchiveFormat;
  /** Folder every entry sits in inside the archive (`a` or `a/b`); '' puts the contents at the top. */
  rootDir: string;
  /** The one timestamp every entry carries. */
  mtime: Date;
  /** Deflate level 0–9 for either format (0 stores); 6 when omitted, as zip, gzip and `tar -czf` use. */
  level?: number;
}

export interface PackResult {
  archive: string;
  sha256: string;
  size: number;
  /** Entries written, folders included. */
  entries: number;
  /** Things packed as asked that will likely surprise (absolute symbolic links), one message each. */
  warnings: string[];
}

/**
 * zip's and gzip's own default: level 9 took 2.8× as long on a 59 MB CPython tree for 0.5 % fewer bytes
 * (measured for the linux-portable benchmark).
 */
const DEFAULT_LEVEL = 6;
const DIR_MODE = 0o755;
const FILE_MODE = 0o644;
const EXEC_MODE = 0o755;
const LINK_MODE = 0o777;

/** The format an output file name implies: `.zip`, `.tar.gz` or `.tgz`. */
export function formatOfName(name: string): ArchiveFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  return undefined;
}

/**
 * Names in `tree` that the archive's users cannot extract, as `'path' (reason)`. The formats differ on
 * purpose: a zip is what this suite ships for Windows, so it must hold only names Windows can write
 * (no `:` streams, device names, trailing dots or spaces, names equal but for case, and none of the
 * backslashes or control characters Linux allows in a name). A tar.gz is for Linux, which accepts
 * every name a Linux folder can hold, case twins included: nothing is refused there.
 */
function unextractableNames(tree: TreeEntry[], format: ArchiveFormat): string[] {
  if (format !== 'zip') return [];
  const clash = caseClashFinder();
  const problems: string[] = [];
  for (const { path } of tree) {
    const reason = unsafeEntryName(path) ?? windowsUnsafeName(path) ?? clash(path);
    if (reason) problems.push(`'${printable(path)}' (${printable(reason)})`);
  }
  return problems;
}

/** A list for one message line: the first few, then how many more. */
function firstFew(items: string[], shown = 3): string {
  const more = items.length > shown ? ` and ${items.length - shown} more` : '';
  return items.slice(0, shown).join(', ') + more;
}

/**
 * Packs a folder into a zip or tar.gz that is the same byte for byte whenever the contents are: entries
 * sorted by path, one timestamp for all, modes fixed (0755 folders and executables, 0644 other files,
 * links kept as links), no owner names or ids, the compression level given (6 by default). Streams to disk
 * and hashes while writing; a zip's entries deflate side by side (zip-writer.ts).
 */
export async function packArchive(options: PackOptions): Promise<PackResult> {
  const { source, output, format, rootDir, mtime } = options;
  if (format === 'zip') checkZipSupport();
  const tree = await listTree(source);
  const refused = unextractableNames(tree, format);
  if (refused.length > 0) {
    throw new ActionError(
      `${source} holds names Windows cannot extract from a zip: ${firstFew(refused)}; rename them, or pack a tar.gz for Linux`,
    );
  }
  const prefix = rootDir ? `${rootDir}/` : '';
  // An absolute link is packed as it is (a portable tree may mean it), but it points at whatever that
  // path holds on the machine that unpacks it, outside the archive: worth a warning naming it.
  const warnings = tree
    .filter((entry) => entry.kind === 'symlink' && isAbsoluteLink(entry.target ?? ''))
    .map(
      (entry) =>
        `Entry '${printable(prefix + entry.path)}' is a symbolic link to the absolute path ${printable(entry.target ?? '')}: it points outside the archive, at whatever the unpacking machine has there`,
    );
  const level = options.level ?? DEFAULT_LEVEL;
  const entries = packEntries(tree, rootDir);

  await mkdir(dirname(output), { recursive: true });
  const partial = `${output}.part`;
  // archiver, which only the tar.gz needs, is a fifth of the bundle's start-up: loaded for it alone.
  const write = format === 'zip' ? zipArchive : (await import('./tar-writer.js')).tarGzArchive;
  const { output: archive, filled } = write(entries, { level, mtime });
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const written = pipeline(archive, tap, createWriteStream(partial));
  // Either may fail first; the other must not go unhandled meanwhile.
  written.catch(() => undefined);
  filled.catch(() => undefined);
  try {
    await Promise.all([filled, written]);
    await rename(partial, output);
  } catch (error) {
    archive.destroy();
    await written.catch(() => undefined);
    await rm(partial, { force: true });
    if (error instanceof ActionError) throw error;
    throw new ActionError(`Packing ${source} into ${output} failed: ${(error as Error).message}`);
  }
  return { archive: output, sha256: hash.digest('hex'), size, entries: entries.length, warnings };
}

/** `/x` on any system, and `C:\x`, `C:/x`, `\x` or `\\server\x` as a Windows link target. */
function isAbsoluteLink(target: string): boolean {
  return target.startsWith('/') || target.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(target);
}

/** The archive's entries in tree order: the root folder's own levels first, then the tree below them. */
function packEntries(tree: TreeEntry[], rootDir: string): PackEntry[] {
  const entries: PackEntry[] = [];
  if (rootDir) {
    const parts = rootDir.split('/');
    for (let i = 1; i <= parts.length; i++)
      entries.push({ kind: 'directory', name: parts.slice(0, i).join('/'), mode: DIR_MODE });
  }
  const prefix = rootDir ? `${rootDir}/` : '';
  for (const entry of tree) {
    const name = prefix + entry.path;
    if (entry.kind === 'directory') entries.push({ kind: 'directory', name, mode: DIR_MODE });
    else if (entry.kind === 'symlink')
      entries.push({ kind: 'symlink', name, mode: LINK_MODE, target: entry.target ?? '' });
    else
      entries.push({
        kind: 'file',
        name,
        mode: entry.stats.mode & 0o111 ? EXEC_MODE : FILE_MODE,
        absolute: entry.absolute,
        size: entry.stats.size,
        stats: entry.stats,
      });
  }
  return entries;
}
