import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { formatBytes } from '@forge-actions/action-kit/bytes';
import { ActionError } from '@forge-actions/action-kit/errors';
import { isInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';
import { extract } from 'tar-stream';
import { unsafeEntryName } from './entry-names.js';
import {
  type ExtractOptions,
  type ExtractResult,
  ratioLimit,
  type Settings,
  settingsOf,
} from './extract-limits.js';

/** A link to create once every file is written, so no entry is ever written through a link. */
interface Link {
  target: string;
  path: string;
}

/** Why a link entry must not be made, or undefined: it must stay inside the archive's folder. */
function linkRefusal(name: string, linkname: string): string | undefined {
  if (linkname === '' || linkname.startsWith('/')) return 'symbolic link to an absolute path';
  const resolved = posix.normalize(posix.join(posix.dirname(name), linkname));
  return resolved === '..' || resolved.startsWith('../') ? 'symbolic link out of the archive' : undefined;
}

/**
 * Extracts a tar.gz (a Linux tree: python-build-standalone's CPython) into `destination`, which must not
 * exist yet. Unlike a zip, a tar cannot be read ahead of writing, so entries are checked as they come
 * and any refusal removes the whole destination: a name with `..`, an absolute path or a backslash; a
 * hard link, device or other special file; a duplicate; a symbolic link that is absolute or points out
 * of the tree (links are made last, so nothing is written through one); more entries or bytes than the
 * limits; a whole archive that inflates beyond the ratio limit. Files stream to disk; modes keep only
 * whether a file is executable.
 */
export async function extractTarGz(
  archive: string,
  destination: string,
  options: ExtractOptions = {},
): Promise<ExtractResult> {
  const settings = settingsOf(options);
  const label = printable(basename(archive));
  const result: ExtractResult = { files: 0, directories: 0, bytes: 0 };
  await mkdir(destination);
  const read = { compressed: 0 };
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      read.compressed += chunk.length;
      callback(null, chunk);
    },
  });
  const entries = extract();
  const feeding = pipeline(
    createReadStream(archive, { highWaterMark: 1024 * 1024 }),
    counted,
    createGunzip(),
    entries,
  );
  feeding.catch(() => undefined); // its failure surfaces through the entries loop, or below
  const links: Link[] = [];
  const seen = new Set<string>();
  try {
    for await (const entry of entries) {
      const { header } = entry;
      const name = header.name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      const refused =
        (name === '' && header.type === 'directory' ? undefined : unsafeEntryName(name)) ??
        (seen.has(name) ? 'duplicate entry' : undefined) ??
        (header.type === 'symlink' ? linkRefusal(name, header.linkname ?? '') : undefined) ??
        (['file', 'directory', 'symlink'].includes(header.type ?? '') ? undefined : `${header.type} entry`);
      if (refused) throw new ActionError(`${label} has an unsafe entry '${printable(name)}' (${refused})`);
      seen.add(name);
      if (seen.size > settings.limits.maxEntries) {
        throw new ActionError(
          `${label} holds more than ${settings.limits.maxEntries} entries; ${settings.raise('maxEntries')}`,
        );
      }
      const path = join(destination, ...name.split('/'));
      if (!isInside(destination, path) && path !== destination) {
        throw new ActionError(`${label}: entry '${printable(name)}' would be written outside ${destination}`);
      }
      if (header.type === 'directory') {
        await mkdir(path, { recursive: true });
        result.directories++;
        entry.resume();
      } else if (header.type === 'symlink') {
        links.push({ target: header.linkname ?? '', path });
        entry.resume();
      } else {
        await mkdir(dirname(path), { recursive: true });
        const mode = (header.mode ?? 0) & 0o111 ? 0o755 : 0o644;
        await pipeline(
          entry,
          budgeted(label, name, settings, read, result),
          createWriteStream(path, { flags: 'wx', mode }),
        );
        result.files++;
      }
    }
    await feeding;
    for (const link of links) {
      await mkdir(dirname(link.path), { recursive: true });
      await symlink(link.target, link.path);
    }
  } catch (error) {
    entries.destroy();
    await rm(destination, { recursive: true, force: true });
    const reason =
      error instanceof ActionError
        ? error.message
        : `${label} is not a readable tar.gz: ${(error as Error).message}`;
    throw new ActionError(`${reason}; nothing was extracted`);
  }
  return result;
}

/** Counts the bytes written against the size limit, and the whole archive's inflation against the ratio. */
function budgeted(
  label: string,
  name: string,
  settings: Settings,
  read: { compressed: number },
  result: ExtractResult,
): Transform {
  const { maxBytes, maxRatio, ratioMinBytes } = settings.limits;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      result.bytes += chunk.length;
      if (result.bytes > maxBytes) {
        callback(
          new ActionError(
            `${label} expands beyond the limit of ${formatBytes(maxBytes)} (stopped in '${printable(name)}'); ${settings.raise('maxBytes')}`,
          ),
        );
      } else if (result.bytes > ratioMinBytes && result.bytes > maxRatio * Math.max(read.compressed, 1)) {
        callback(
          new ActionError(
            `${label} expands over ${maxRatio}:1 (${formatBytes(result.bytes)} from ${formatBytes(read.compressed)}), ${ratioLimit(settings)}`,
          ),
        );
      } else callback(null, chunk);
    },
  });
}
