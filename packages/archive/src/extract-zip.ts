import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib, { createInflateRaw } from 'node:zlib';
import { formatBytes } from '@forge-actions/action-kit/bytes';
import { ActionError } from '@forge-actions/action-kit/errors';
import { isInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';
import yauzl from 'yauzl';
import { caseClashFinder, unsafeEntryName, windowsUnsafeName } from './entry-names.js';
import {
  type ExtractOptions,
  type ExtractResult,
  ratioLimit,
  type Settings,
  settingsOf,
} from './extract-limits.js';

interface PlannedEntry {
  entry: yauzl.Entry;
  name: string;
  directory: boolean;
  executable: boolean;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const STORED = 0;
const DEFLATED = 8;
/** Larger than zlib's 16 KiB default: fewer, bigger writes (a python.org zip holds 5 MB files). */
const INFLATE_CHUNK = 256 * 1024;
const READ_CHUNK = 1024 * 1024;

/** The Unix file type and mode bits a zip entry carries in its external attributes (0 when none). */
function unixMode(entry: yauzl.Entry): number {
  return (entry.externalFileAttributes >>> 16) & 0xffff;
}

/** Why an entry is refused (name or type), or undefined. */
function refusal(name: string, entry: yauzl.Entry, windowsNames: boolean): string | undefined {
  const byName = unsafeEntryName(name) ?? (windowsNames ? windowsUnsafeName(name) : undefined);
  if (byName) return byName;
  const type = unixMode(entry) & S_IFMT;
  // Only plain files and folders are written; a link could point a later entry outside the folder.
  if (type === 0o120000) return 'symbolic link';
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return 'special file';
  if (entry.isEncrypted()) return 'encrypted';
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    return `compression method ${entry.compressionMethod}`;
  }
  return undefined;
}

/**
 * Extracts a zip into `destination` without any helper binary. Every entry is checked before the first
 * byte is written: a name with `..`, an absolute or drive path, a backslash, a link or a special file,
 * a duplicate name, a name Windows cannot hold (unless `windowsNames: false`), more entries or bytes
 * than the limits allow, or an entry compressed beyond the ratio limit fails the whole extraction with
 * nothing written. The sizes the archive declares are only trusted for that early refusal: while files
 * are written, the bytes actually inflated are counted against the same limits, and any failure then
 * stops every write and removes what this extraction wrote (files and the folders it created).
 * Files are streamed (memory does not grow with their size) and never overwrite one another.
 */
export async function extractZip(
  zipPath: string,
  destination: string,
  options: ExtractOptions = {},
): Promise<ExtractResult> {
  const settings = settingsOf(options);
  const label = printable(basename(zipPath));
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, {
      decodeStrings: false,
      autoClose: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw new ActionError(`${label} is not a readable zip file: ${(error as Error).message}`);
  }
  try {
    const planned = await plan(zip, label, settings);
    return await write(zip, zipPath, planned, destination, label, settings);
  } finally {
    zip.close();
  }
}

/**
 * Reads the whole central directory; any unsafe entry refuses the archive (the first one is named), and
 * so do declared sizes beyond the limits (a lie about them fails later, while writing).
 */
async function plan(zip: yauzl.ZipFile, label: string, settings: Settings): Promise<PlannedEntry[]> {
  const { limits } = settings;
  // The count comes from the end record and is exactly how many entries yauzl reads: checked before
  // reading them, so a million-entry directory costs nothing.
  if (zip.entryCount > limits.maxEntries) {
    throw new ActionError(
      `${label} holds ${zip.entryCount} entries, beyond the limit of ${limits.maxEntries}; ${settings.raise('maxEntries')}; nothing was extracted`,
    );
  }
  const entries: PlannedEntry[] = [];
  const seen = new Set<string>();
  const clash = settings.windowsNames ? caseClashFinder() : () => undefined;
  const problems: string[] = [];
  await new Promise<void>((done, failed) => {
    zip.on('error', (error: Error) => failed(new ActionError(`${label} is damaged: ${error.message}`)));
    zip.on('end', () => done());
    zip.on('entry', (entry: yauzl.Entry) => {
      // Names decoded as yauzl would (UTF-8 flag, Info-ZIP unicode path, else CP437), backslashes kept.
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      const key = name.replace(/\/+$/, '');
      const reason =
        refusal(name, entry, settings.windowsNames) ?? (seen.has(key) ? 'duplicate entry' : clash(name));
      if (reason) problems.push(`'${printable(name)}' (${printable(reason)})`);
      else {
        seen.add(key);
        entries.push({
          entry,
          name: key,
          directory: name.endsWith('/'),
          executable: (unixMode(entry) & 0o111) !== 0,
        });
      }
      zip.readEntry();
    });
    zip.readEntry();
  });
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` and ${problems.length - 1} more` : '';
    throw new ActionError(`${label} has an unsafe entry ${problems[0]}${more}; nothing was extracted`);
  }
  let declared = 0;
  for (const { entry, name, directory } of entries) {
    if (directory) continue;
    declared += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > limits.ratioMinBytes && ratio > limits.maxRatio) {
      throw new ActionError(
        `${label} has an entry '${printable(name)}' that expands ${Math.round(ratio)}:1 (${formatBytes(entry.uncompressedSize)} from ${formatBytes(entry.compressedSize)}), ${ratioLimit(settings)}; nothing was extracted`,
      );
    }
  }
  if (declared > limits.maxBytes) {
    throw new ActionError(
      `${label} expands to ${formatBytes(declared)}, beyond the limit of ${formatBytes(limits.maxBytes)}; ${settings.raise('maxBytes')}; nothing was extracted`,
    );
  }
  return entries;
}

