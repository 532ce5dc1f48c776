import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ActionError } from '@forge-actions/action-kit/errors';
import { type Archiver, TarArchive, ZipArchive } from 'archiver';
import { listTree } from './tree.js';

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
}

export interface PackResult {
  archive: string;
  sha256: string;
  size: number;
  /** Entries written, folders included. */
  entries: number;
}

const EMPTY = Buffer.alloc(0);
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
 * Packs a folder into a zip or tar.gz that is the same byte for byte whenever the contents are: entries
 * sorted by path, one timestamp for all, modes fixed (0755 folders and executables, 0644 other files,
 * links kept as links), no owner names or ids, fixed compression level. Streams to disk and hashes
 * while writing.
 */
export async function packArchive(options: PackOptions): Promise<PackResult> {
  const { source, output, format, rootDir, mtime } = options;
  const tree = await listTree(source);
  const archive: Archiver =
    format === 'zip'
      ? new ZipArchive({ zlib: { level: 9 } })
      : new TarArchive({ gzip: true, gzipOptions: { level: 9 } });
  const warnings: Error[] = [];
  archive.on('warning', (warning: Error) => warnings.push(warning));

  await mkdir(dirname(output), { recursive: true });
  const partial = `${output}.part`;
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

  let entries = 0;
  const date = mtime;
  const prefix = rootDir ? `${rootDir}/` : '';
  if (rootDir) {
    const parts = rootDir.split('/');
    for (let i = 1; i <= parts.length; i++) {
      archive.append(EMPTY, {
        name: `${parts.slice(0, i).join('/')}/`,
        type: 'directory',
        date,
        mode: DIR_MODE,
      });
      entries++;
    }
  }
  for (const entry of tree) {
    const name = prefix + entry.path;
    if (entry.kind === 'directory') {
      archive.append(EMPTY, { name: `${name}/`, type: 'directory', date, mode: DIR_MODE });
    } else if (entry.kind === 'symlink') {
      archive.append(EMPTY, { name, type: 'symlink', linkname: entry.target ?? '', date, mode: LINK_MODE });
    } else {
      // With stats given, archiver queues the file in call order and opens it only when its turn comes.
      const mode = entry.stats.mode & 0o111 ? EXEC_MODE : FILE_MODE;
      archive.file(entry.absolute, { name, stats: entry.stats, date, mode });
    }
    entries++;
  }

  try {
    const finalized = archive.finalize();
    // A failure surfaces through the pipeline as well; this one must not go unhandled meanwhile.
    finalized.catch(() => undefined);
    await written;
    await finalized;
    if (warnings.length > 0) throw new ActionError(`Packing ${source} failed: ${warnings[0].message}`);
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof ActionError) throw error;
    throw new ActionError(`Packing ${source} into ${output} failed: ${(error as Error).message}`);
  }
  return { archive: output, sha256: hash.digest('hex'), size, entries };
}
