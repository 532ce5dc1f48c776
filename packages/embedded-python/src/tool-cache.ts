// Entries of RUNNER_TOOL_CACHE that record what they were made from and are checked before use: the
// embeddable Python here, linux-portable's python-build-standalone CPython too.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tc from '@actions/tool-cache';
import type { Logger } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { sha256File } from '@forge-actions/system';
import pLimit from 'p-limit';

/** Tool names in RUNNER_TOOL_CACHE: our own, never setup-python's `Python`, whose layout differs. */
export const PYTHON_TOOL = 'python-embed';
export const TKINTER_TOOL = 'python-embed-tkinter';

/** Each cache entry holds the payload in `payload/` and what it was made from beside it. */
export const PAYLOAD = 'payload';
const ORIGIN = 'origin.json';
/** The key of origin.json that holds the digest of the payload tree; every other key is a download. */
const TREE_KEY = 'payload';

/** One download an entry was made from: its URL without credentials, its sha256 and size. */
interface Download {
  url: string;
  sha256: string;
  bytes: number;
}

/** Where a payload came from: each download by name (`zip`, `tcltk.msi` ...). */
export type Origin = Record<string, Download>;

/** The extracted tree as it was cached: every file's path, size and content in one digest. */
interface TreeDigest {
  files: number;
  bytes: number;
  sha256: string;
}

export interface CacheKey {
  tool: string;
  /** Valid semver (tool-cache's folder name). */
  version: string;
  arch: string;
}

/** What an entry must have been made from to be used: per download, its URL (no credentials) and, when pinned, its sha256. */
export type Wanted = Record<string, { url: string; sha256?: string }>;

export interface CachedPayload {
  dir: string;
  origin: Origin;
}

const label = (key: CacheKey) => `${key.tool} ${key.version} ${key.arch}`;

/** Files hashed at once: their reads overlap on libuv's thread pool while one is hashed. */
const PARALLEL_HASHES = 4;

/**
 * The digest of a folder: every file (and link, by its target) with its `/` path, size and sha256, in
 * path order. Folders count only through what they hold, so an empty one changes nothing. The files
 * are hashed a few at a time; the lines keep the walk's order.
 */
async function treeDigest(dir: string): Promise<TreeDigest> {
  const lines: string[] = [];
  const toHash: Array<{ line: number; path: string; relPath: string; size: number }> = [];
  let files = 0;
  let bytes = 0;
  const walk = async (folder: string, rel: string): Promise<void> => {
    const names = (await readdir(folder)).sort();
    const infos = await Promise.all(names.map((name) => lstat(join(folder, name))));
    for (const [index, name] of names.entries()) {
      const path = join(folder, name);
      const relPath = rel ? `${rel}/${name}` : name;
      const info = infos[index];
      if (info.isDirectory()) await walk(path, relPath);
      else if (info.isSymbolicLink()) lines.push(`L ${JSON.stringify(relPath)} ${await readlink(path)}`);
      else if (info.isFile()) {
        files++;
        bytes += info.size;
        toHash.push({ line: lines.length, path, relPath, size: info.size });
        lines.push('');
      } else lines.push(`O ${JSON.stringify(relPath)}`);
    }
  };
  await walk(dir, '');
  const limit = pLimit(PARALLEL_HASHES);
  await Promise.all(
    toHash.map((file) =>
      limit(async () => {
        lines[file.line] = `F ${JSON.stringify(file.relPath)} ${file.size} ${await sha256File(file.path)}`;
      }),
    ),
  );
  return { files, bytes, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** origin.json read back, or undefined when it is missing or not what storeCached writes. */
async function readRecord(root: string): Promise<{ origin: Origin; tree: TreeDigest } | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(join(root, ORIGIN), 'utf8'));
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object') return undefined;
  const { [TREE_KEY]: tree, ...downloads } = data as Record<string, unknown>;
  const isTree = (t: unknown): t is TreeDigest =>
    !!t &&
    typeof t === 'object' &&
    Number.isSafeInteger((t as TreeDigest).files) &&
    Number.isSafeInteger((t as TreeDigest).bytes) &&
    HEX64.test(String((t as TreeDigest).sha256));
  const isDownload = (d: unknown): d is Download =>
    !!d &&
    typeof d === 'object' &&
    typeof (d as Download).url === 'string' &&
    HEX64.test(String((d as Download).sha256)) &&
    Number.isSafeInteger((d as Download).bytes);
  if (!isTree(tree) || !Object.values(downloads).every(isDownload)) return undefined;
  return { origin: downloads as Origin, tree };
}