/** Inflated bytes of the whole extraction, shared by the files written side by side. */
interface Budget {
  written: number;
}

/** Node 20.15+ (zlib's own CRC-32); on an older Node 20 the check is skipped. */
const crc32: ((data: Buffer, value?: number) => number) | undefined = (zlib as { crc32?: typeof zlib.crc32 })
  .crc32;

/**
 * Passes an entry's bytes through, counting the bytes really inflated: it fails as soon as the whole
 * extraction passes the size limit, the entry passes the ratio limit, or the entry holds more than it
 * announced, and at the end when there were fewer or their CRC-32 differs from the recorded one (a
 * damaged download).
 */
function verified(
  entry: yauzl.Entry,
  name: string,
  label: string,
  settings: Settings,
  budget: Budget,
): Transform {
  const expected = entry.uncompressedSize;
  const { maxBytes, maxRatio, ratioMinBytes } = settings.limits;
  const shown = printable(name);
  let seen = 0;
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      budget.written += chunk.length;
      if (crc32) crc = crc32(chunk, crc);
      if (budget.written > maxBytes) {
        callback(
          new ActionError(
            `${label} expands beyond the limit of ${formatBytes(maxBytes)} (stopped in '${shown}'); ${settings.raise('maxBytes')}; nothing was extracted`,
          ),
        );
      } else if (seen > ratioMinBytes && seen > maxRatio * Math.max(entry.compressedSize, 1)) {
        callback(
          new ActionError(
            `${label} has an entry '${shown}' that expands over ${maxRatio}:1 (${formatBytes(seen)} from ${formatBytes(entry.compressedSize)}), ${ratioLimit(settings)}; nothing was extracted`,
          ),
        );
      } else if (seen > expected)
        callback(new Error(`entry '${shown}' holds more than its stated ${expected} bytes`));
      else callback(null, chunk);
    },
    flush(callback) {
      if (seen !== expected) callback(new Error(`entry '${shown}' holds ${seen} bytes, not ${expected}`));
      else if (crc32 && crc >>> 0 !== entry.crc32 >>> 0)
        callback(new Error(`entry '${shown}' fails its CRC-32 check`));
      else callback();
    },
  });
}

/** Files inflated at once: zlib works on libuv's thread pool, so a few streams in flight use more cores. */
const PARALLEL_FILES = 4;

async function write(
  zip: yauzl.ZipFile,
  zipPath: string,
  entries: PlannedEntry[],
  destination: string,
  label: string,
  settings: Settings,
): Promise<ExtractResult> {
  const result: ExtractResult = { files: 0, directories: 0, bytes: 0 };
  const targets = entries.map((planned) => {
    const target = join(destination, ...planned.name.split('/'));
    if (!isInside(destination, target)) {
      throw new ActionError(
        `${label}: entry '${printable(planned.name)}' would be written outside ${destination}; nothing was extracted`,
      );
    }
    return { ...planned, target };
  });
  // What this extraction wrote, removed again when it fails: the files it created, and the top of
  // every folder chain it created (mkdir reports the first folder it had to make).
  const createdFolders: string[] = [];
  const createdFiles: string[] = [];
  const controller = new AbortController();
  let failure: unknown;
  try {
    // Folders first (listed ones and every file's parent), so file writes need no mkdir of their own.
    const folders = new Set([destination]);
    for (const { directory, target } of targets) folders.add(directory ? target : dirname(target));
    for (const folder of [...folders].sort()) {
      const created = await mkdir(folder, { recursive: true });
      if (created) createdFolders.push(created);
    }
    result.directories = targets.filter((t) => t.directory).length;

    const files = targets.filter((t) => !t.directory);
    const budget: Budget = { written: 0 };
    let next = 0;
    const worker = async () => {
      while (failure === undefined && next < files.length) {
        const { entry, name, target, executable } = files[next++];
        try {
          // yauzl finds the data; a plain file stream with large reads moves it (over twice as fast as
          // yauzl's own reader on a 10 MB zip).
          const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
          const end = fileDataStart + entry.compressedSize;
          if (end > zip.fileSize) throw new Error(`entry '${printable(name)}' runs past the end of the file`);
          const raw =
            entry.compressedSize === 0
              ? Readable.from([])
              : createReadStream(zipPath, { start: fileDataStart, end: end - 1, highWaterMark: READ_CHUNK });
          // 'wx': never overwrite (the names were checked to be unique, so an existing file is a surprise).
          const out = createWriteStream(target, { flags: 'wx', mode: executable ? 0o755 : 0o644 });
          out.once('open', () => createdFiles.push(target));
          const check = verified(entry, name, label, settings, budget);
          const { signal } = controller;
          if (entry.compressionMethod === DEFLATED) {
            await pipeline(raw, createInflateRaw({ chunkSize: INFLATE_CHUNK }), check, out, { signal });
          } else {
            await pipeline(raw, check, out, { signal });
          }
        } catch (error) {
          // The first failure stops the other files in flight; their abort errors are not the story.
          if (failure === undefined) {
            failure =
              error instanceof ActionError
                ? error
                : new ActionError(`${label} is damaged: ${(error as Error).message}; nothing was extracted`);
            controller.abort();
          }
          return;
        }
        result.files++;
        result.bytes += entry.uncompressedSize;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, files.length) }, worker));
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) {
    await Promise.all(createdFiles.map((file) => rm(file, { force: true })));
    for (const folder of createdFolders.reverse()) await rm(folder, { recursive: true, force: true });
    throw failure;
  }
  return result;
}
