import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionError, InputError, type Logger } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { minimatch } from 'minimatch';
import { reasonOf, run } from './command.js';
import { normalizeName } from './names.js';
import type { Python } from './python.js';

export const CLEANUP_LEVELS = ['none', 'safe', 'aggressive'] as const;
export type CleanupLevel = (typeof CLEANUP_LEVELS)[number];

export interface CleanupOptions {
  level: CleanupLevel;
  /** Extra globs relative to site-packages (files or folders). */
  remove: string[];
  /** A Python of the target's X.Y; required for aggressive (compileall before any .py goes). */
  compilePython?: Python;
  logger: Logger;
}

export interface CleanupResult {
  /** Files and folders removed, by reason. */
  removed: Record<string, number>;
  /** Build-only projects kept because an installed distribution needs them at run time. */
  keptBuildOnly: string[];
  /** .py files replaced by their .pyc (aggressive). */
  compiled: number;
  /** .py files kept because they did not compile (aggressive). */
  uncompiled: string[];
}

/** Build tools that wheels drag in but an app does not run: their import packages and startup hooks. */
const BUILD_ONLY: Record<string, string[]> = {
  pip: ['pip'],
  setuptools: ['setuptools', 'pkg_resources', '_distutils_hack', 'distutils-precedence.pth'],
  wheel: ['wheel'],
};

/** The remove input's globs: relative to site-packages, never above it. */
export function checkRemovePatterns(patterns: string[]): void {
  for (const pattern of patterns) {
    if (/^([A-Za-z]:|[/\\])/.test(pattern) || pattern.split(/[/\\]/).includes('..')) {
      throw new InputError(
        'remove',
        `patterns are relative to site-packages, without '..' (got '${pattern}')`,
      );
    }
  }
}

/** Bytes of every file below `dir`, links counted as themselves. */
export async function treeSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await treeSize(path);
    else total += (await lstat(path)).size;
  }
  return total;
}

/** Relative `/` paths of every file and folder below `dir`, parents before children. */
async function listAll(dir: string, rel = ''): Promise<Array<{ path: string; dir: boolean }>> {
  const out: Array<{ path: string; dir: boolean }> = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    out.push({ path, dir: entry.isDirectory() });
    if (entry.isDirectory()) out.push(...(await listAll(join(dir, entry.name), path)));
  }
  return out;
}

/** The project of a `NAME-VER.dist-info` folder, normalised. */
const projectOfDistInfo = (name: string) =>
  normalizeName(name.replace(/\.dist-info$/, '').replace(/-[^-]*$/, ''));

/** Projects the installed distributions need at run time (Requires-Dist without an `extra` marker). */
async function runtimeRequirements(site: string, distInfos: string[]): Promise<Map<string, string[]>> {
  const needs = new Map<string, string[]>();
  for (const distInfo of distInfos) {
    let metadata: string;
    try {
      metadata = await readFile(join(site, distInfo, 'METADATA'), 'utf8');
    } catch {
      continue;
    }
    const by = projectOfDistInfo(distInfo);
    for (const m of metadata.matchAll(/^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)([^\n]*)$/gm)) {
      const marker = m[2].split(';')[1] ?? '';
      if (/\bextra\b/.test(marker)) continue;
      const name = normalizeName(m[1]);
      needs.set(name, [...(needs.get(name) ?? []), by]);
    }
  }
  return needs;
}

/**
 * Shrinks site-packages. `safe`: `__pycache__`, the `tests`/`test` folders of top-level packages, `.pyi`
 * stubs, and the build tools pip, setuptools (with pkg_resources, _distutils_hack and its .pth hook) and
 * wheel unless an installed distribution requires them. `aggressive` also compiles everything with
 * `compileall -b` (a Python of the target's X.Y) and only then deletes each `.py` that got its `.pyc`,
 * and drops the `.dist-info` folders. `remove` globs go first, at any level.
 */