/**
 * The cached payload for the key, when it was made from exactly the downloads wanted (same URLs, without
 * credentials; same sha256 where one is pinned) and its files are still what was cached (tree digest).
 * Anything else is a miss, logged with its reason, so the caller downloads again and replaces the entry.
 * A cache that cannot be used (no RUNNER_TOOL_CACHE) is a miss too.
 */
export async function findCached(
  key: CacheKey,
  wanted: Wanted,
  logger: Logger,
): Promise<CachedPayload | undefined> {
  if (!process.env.RUNNER_TOOL_CACHE) {
    logger.info('RUNNER_TOOL_CACHE is not set: not using the tool cache');
    return undefined;
  }
  const root = tc.find(key.tool, key.version, key.arch);
  if (!root) return undefined;
  const record = await readRecord(root);
  if (!record) {
    logger.info(
      `Tool cache: ${label(key)} has no usable record of what it was made from (cached by an older version ` +
        'of this action, or edited): not trusted, downloading again',
    );
    return undefined;
  }
  for (const [name, want] of Object.entries(wanted)) {
    const had = record.origin[name];
    if (had?.url !== want.url) {
      logger.info(
        `Tool cache: ${label(key)} came from ${had ? printable(had.url) : 'elsewhere'}, not ${want.url}: downloading again`,
      );
      return undefined;
    }
    if (want.sha256 && had.sha256 !== want.sha256) {
      logger.info(
        `Tool cache: ${label(key)} was made from a ${name} with sha256 ${had.sha256}, not ${want.sha256}: downloading again`,
      );
      return undefined;
    }
  }
  const dir = join(root, PAYLOAD);
  let now: TreeDigest | undefined;
  try {
    now = await treeDigest(dir);
  } catch {
    now = undefined;
  }
  const { tree } = record;
  if (!now || now.sha256 !== tree.sha256 || now.files !== tree.files || now.bytes !== tree.bytes) {
    const seen = now ? `${now.files} files, ${now.bytes} bytes` : 'unreadable';
    logger.info(
      `Tool cache: ${label(key)} does not match the digest recorded when it was cached (${tree.files} files, ` +
        `${tree.bytes} bytes; now ${seen}): changed or damaged since, not trusted, downloading again`,
    );
    return undefined;
  }
  return { dir, origin: record.origin };
}

/**
 * Copies a staged entry (`stage/payload/` plus its origin and the digest of the payload) into the tool
 * cache, replacing any entry of the key. URLs in `origin` must come without credentials: the file stays
 * on the runner. A cache that cannot be written is not fatal: the run goes on and the next one
 * downloads again.
 */
export async function storeCached(
  stage: string,
  origin: Origin,
  key: CacheKey,
  logger: Logger,
): Promise<void> {
  if (!process.env.RUNNER_TOOL_CACHE) return;
  const tree = await treeDigest(join(stage, PAYLOAD));
  logger.debug(`Tool cache: payload digest ${tree.sha256} (${tree.files} files, ${tree.bytes} bytes)`);
  await writeFile(join(stage, ORIGIN), `${JSON.stringify({ ...origin, [TREE_KEY]: tree }, null, 2)}\n`);
  try {
    const root = await tc.cacheDir(stage, key.tool, key.version, key.arch);
    logger.info(`Cached as ${label(key)}: ${root}`);
  } catch (error) {
    logger.warning(
      `Could not write the tool cache (${(error as Error).message}); the next run downloads again`,
    );
  }
}
