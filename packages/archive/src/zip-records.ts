// The records of a zip file as PKWARE's APPNOTE (6.3.10) lays them out: local headers, data
// descriptors, the central directory and the end records, with Zip64 fields where a size, an offset
// or the number of entries outgrows the classic ones. Written by hand because no maintained zip
// library takes entries deflated elsewhere (zip-writer.ts deflates them on worker threads).

const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffffffff;
/** Made by Unix (its mode in the external attributes), spec version 4.5 (Zip64). */
const VERSION_MADE_BY = (3 << 8) | 45;
const VERSION_NEEDED = 20;
const VERSION_NEEDED_ZIP64 = 45;
/** Names are UTF-8 (bit 11); crc and sizes follow the data (bit 3). */
const FLAG_UTF8 = 0x0800;
const FLAG_DESCRIPTOR = 0x0008;
const MSDOS_DIRECTORY = 0x10;

export interface ZipEntry {
  /** The name as stored: UTF-8, `/`-separated, a trailing `/` for a folder. */
  name: Buffer;
  /** Unix mode with its file type bits. */
  mode: number;
  /** 0 stored, 8 deflated. */
  method: 0 | 8;
  mtime: Date;
  crc: number;
  size: number;
  compressedSize: number;
  /** Offset of the entry's local header in the archive. */
  offset: number;
  /** Whether crc and sizes come after the data (a streamed entry) instead of in the local header. */
  descriptor: boolean;
  /** Whether the local header (and so the descriptor) uses Zip64 sizes: a streamed entry of 4 GiB or more. */
  zip64Local: boolean;
}

/** DOS date and time fields of `date` (UTC: the same archive whatever the runner's time zone). */
function dosDateTime(date: Date): { date: number; time: number } {
  const year = date.getUTCFullYear();
  if (year < 1980) return { date: (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
  };
}

/** The extended timestamp field (Info-ZIP "UT"): the modification time in Unix seconds. */
function extendedTimestamp(date: Date): Buffer {
  const field = Buffer.alloc(9);
  field.writeUInt16LE(0x5455, 0);
  field.writeUInt16LE(5, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(Math.min(Math.max(Math.floor(date.getTime() / 1000), 0), 0x7fffffff), 5);
  return field;
}

/** The Zip64 extended information field holding `values` (each 8 bytes), or nothing when there are none. */
function zip64Field(values: number[]): Buffer {
  if (values.length === 0) return Buffer.alloc(0);
  const field = Buffer.alloc(4 + 8 * values.length);
  field.writeUInt16LE(0x0001, 0);
  field.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => {
    field.writeBigUInt64LE(BigInt(value), 4 + 8 * i);
  });
  return field;
}

const flagsOf = (entry: ZipEntry) => FLAG_UTF8 | (entry.descriptor ? FLAG_DESCRIPTOR : 0);

export function localHeader(entry: ZipEntry): Buffer {
  const { date, time } = dosDateTime(entry.mtime);
  const extra = Buffer.concat([
    entry.zip64Local ? zip64Field([0, 0]) : Buffer.alloc(0),
    extendedTimestamp(entry.mtime),
  ]);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(entry.zip64Local ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 4);
  header.writeUInt16LE(flagsOf(entry), 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(time, 10);
  header.writeUInt16LE(date, 12);
  if (!entry.descriptor) {
    header.writeUInt32LE(entry.crc, 14);
    header.writeUInt32LE(entry.compressedSize, 18);
    header.writeUInt32LE(entry.size, 22);
  } else if (entry.zip64Local) {
    header.writeUInt32LE(UINT32_MAX, 18);
    header.writeUInt32LE(UINT32_MAX, 22);
  }
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, entry.name, extra]);
}

/** What follows a streamed entry's data: its crc and sizes, 8-byte sizes when its local header is Zip64. */
export function dataDescriptor(entry: ZipEntry): Buffer {
  const record = Buffer.alloc(entry.zip64Local ? 24 : 16);
  record.writeUInt32LE(0x08074b50, 0);
  record.writeUInt32LE(entry.crc, 4);
  if (entry.zip64Local) {
    record.writeBigUInt64LE(BigInt(entry.compressedSize), 8);
    record.writeBigUInt64LE(BigInt(entry.size), 16);
  } else {
    record.writeUInt32LE(entry.compressedSize, 8);
    record.writeUInt32LE(entry.size, 12);
  }
  return record;
}

export function centralHeader(entry: ZipEntry): Buffer {
  const { date, time } = dosDateTime(entry.mtime);
  // Zip64 holds, in this order, exactly the values whose classic field overflows.
  const wide = [entry.size, entry.compressedSize, entry.offset].filter((value) => value >= UINT32_MAX);
  const extra = Buffer.concat([zip64Field(wide), extendedTimestamp(entry.mtime)]);
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  header.writeUInt16LE(wide.length > 0 || entry.zip64Local ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
  header.writeUInt16LE(flagsOf(entry), 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(time, 12);
  header.writeUInt16LE(date, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(Math.min(entry.compressedSize, UINT32_MAX), 20);
  header.writeUInt32LE(Math.min(entry.size, UINT32_MAX), 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  const directory = (entry.mode & 0o170000) === 0o040000;
  header.writeUInt32LE(((entry.mode << 16) | (directory ? MSDOS_DIRECTORY : 0)) >>> 0, 38);
  header.writeUInt32LE(Math.min(entry.offset, UINT32_MAX), 42);
  return Buffer.concat([header, entry.name, extra]);
}

/**
 * The end of central directory record, preceded by the Zip64 end record and its locator when the
 * entries, the directory's size or its offset outgrow the classic fields. `offset` is where the
 * central directory starts, `size` its length.
 */
export function endRecords(count: number, offset: number, size: number): Buffer {
  const records: Buffer[] = [];
  if (count >= UINT16_MAX || offset >= UINT32_MAX || size >= UINT32_MAX) {
    const zip64End = Buffer.alloc(56);
    zip64End.writeUInt32LE(0x06064b50, 0);
    zip64End.writeBigUInt64LE(44n, 4);
    zip64End.writeUInt16LE(VERSION_MADE_BY, 12);
    zip64End.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
    zip64End.writeBigUInt64LE(BigInt(count), 24);
    zip64End.writeBigUInt64LE(BigInt(count), 32);
    zip64End.writeBigUInt64LE(BigInt(size), 40);
    zip64End.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + size), 8);
    locator.writeUInt32LE(1, 16);
    records.push(zip64End, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, UINT16_MAX), 8);
  end.writeUInt16LE(Math.min(count, UINT16_MAX), 10);
  end.writeUInt32LE(Math.min(size, UINT32_MAX), 12);
  end.writeUInt32LE(Math.min(offset, UINT32_MAX), 16);
  records.push(end);
  return Buffer.concat(records);
}
