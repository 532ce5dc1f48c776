import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { sha256File } from '@forge-actions/system';
import { checkWheels } from './checks.js';
import { type CleanupResult, cleanSitePackages, treeSize } from './cleanup.js';
import { fetchCandidates } from './fetch.js';
import { indexSecrets } from './indexes.js';
import { installWheels } from './install.js';
import { parseWheelName } from './names.js';
import { buildWithPip, downloadWithPip } from './pip-engine.js';
import { findCompilePython, findHostPython, type Python, pipVersion } from './python.js';
import type { WheelRequest } from './request.js';
import { type Builder, buildPureWheels } from './sdist.js';
import type { EngineOptions, Fetched, Sources } from './types.js';
import { ensureUv, type Uv } from './uv.js';
import { buildWithUv, resolveWithUv } from './uv-engine.js';

export interface RunContext {
  /** Scratch space (RUNNER_TEMP); a folder of this run is made and removed inside it. */
  tempDir: string;
  logger: Logger;
  /** Wraps a phase in a collapsible log group; runs it plainly when absent. */
  group?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

/** @internal Exported for its unit tests. */
export interface WheelInfo {
  /** Normalised project name. */
  name: string;
  version: string;
  /** File name in wheel-dir. */
  file: string;
  sha256: string;
  size: number;
  /** true when built on the runner from a pure-Python sdist. */
  built: boolean;
}

export interface WheelReport {
  /** e.g. `uv 0.13.8 (tool cache)` or `pip 24.0 (Python 3.11.7)`. */
  engine: string;
  /** e.g. cp311-win_amd64. */
  target: string;
  wheelDir: string;
  wheels: WheelInfo[];
  /** Wheels of earlier runs deleted from wheel-dir. */
  removedStale: string[];
  /** '' for download only. */
  sitePackagesDir: string;
  sizeBefore?: number;
  sizeAfter?: number;
  cleanup?: CleanupResult;
}

type EngineChoice = { kind: 'uv'; uv: Uv; label: string } | { kind: 'pip'; python: Python; label: string };

/** uv when it can be had (PATH, tool cache, or installed with pip); pip otherwise, for engine auto. */
async function chooseEngine(
  request: WheelRequest,
  python: Python | undefined,
  context: RunContext,
): Promise<EngineChoice> {
  const { logger } = context;
  const viaPip = async (why: string): Promise<EngineChoice> => {
    const version = python ? await pipVersion(python) : undefined;
    if (!python || !version) {
      throw new ActionError(
        `${why}, and the pip engine needs a python (python3 or python) with pip on the runner${python ? ` (${python.executable} has no pip)` : ''}`,
      );
    }
    return { kind: 'pip', python, label: `pip ${version} (Python ${python.version})` };
  };
  if (request.engine === 'pip') return viaPip('engine: pip was asked for');
  try {
    const uv = await ensureUv(request.uvVersion, python, { tempDir: context.tempDir, logger });
    return { kind: 'uv', uv, label: `uv ${uv.version} (${uv.source})` };
  } catch (error) {
    if (request.engine === 'uv' || !(error instanceof ActionError)) throw error;
    logger.warning(`uv is not available (${error.message}); resolving with pip and target markers instead`);
    return viaPip(`uv is not available (${error.message})`);
  }
}

/** Moves a file, copying when it crosses file systems (RUNNER_TEMP vs the workspace). */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

/**
 * Downloads the Windows wheels of the requirements, resolved for the target (markers, tags, Python
 * version) with the constraints applied to the whole resolution; builds pure-Python wheels from sdists
 * where allowed; checks every wheel against the target and the constraints; puts exactly these wheels
 * into wheel-dir; optionally installs them into site-packages and cleans it up.
 */
export async function downloadWinWheels(request: WheelRequest, context: RunContext): Promise<WheelReport> {
  const { logger } = context;
  const { target } = request;
  const group = context.group ?? (<T>(_name: string, fn: () => Promise<T>) => fn());
  await mkdir(context.tempDir, { recursive: true });
  const work = await mkdtemp(join(context.tempDir, 'download-win-wheels-'));
  try {
    const prepared = await group('Prepare', async () => {
      const python = await findHostPython();
      // Before anything is downloaded: aggressive cleanup is impossible without a Python of the target version.
      const compilePython =
        request.sitePackages && request.cleanup === 'aggressive'
          ? await findCompilePython(target)
          : undefined;
      const engine = await chooseEngine(request, python, context);
      logger.info(`Resolving for ${target.label} (Python ${target.versionArg}) with ${engine.label}`);
      return { python, compilePython, engine };
    });
    const { engine, compilePython, python } = prepared;

    const sources: Sources = { requirementFiles: [], constraintFile: undefined };
    if (request.requirements.length > 0) {
      const file = join(work, 'requirements.txt');
      await writeFile(file, `${request.requirements.join('\n')}\n`);
      sources.requirementFiles.push(file);
    }
    if (request.requirementsFile) sources.requirementFiles.push(request.requirementsFile);
    if (request.constraintLines.length > 0) {
      sources.constraintFile = join(work, 'constraints.txt');
      await writeFile(sources.constraintFile, `${request.constraintLines.join('\n')}\n`);
    }
    const options: EngineOptions = {
      target,
      indexes: request.indexes,
      allowSdist: request.allowSdist,
      tempDir: work,
      logger,
      secrets: indexSecrets(request.indexes),
      python,
    };

    const downloads = join(work, 'downloads');
    await mkdir(downloads);
    const wheels = await group(`Resolve and download for ${target.label} (${engine.label})`, async () => {
      let fetched: Fetched[];
      let build: Builder;
      if (engine.kind === 'uv') {
        const candidates = await resolveWithUv(engine.uv, sources, options);
        fetched = await fetchCandidates(candidates, downloads, {
          indexes: request.indexes,
          logger,
          secrets: options.secrets,
          baseDir: work,
        });
        build = (sdist, out) => buildWithUv(engine.uv, sdist, out, options);
      } else {
        fetched = await downloadWithPip(engine.python, sources, downloads, options);
        build = (sdist, out) => buildWithPip(engine.python, sdist, out, options);
      }
      const sdists = fetched.filter((f) => f.kind === 'sdist');
      if (sdists.length > 0 && !request.allowSdist) {
        const names = sdists.map((s) => `${s.name} ${s.version}`).join(', ');
        throw new ActionError(`No wheel for ${target.label}: ${names} (allow-sdist-fallback is false)`);
      }
      const built = await buildPureWheels(sdists, build, target, work, logger);
      const all = [...fetched.filter((f) => f.kind === 'wheel'), ...built];
      checkWheels(
        all.map((w) => basename(w.path)),
        request,
      );
      return all.map((w) => ({ ...w, built: built.includes(w) }));
    });

    const report: WheelReport = {
      engine: engine.label,
      target: target.label,
      wheelDir: request.wheelDir,
      wheels: [],
      removedStale: [],
      sitePackagesDir: request.sitePackages,
    };
    await group(`Wheels into ${request.wheelDir}`, async () => {
      await mkdir(request.wheelDir, { recursive: true });
      const keep = new Set(wheels.map((w) => basename(w.path)));
      // wheel-dir holds exactly this resolution: a wheel left by an earlier run (the seed's stray numpy 2)
      // must not be picked up by a later `*.whl`.
      for (const file of (await readdir(request.wheelDir)).sort()) {
        if (file.endsWith('.whl') && !keep.has(file)) {
          await rm(join(request.wheelDir, file), { force: true });
          report.removedStale.push(file);
          logger.info(`Removed ${file} from wheel-dir: not part of this resolution`);
        }
      }
      for (const wheel of wheels.sort((a, b) => a.name.localeCompare(b.name))) {
        const file = basename(wheel.path);
        const to = join(request.wheelDir, file);
        await moveFile(wheel.path, to);
        // checkWheels parsed every name already.
        const parsed = parseWheelName(file) ?? wheel;
        report.wheels.push({
          name: parsed.name,
          version: parsed.version,
          file,
          sha256: await sha256File(to),
          size: (await stat(to)).size,
          built: wheel.built,
        });
      }
      logger.info(`${report.wheels.length} wheel(s) for ${target.label} in ${request.wheelDir}`);
    });

    if (request.sitePackages) {
      const site = request.sitePackages;
      await group(`Install into ${site}`, async () => {
        const existing = await readdir(site).catch(() => [] as string[]);
        if (existing.length > 0) {
          logger.warning(
            `${site} already holds ${existing.length} entries: files of an earlier install that these wheels do ` +
              'not overwrite stay (a mix of versions); start from an empty folder for a clean result',
          );
        }
        await installWheels(
          report.wheels.map((w) => join(request.wheelDir, w.file)),
          site,
          logger,
          request.extractLimits,
        );
        report.sizeBefore = await treeSize(site);
      });
      report.cleanup = await group(`Clean up site-packages (${request.cleanup})`, async () => {
        const result = await cleanSitePackages(site, {
          level: request.cleanup,
          remove: request.remove,
          compilePython,
          logger,
        });
        report.sizeAfter = await treeSize(site);
        const removed = Object.entries(result.removed).map(([why, n]) => `${n} ${why}`);
        logger.info(
          `site-packages: ${report.sizeBefore} → ${report.sizeAfter} bytes` +
            (removed.length > 0 ? ` (removed ${removed.join(', ')})` : ''),
        );
        return result;
      });
    }
    return report;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
