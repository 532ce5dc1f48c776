// A relocatable CPython from python-build-standalone (an `install_only` archive, or a mirror of them):
// found, downloaded with its sha256 checked, and extracted safely into `python/`.
import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ActionError, InputError, type Logger } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { type ExtractOptions, extractTarGz } from '@forge-actions/archive/extract';
import { findCached, PAYLOAD, storeCached } from '@forge-actions/embedded-python/tool-cache';
import { type HttpClient, HttpError, NetworkError, parseListing, redactUrl } from '@forge-actions/http';
import { nearestVersions, newestMatching } from '@forge-actions/version/python';

/** python-build-standalone's name of an x86_64 Linux `install_only` archive. */
const ARCHIVE = /^cpython-(\d+\.\d+\.\d+)\+(\d{8})-x86_64-unknown-linux-gnu-install_only\.tar\.gz$/;

export interface StandaloneArchive {
  url: string;
  name: string;
  /** X.Y.Z of the CPython inside. */
  version: string;
}

export interface StandaloneSource {
  distUrl: string;
  distAuthorization: string;
  /** `3.11`, `3.11.9` or ''. */
  pythonVersion: string;
  sha256: string;
  extractLimits: ExtractOptions;
}

const isArchiveUrl = (url: string) => /\.(tar\.gz|tgz)$/i.test(new URL(url).pathname);

/** A request's failure as one line naming the URL (without credentials). */
function failed(what: string, url: string, error: unknown): never {
  if (error instanceof HttpError || error instanceof NetworkError) {
    throw new ActionError(`${what} ${redactUrl(url)} failed: ${error.message}`);
  }
  throw error;
}

/**
 * The archive to use: python-dist-url itself when it names one (its version must fit python-version),
 * else the newest archive of python-version in the folder python-dist-url lists (newest build date
 * among equal versions).
 */
export async function findStandalone(source: StandaloneSource, http: HttpClient): Promise<StandaloneArchive> {
  const { distUrl, pythonVersion } = source;
  if (isArchiveUrl(distUrl)) {
    const name = decodeURIComponent(basename(new URL(distUrl).pathname));
    const version = ARCHIVE.exec(name)?.[1] ?? '';
    if (pythonVersion && version && !newestMatching(pythonVersion, [version])) {
      throw new InputError(
        'python-version',
        `is ${pythonVersion}, but python-dist-url is CPython ${version} (${printable(name)})`,
      );
    }
    return { url: distUrl, name, version: version || pythonVersion };
  }
  if (!pythonVersion) {
    throw new InputError(
      'python-version',
      'is required when python-dist-url is a folder of archives (e.g. 3.11 or 3.11.9)',
    );
  }
  const folder = distUrl.endsWith('/') ? distUrl : `${distUrl}/`;
  const headers = source.distAuthorization ? { authorization: source.distAuthorization } : undefined;
  const listing = await http
    .request('GET', folder, { headers })
    .catch((error) => failed('Listing', folder, error));
  const archives = new Map<string, { name: string; date: string }>();
  for (const href of parseListing(listing.body.toString('utf8'), folder)) {
    const match = ARCHIVE.exec(href);
    if (!match) continue;
    const held = archives.get(match[1]);
    if (!held || match[2] > held.date) archives.set(match[1], { name: href, date: match[2] });
  }
  if (archives.size === 0) {
    throw new InputError(
      'python-dist-url',
      `lists no python-build-standalone install_only archive for x86_64 Linux (cpython-X.Y.Z+DATE-x86_64-unknown-linux-gnu-install_only.tar.gz): ${redactUrl(folder)}`,
    );
  }
  const versions = [...archives.keys()];
  const version = newestMatching(pythonVersion, versions);
  if (!version) {
    throw new InputError(
      'python-version',
      `${pythonVersion} is not on ${redactUrl(folder)}; nearest there: ${nearestVersions(pythonVersion, versions).join(', ')}`,
    );
  }
  const { name } = archives.get(version) as { name: string };
  return { url: new URL(name, folder).href, name, version };
}

/** Tool-cache entries of this archive kind: one per CPython version, keyed by where it came from. */
const TOOL = 'python-build-standalone';
const ARCHIVE_KEY = 'archive';

/**
 * Puts the archive's `python/` into `distDir`: from the tool cache when an entry was made from this very
 * URL (and sha256, when one is given) and is unchanged; else downloaded, its sha256 checked, extracted,
 * cached, then moved into place. Returns the interpreter and whether the cache served it.
 */
export async function installStandalone(
  archive: StandaloneArchive,
  source: StandaloneSource,
  paths: { work: string; distDir: string },
  http: HttpClient,
  logger: Logger,
  progress?: (bytes: number, total: number | undefined) => void,
): Promise<{ python: string; cacheHit: boolean }> {
  const python = join(paths.distDir, 'python');
  const recorded = redactUrl(archive.url);
  // Without a version (an archive named otherwise) there is no key to file it under.
  const key = archive.version ? { tool: TOOL, version: archive.version, arch: 'x64' } : undefined;
  const hit =
    key && (await findCached(key, { [ARCHIVE_KEY]: { url: recorded, sha256: source.sha256 } }, logger));
  if (hit) {
    logger.info(`Tool cache hit: ${TOOL} ${archive.version} (${printable(archive.name)})`);
    await cp(hit.dir, python, { recursive: true, verbatimSymlinks: true });
    return { python: join(python, 'bin', 'python3'), cacheHit: true };
  }

  const file = join(paths.work, 'python.tar.gz');
  logger.info(`Downloading ${recorded}`);
  const headers = source.distAuthorization ? { authorization: source.distAuthorization } : undefined;
  const got = await http
    .download(archive.url, file, { sha256: true, headers, onProgress: progress })
    .catch((error) => failed('Downloading', archive.url, error));
  const sha256 = got.sha256 ?? '';
  logger.info(`${printable(archive.name)}: ${got.bytes} bytes, sha256 ${sha256}`);
  if (source.sha256 && sha256 !== source.sha256) {
    throw new ActionError(
      `${printable(archive.name)} has sha256 ${sha256}, not the expected ${source.sha256} (input 'sha256'); nothing was extracted`,
    );
  }
  const unpacked = join(paths.work, 'unpacked');
  const result = await extractTarGz(file, unpacked, source.extractLimits);
  await rm(file, { force: true });
  if (!existsSync(join(unpacked, 'python', 'bin', 'python3'))) {
    throw new InputError(
      'python-dist-url',
      `is not a python-build-standalone install_only archive: ${printable(archive.name)} has no python/bin/python3`,
    );
  }
  logger.info(`Extracted ${result.files} files (${result.bytes} bytes)`);
  const stage = join(paths.work, 'stage');
  await mkdir(stage);
  await rename(join(unpacked, 'python'), join(stage, PAYLOAD));
  if (key)
    await storeCached(stage, { [ARCHIVE_KEY]: { url: recorded, sha256, bytes: got.bytes } }, key, logger);
  await rename(join(stage, PAYLOAD), python);
  return { python: join(python, 'bin', 'python3'), cacheHit: false };
}
