import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { extractZip } from '@forge-actions/archive/extract';
import { HttpClient, HttpError, NetworkError, redactUrl, secretsOfAuthorization } from '@forge-actions/http';
import { embedZipName, embedZipUrl, msiFolderUrl, whyNoEmbedZip } from './mirror.js';
import { ensureMsiextract, extractMsi } from './msiextract.js';
import { newestEmbedRelease } from './newest-release.js';
import { findPthFile, type PthPatchResult, patchPth } from './pth.js';
import type { FetchRequest } from './request.js';
import { collectTkinter } from './tkinter.js';
import {
  type CacheKey,
  findCached,
  type Origin,
  PAYLOAD,
  PYTHON_TOOL,
  storeCached,
  TKINTER_TOOL,
} from './tool-cache.js';
import { embedVersion, type PythonVersion } from './version.js';

type ProgressFactory = (label: string) => (bytes: number, total: number | undefined) => void;

export interface FetchContext {
  /** Working files go to a fresh folder below this one (RUNNER_TEMP), removed at the end. */
  tempDir: string;
  logger: Logger;
  /** Download progress reporting, one callback per file. */
  progress?: ProgressFactory;
  http?: HttpClient;
}

export interface FetchResult {
  /** The release fetched: python-version itself, or the newest of its line on the mirror. */
  version: PythonVersion;
  pythonDir: string;
  pthFile: string;
  /** '' when site-packages is off. */
  sitePackagesDir: string;
  /** Everything asked for (the zip, and tkinter when asked) came from the tool cache. */
  cacheHit: boolean;
  zipUrl: string;
  /** sha256 of the embeddable zip, when known (always after a download). */
  zipSha256: string;
  pth: PthPatchResult;
  /** Paths added for tkinter, relative to the python folder. */
  tkinter: string[];
}

interface Obtained {
  dir: string;
  /** `dir` is this run's own staged copy (already cached if caching is on), free to be moved. */
  staged: boolean;
  fromCache: boolean;
  origin: Origin | undefined;
}

const ZIP_KEY = 'zip';

/** The request with the release it fetches. */
type Resolved = FetchRequest & { version: PythonVersion };

/**
 * Downloads one file of the mirror (`url` has no credentials; the mirror's go in `authorization`).
 * Every URL shown is redacted all the same.
 */
async function download(
  context: FetchContext,
  http: HttpClient,
  url: string,
  authorization: string,
  to: string,
  notFound: string,
): Promise<{ bytes: number; sha256: string }> {
  const label = basename(to);
  context.logger.info(`Downloading ${redactUrl(url)}`);
  try {
    const result = await http.download(url, to, {
      sha256: true,
      onProgress: context.progress?.(label),
      headers: authorization ? { authorization } : undefined,
    });
    context.logger.info(`${label}: ${result.bytes} bytes, sha256 ${result.sha256}`);
    return { bytes: result.bytes, sha256: result.sha256 ?? '' };
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) throw new ActionError(notFound);
    if (error instanceof HttpError || error instanceof NetworkError) {
      throw new ActionError(`Downloading ${label} failed: ${error.message}`);
    }
    throw error;
  }
}

async function obtainPython(
  request: Resolved,
  context: FetchContext,
  http: HttpClient,
  work: string,
): Promise<Obtained> {
  const { version, arch, sha256 } = request;
  const key: CacheKey = { tool: PYTHON_TOOL, version: version.cacheVersion, arch };
  const url = embedZipUrl(request.mirror, version, arch);
  // What the entry is keyed and checked on, and what it records: the URL without credentials.
  const recorded = redactUrl(url);
  if (request.cache) {
    const hit = await findCached(key, { [ZIP_KEY]: { url: recorded, sha256 } }, context.logger);
    if (hit) {
      context.logger.info(`Tool cache hit: ${PYTHON_TOOL} ${key.version} ${arch}`);
      return { dir: hit.dir, staged: false, fromCache: true, origin: hit.origin };
    }
  }

  const zip = join(work, basename(url));
  const got = await download(
    context,
    http,
    url,
    request.mirrorAuthorization,
    zip,
    `No embeddable Python at ${recorded} (404): ${whyNoEmbedZip(version, arch)}`,
  );
  if (sha256 && got.sha256 !== sha256) {
    throw new ActionError(
      `${basename(zip)} has sha256 ${got.sha256}, not the expected ${sha256} (input 'sha256'); nothing was cached or written`,
    );
  }
  const stage = join(work, 'python-stage');
  const extracted = await extractZip(zip, join(stage, PAYLOAD), request.extractLimits);
  context.logger.info(`Extracted ${extracted.files} files (${extracted.bytes} bytes)`);
  await rm(zip, { force: true });
  await requirePth(join(stage, PAYLOAD), request); // before caching: no entry without one
  const origin: Origin = { [ZIP_KEY]: { url: recorded, sha256: got.sha256, bytes: got.bytes } };
  if (request.cache) await storeCached(stage, origin, key, context.logger);
  return { dir: join(stage, PAYLOAD), staged: true, fromCache: false, origin };
}

