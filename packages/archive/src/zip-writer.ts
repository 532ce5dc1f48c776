import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import type { ArchiveStream, PackEntry, WriteOptions } from './pack-entry.js';

/** Files up to this size are read whole, and deflated at once: most of a Python tree. */
const READ_WHOLE_MAX = 1024 * 1024;
/**
 * Files read whole between two checkpoints (see below), by count and by bytes: each waits with its
 * bytes, and until its deflate is done, with a zlib stream of about 300 KiB.
 */
const WINDOW_FILES = 64;
const WINDOW_BYTES = 16 * 1024 * 1024;
const STREAM_CHUNK = 1024 * 1024;
/** The file type bits zip's external attributes carry above the permission bits, as Info-ZIP writes them. */
const TYPE_BITS = { directory: 0o040000, file: 0o100000, symlink: 0o120000 } as const;

/**
 * Writes the entries, in the order given, into a zip through yazl. A file read whole is deflated by
 * yazl on libuv's thread pool as soon as it is added, so several deflate side by side while the
 * archive still holds them in the order added: the same bytes on every run. Bigger files stream when
 * their turn comes. Memory: a streamed entry's turn comes only once everything before it is written,
 * so it is a checkpoint; after a window's worth of whole files a small one is streamed to make one,
 * and the next window waits for the previous checkpoint: at most two windows are held.
 */
export function zipArchive(entries: PackEntry[], { level, mtime }: WriteOptions): ArchiveStream {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  zip.on('error', (error: Error) => output.destroy(error));
  const failed = new Promise<never>((_, reject) => output.once('error', reject));
  failed.catch(() => undefined);

  const streamed = (entry: PackEntry & { kind: 'file' }): Promise<void> =>
    new Promise((turn) => {
      zip.addReadStreamLazy(
        entry.name,
        { mtime, mode: TYPE_BITS.file | entry.mode, compressionLevel: level },
        (give) => {
          turn();
          const stream = createReadStream(entry.absolute, { highWaterMark: STREAM_CHUNK });
          // yazl pipes the stream without listening for its errors: a file gone now must fail the archive.
          stream.once('error', (error) => output.destroy(error));
          give(null, stream);
        },
      );
    });

  const filled = (async () => {
    let previous: Promise<void> = Promise.resolve();
    let held = 0;
    let files = 0;
    for (const entry of entries) {
      if (entry.kind === 'directory') {
        zip.addEmptyDirectory(entry.name, { mtime, mode: TYPE_BITS.directory | entry.mode });
      } else if (entry.kind === 'symlink') {
        // Info-ZIP's form, which unzip and 7z restore as a link: the target as the stored content.
        zip.addBuffer(Buffer.from(entry.target), entry.name, {
          mtime,
          mode: TYPE_BITS.symlink | entry.mode,
          compress: false,
        });
      } else if (entry.size <= READ_WHOLE_MAX && files < WINDOW_FILES && held + entry.size <= WINDOW_BYTES) {
        zip.addBuffer(await readFile(entry.absolute), entry.name, {
          mtime,
          mode: TYPE_BITS.file | entry.mode,
          compressionLevel: level,
        });
        held += entry.size;
        files++;
      } else {
        await Promise.race([previous, failed]);
        previous = streamed(entry);
        held = 0;
        files = 0;
      }
    }
    zip.end();
  })();
  return { output, filled };
}