export async function cleanSitePackages(site: string, options: CleanupOptions): Promise<CleanupResult> {
  const { level, logger } = options;
  const result: CleanupResult = { removed: {}, keptBuildOnly: [], compiled: 0, uncompiled: [] };
  const drop = async (path: string, reason: string) => {
    await rm(join(site, ...path.split('/')), { recursive: true, force: true });
    result.removed[reason] = (result.removed[reason] ?? 0) + 1;
  };

  if (options.remove.length > 0) {
    const entries = await listAll(site);
    const gone: string[] = [];
    const used = new Set<string>();
    for (const entry of entries) {
      const matching = options.remove.filter((p) => minimatch(entry.path, p, { dot: true }));
      for (const pattern of matching) used.add(pattern);
      // Inside a folder already removed: gone with it.
      if (matching.length === 0 || gone.some((g) => entry.path.startsWith(`${g}/`))) continue;
      gone.push(entry.path);
      await drop(entry.path, 'remove');
    }
    for (const pattern of options.remove) {
      if (!used.has(pattern)) logger.warning(`remove: '${pattern}' matched nothing in ${site}`);
    }
  }
  if (level === 'none') return result;

  const top = await readdir(site, { withFileTypes: true });
  const distInfos = top.filter((e) => e.isDirectory() && e.name.endsWith('.dist-info')).map((e) => e.name);
  const needs = await runtimeRequirements(
    site,
    distInfos.filter((d) => !(projectOfDistInfo(d) in BUILD_ONLY)),
  );
  for (const [project, paths] of Object.entries(BUILD_ONLY)) {
    const users = needs.get(project);
    const present = top.some(
      (e) =>
        paths.includes(e.name) || (e.name.endsWith('.dist-info') && projectOfDistInfo(e.name) === project),
    );
    if (!present) continue;
    if (users) {
      result.keptBuildOnly.push(project);
      logger.info(
        `Kept ${project}: ${[...new Set(users)].join(', ')} require${users.length === 1 ? 's' : ''} it at run time`,
      );
      continue;
    }
    for (const e of top) {
      if (
        paths.includes(e.name) ||
        (e.name.endsWith('.dist-info') && projectOfDistInfo(e.name) === project)
      ) {
        await drop(e.name, 'build tools');
      }
    }
  }
  for (const e of await readdir(site, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.endsWith('.dist-info') || e.name.endsWith('.data')) continue;
    for (const name of ['tests', 'test']) {
      if (existsSync(join(site, e.name, name))) await drop(`${e.name}/${name}`, 'tests');
    }
  }
  for (const entry of await listAll(site)) {
    const name = entry.path.split('/').pop() ?? '';
    if (entry.dir && name === '__pycache__') await drop(entry.path, '__pycache__');
    else if (!entry.dir && name.endsWith('.pyi') && !entry.path.includes('/__pycache__/'))
      await drop(entry.path, '.pyi');
  }
  if (level !== 'aggressive') return result;

  if (!options.compilePython) throw new Error('aggressive cleanup needs a Python of the target version');
  await compileThenDropSources(site, options.compilePython, result, logger);
  for (const e of await readdir(site, { withFileTypes: true })) {
    if (e.isDirectory() && e.name.endsWith('.dist-info')) await drop(e.name, '.dist-info');
  }
  return result;
}

/**
 * The only way .py files leave: `compileall -b -f` writes foo.pyc beside foo.py (loadable without the
 * source, unlike __pycache__/foo.cpython-311.pyc), then each .py whose .pyc compileall wrote is deleted.
 * A file that did not compile keeps its source (seed 4.3: deleting sources without .pyc made every
 * submodule unimportable), also when the wheel shipped a .pyc beside it: such a .pyc counts only once
 * compileall replaced it (`-f` rewrites every file that compiles, so one left as it was did not).
 */
async function compileThenDropSources(site: string, python: Python, result: CleanupResult, logger: Logger) {
  const sources = (await listAll(site)).filter((entry) => !entry.dir && entry.path.endsWith('.py'));
  const shipped = new Map<string, string>();
  for (const entry of sources) {
    const pyc = `${join(site, ...entry.path.split('/'))}c`;
    const before = await pycStamp(pyc);
    if (before) shipped.set(pyc, before);
  }
  // Hash-based .pyc files: the same sources give the same bytes in every build (a timestamp one records
  // when pip wrote the source); without their .py, Python loads them unchecked either way.
  const compiled = await run(
    python.executable,
    ['-m', 'compileall', '-b', '-f', '-q', '-j', '0', '--invalidation-mode', 'unchecked-hash', site],
    { logger },
  );
  for (const entry of sources) {
    const py = join(site, ...entry.path.split('/'));
    const now = await pycStamp(`${py}c`);
    if (now && now !== shipped.get(`${py}c`)) {
      await rm(py);
      result.compiled++;
    } else {
      result.uncompiled.push(entry.path);
    }
  }
  if (compiled.code !== 0) {
    logger.warning(
      `compileall reported files it could not compile (${printable(reasonOf(compiled))}); their .py files stay`,
    );
  }
  if (sources.length > 0 && result.compiled === 0) {
    throw new ActionError(
      `compileall with ${python.executable} compiled nothing in ${site}; no .py file was deleted`,
    );
  }
  if (result.uncompiled.length > 0) {
    const shown = result.uncompiled.slice(0, 5).map(printable).join(', ');
    const more = result.uncompiled.length > 5 ? ` and ${result.uncompiled.length - 5} more` : '';
    logger.warning(`${result.uncompiled.length} .py file(s) did not compile and were kept: ${shown}${more}`);
  }
}

/** What tells a .pyc apart from the one that was there before (a rewrite is a new file), or undefined when there is none. */
async function pycStamp(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    return info.isFile() ? `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : undefined;
  } catch {
    return undefined;
  }
}