async function obtainTkinter(
  request: Resolved,
  context: FetchContext,
  http: HttpClient,
  work: string,
): Promise<Obtained> {
  const { version, arch } = request;
  const key: CacheKey = { tool: TKINTER_TOOL, version: version.cacheVersion, arch };
  const folder = msiFolderUrl(request.mirror, version, arch);
  const names = ['tcltk.msi', 'lib.msi'];
  if (request.cache) {
    const wanted = Object.fromEntries(names.map((name) => [name, { url: redactUrl(`${folder}${name}`) }]));
    const hit = await findCached(key, wanted, context.logger);
    if (hit) {
      context.logger.info(`Tool cache hit: ${TKINTER_TOOL} ${key.version} ${arch}`);
      return { dir: hit.dir, staged: false, fromCache: true, origin: hit.origin };
    }
  }
  const msiextract = await ensureMsiextract(context.logger);
  const origin: Origin = {};
  const trees: string[] = [];
  for (const name of names) {
    const msi = join(work, name);
    const url = `${folder}${name}`;
    const got = await download(
      context,
      http,
      url,
      request.mirrorAuthorization,
      msi,
      `No ${name} at ${redactUrl(url)} (404): tkinter comes from the MSI packages of the Windows installer, which ` +
        `python.org publishes only for releases with Windows binaries (${whyNoEmbedZip(version, arch)})`,
    );
    origin[name] = { url: redactUrl(url), sha256: got.sha256, bytes: got.bytes };
    const tree = join(work, `${name}.d`);
    await mkdir(tree);
    const files = await extractMsi(msiextract, msi, tree);
    context.logger.info(`Extracted ${files.length} files from ${name}`);
    trees.push(tree);
  }
  const stage = join(work, 'tkinter-stage');
  const placed = await collectTkinter(trees, join(stage, PAYLOAD));
  context.logger.info(`tkinter: ${placed.join(', ')}`);
  if (request.cache) await storeCached(stage, origin, key, context.logger);
  return { dir: join(stage, PAYLOAD), staged: true, fromCache: false, origin };
}

/**
 * Puts a Windows embeddable Python into `request.destination`: from the tool cache, else downloaded
 * (sha256-checked), extracted safely and cached; tkinter added from the release's MSIs when asked; the
 * `._pth` patched for site-packages and the extra paths. Nothing lands in the destination or the cache
 * before the downloads are verified.
 */
export async function fetchEmbeddedPython(
  request: FetchRequest,
  context: FetchContext,
): Promise<FetchResult> {
  const http =
    context.http ??
    new HttpClient({ logger: context.logger, secrets: secretsOfAuthorization(request.mirrorAuthorization) });
  await mkdir(context.tempDir, { recursive: true });
  const work = await mkdtemp(join(context.tempDir, 'embedded-python-'));
  try {
    const version =
      request.python.patch === undefined
        ? await newestEmbedRelease(request, http, context.logger)
        : embedVersion(request.python);
    const resolved: Resolved = { ...request, version };
    const python = await obtainPython(resolved, context, http, work);
    const pthName = await requirePth(python.dir, resolved);
    const tk = request.tkinter ? await obtainTkinter(resolved, context, http, work) : undefined;

    const destination = request.destination;
    const tkinterNames = tk ? await listTkinter(tk.dir) : [];
    await place(python, destination, context.logger);
    if (tk) await place(tk, destination, context.logger);

    const pthFile = join(destination, pthName);
    const pth = patchPth(await readFile(pthFile, 'utf8'), {
      sitePackages: request.sitePackages,
      extraPaths: request.extraPaths,
    });
    if (pth.changed) await writeFile(pthFile, pth.text);
    const sitePackagesDir = request.sitePackages ? join(destination, 'Lib', 'site-packages') : '';
    if (sitePackagesDir) await mkdir(sitePackagesDir, { recursive: true });

    return {
      version,
      pythonDir: destination,
      pthFile,
      sitePackagesDir,
      cacheHit: python.fromCache && (!tk || tk.fromCache),
      zipUrl: redactUrl(python.origin?.[ZIP_KEY]?.url ?? embedZipUrl(request.mirror, version, request.arch)),
      zipSha256: python.origin?.[ZIP_KEY]?.sha256 ?? '',
      pth,
      tkinter: tkinterNames,
    };
  } finally {
    if (!context.http) http.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

/** The `._pth` file's name in an extracted zip; a zip without one is not an embeddable Python. */
async function requirePth(dir: string, request: Resolved): Promise<string> {
  const name = await findPthFile(dir, request.version.stem);
  if (!name) {
    throw new ActionError(
      `${embedZipName(request.version.text, request.arch)} holds no ${request.version.stem}._pth; ` +
        'is the mirror serving an embeddable Python?',
    );
  }
  return name;
}

/**
 * Copies a payload into the destination (files there are overwritten, others kept). A staged payload
 * going into a folder that does not exist yet is moved instead: one rename rather than a second copy of
 * every byte, when the runner's temp folder and the workspace share a file system. A payload from the
 * tool cache is copied, never linked: what later steps change in the destination stays out of the cache.
 */
async function place(payload: Obtained, destination: string, logger: Logger): Promise<void> {
  if (payload.staged && !existsSync(destination)) {
    await mkdir(dirname(destination), { recursive: true });
    try {
      await rename(payload.dir, destination);
      logger.debug(`Placed ${payload.dir} in ${destination} (moved)`);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
  }
  await mkdir(destination, { recursive: true });
  await cp(payload.dir, destination, { recursive: true, force: true });
  logger.debug(`Placed ${payload.dir} in ${destination} (copied)`);
}

/** Top-level names the tkinter payload adds (Lib/tkinter shown as such). */
async function listTkinter(dir: string): Promise<string[]> {
  const names = await readdir(dir, { withFileTypes: true });
  return names
    .flatMap((entry) =>
      entry.name === 'Lib' ? ['Lib/tkinter/'] : [entry.isDirectory() ? `${entry.name}/` : entry.name],
    )
    .sort();
}
