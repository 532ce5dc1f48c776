import { createReadStream } from 'node:fs';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import { ActionError } from '@forge-actions/action-kit/errors';
import { type Deflated, DeflatePool } from './deflate-pool.js';
import type { ArchiveStream, PackEntry, WriteOptions } from './pack-entry.js';
import { centralHeader, dataDescriptor, endRecords, localHeader, type ZipEntry } from './zip-records.js';

/** Files up to this size are read whole and deflated on a worker: all of a Python tree but a few. */
const READ_WHOLE_MAX = 8 * 1024 * 1024;
/** Files read whole ahead of the writer at most, by count and by bytes (their deflated copies wait). */
const AHEAD_FILES = 32;
const AHEAD_BYTES = 16 * 1024 * 1024;
const STREAM_CHUNK = 1024 * 1024;
const UINT32_MAX = 0xffffffff;
/** The file type bits zip's external attributes carry above the permission bits, as Info-ZIP writes them. */
const TYPE_BITS = { directory: 0o040000, file: 0o100000, symlink: 0o120000 } as const;

/** Refuses, in one line, a Node without zlib.crc32 (before 20.15), which the zip writer needs. */
export function checkZipSupport(): void {
  if (typeof crc32 !== 'function')
    throw new ActionError(
      `Writing a zip needs Node 20.15 or later (zlib.crc32); this runner's node is ${process.version}`,
    );
}

/**
 * Writes the entries, in the order given, into a zip. Files read whole are deflated on worker threads,
 * several at a time and ahead of the writer, which still writes them in the order given: the same
 * bytes on every run. Bigger files stream through zlib on this thread when their turn comes (the
 * workers go on with the files after them), their crc and sizes in a data descriptor.
 */
export function zipArchive(entries: PackEntry[], { level, mtime }: WriteOptions): ArchiveStream {
  const output = new PassThrough({ highWaterMark: STREAM_CHUNK });
  const method = level === 0 ? 0 : 8;
  let offset = 0;

  /** Writes a chunk, waiting while the reader is behind (or until the output is gone). */
  const write = async (chunk: Buffer): Promise<void> => {
    offset += chunk.length;
    if (output.write(chunk)) return;
    await new Promise<void>((resume) => {
      const done = () => {
        output.off('drain', done);
        output.off('close', done);
        resume();
      };
      output.on('drain', done);
      output.on('close', done);
    });
    if (output.destroyed) throw new Error('the archive stream was closed');
  };

  /** A streamed file: local header, its data through zlib while counted and checksummed, descriptor. */
  const streamFile = async (record: ZipEntry, path: string): Promise<void> => {
    await write(localHeader(record));
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        record.crc = crc32(chunk, record.crc);
        record.size += chunk.length;
        callback(null, chunk);
      },
    });
    const sink = async (data: AsyncIterable<Buffer>) => {
      for await (const chunk of data) {
        record.compressedSize += chunk.length;
        await write(chunk);
      }
    };
    const source = createReadStream(path, { highWaterMark: STREAM_CHUNK });
    if (level === 0) await pipeline(source, counted, sink);
    else await pipeline(source, counted, createDeflateRaw({ level, chunkSize: STREAM_CHUNK }), sink);
    if (!record.zip64Local && (record.size >= UINT32_MAX || record.compressedSize >= UINT32_MAX))
      throw new Error(`${path} grew past 4 GiB while it was packed`);
    await write(dataDescriptor(record));
  };

  const filled = (async () => {
    const pool = new DeflatePool();
    try {
      // Jobs of the files read whole, by entry index, started ahead of the writer within the bounds.
      const jobs = new Map<number, Promise<Deflated>>();
      let planned = 0;
      let aheadBytes = 0;
      const startAhead = () => {
        for (; planned < entries.length && jobs.size < AHEAD_FILES && aheadBytes < AHEAD_BYTES; planned++) {
          const entry = entries[planned];
          if (entry.kind !== 'file' || entry.size > READ_WHOLE_MAX) continue;
          const job = pool.deflate(entry.absolute, level);
          job.catch(() => undefined); // awaited when its turn comes; a failure must not go unhandled before
          jobs.set(planned, job);
          aheadBytes += entry.size;
        }
      };

      const records: ZipEntry[] = [];
      for (const [index, entry] of entries.entries()) {
        startAhead();
        const base = {
          mtime,
          crc: 0,
          size: 0,
          compressedSize: 0,
          offset,
          descriptor: false,
          zip64Local: false,
        };
        if (entry.kind === 'directory') {
          const record: ZipEntry = {
            ...base,
            name: Buffer.from(`${entry.name}/`),
            mode: TYPE_BITS.directory | entry.mode,
            method: 0,
          };
          await write(localHeader(record));
          records.push(record);
        } else if (entry.kind === 'symlink') {
          // Info-ZIP's form, which unzip and 7z restore as a link: the target as the stored content.
          const target = Buffer.from(entry.target);
          const record: ZipEntry = {
            ...base,
            name: Buffer.from(entry.name),
            mode: TYPE_BITS.symlink | entry.mode,
            method: 0,
            crc: crc32(target),
            size: target.length,
            compressedSize: target.length,
          };
          await write(localHeader(record));
          await write(target);
          records.push(record);
        } else {
          const name = Buffer.from(entry.name);
          const mode = TYPE_BITS.file | entry.mode;
          const job = jobs.get(index);
          if (job) {
            jobs.delete(index);
            aheadBytes -= entry.size;
            const { crc, size, data } = await job;
            const record: ZipEntry = { ...base, name, mode, method, crc, size, compressedSize: data.length };
            await write(localHeader(record));
            await write(data);
            records.push(record);
          } else {
            const record: ZipEntry = {
              ...base,
              name,
              mode,
              method,
              descriptor: true,
              zip64Local: entry.size >= UINT32_MAX,
            };
            await streamFile(record, entry.absolute);
            records.push(record);
          }
        }
      }

      const directoryStart = offset;
      for (const record of records) await write(centralHeader(record));
      await write(endRecords(records.length, directoryStart, offset - directoryStart));
      output.end();
    } finally {
      await pool.close();
    }
  })();
  return { output, filled };
}
