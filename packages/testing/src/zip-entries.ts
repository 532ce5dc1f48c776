// Reads a zip's entries as written, for tests of the writers: names in the archive's order, header
// fields, and each entry's data as stored (still deflated), through yauzl.
import yauzl from 'yauzl';

export interface StoredEntry {
  name: string;
  method: number;
  flags: number;
  /** Unix mode with type bits, from the external attributes. */
  unixMode: number;
  /** The entry's data as stored in the zip, not inflated. */
  data: Buffer;
}

export async function zipEntries(zipPath: string): Promise<StoredEntry[]> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  const entries: StoredEntry[] = [];
  try {
    await new Promise<void>((done, failed) => {
      zip.on('error', failed);
      zip.on('end', done);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip
          .openReadStreamPromise(entry, entry.compressionMethod === 8 ? { decompress: false } : {})
          .then(async (stream) => {
            const chunks: Buffer[] = [];
            for await (const chunk of stream) chunks.push(chunk as Buffer);
            entries.push({
              name: entry.fileName,
              method: entry.compressionMethod,
              flags: entry.generalPurposeBitFlag,
              unixMode: entry.externalFileAttributes >>> 16,
              data: Buffer.concat(chunks),
            });
            zip.readEntry();
          })
          .catch(failed);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return entries;
}
