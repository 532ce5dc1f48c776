// archiver 8 ships no type declarations (and @types/archiver describes the older factory API): the
// parts used here: tar.gz packing (zip-writer.ts writes a zip) and the zips tests make to order.
declare module 'archiver' {
  import type { Stats } from 'node:fs';
  import { Transform } from 'node:stream';
  import type { ZlibOptions } from 'node:zlib';

  export interface EntryData {
    name: string;
    date?: Date;
    mode?: number;
    stats?: Stats;
    type?: 'file' | 'directory' | 'symlink';
    linkname?: string;
  }

  export class Archiver extends Transform {
    append(source: Buffer | NodeJS.ReadableStream | string | null, data: EntryData): this;
    file(path: string, data: EntryData): this;
    /** Resolves when the archive's last byte was produced. */
    finalize(): Promise<void>;
    pointer(): number;
  }

  export class ZipArchive extends Archiver {
    constructor(options?: {
      zlib?: ZlibOptions;
      store?: boolean;
      comment?: string;
      forceLocalTime?: boolean;
    });
  }

  export class TarArchive extends Archiver {
    constructor(options?: { gzip?: boolean; gzipOptions?: ZlibOptions });
  }
}
