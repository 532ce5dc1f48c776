import { TarArchive } from 'archiver';
import type { ArchiveStream, PackEntry, WriteOptions } from './pack-entry.js';

const EMPTY = Buffer.alloc(0);

/** Writes the entries, in the order given, into a gzipped tar through archiver (one entry at a time). */
export function tarGzArchive(entries: PackEntry[], { level, mtime: date }: WriteOptions): ArchiveStream {
  const archive = new TarArchive({ gzip: true, gzipOptions: { level } });
  archive.on('warning', (warning: Error) => archive.destroy(warning));
  for (const entry of entries) {
    const { name, mode } = entry;
    if (entry.kind === 'directory')
      archive.append(EMPTY, { name: `${name}/`, type: 'directory', date, mode });
    else if (entry.kind === 'symlink')
      archive.append(EMPTY, { name, type: 'symlink', linkname: entry.target, date, mode });
    // With stats given, archiver queues the file in call order and opens it only when its turn comes.
    else archive.file(entry.absolute, { name, stats: entry.stats, date, mode });
  }
  return { output: archive, filled: archive.finalize() };
}
