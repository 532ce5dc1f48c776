// The seed's Linux tarball (section 5), built so that it runs on the user's machine: a Python, the
// requirements, the shared site-packages cleanup, the app, run.sh and the service scripts, checked by
// importing the app in the built tree, then packed reproducibly with pack-portable's code.
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Phase } from '@forge-actions/action-kit/contract';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { archiveTime, packArchive } from '@forge-actions/archive';
import { HttpClient } from '@forge-actions/http';
import {
  cleanSitePackages,
  indexEnv,
  indexSecrets,
  reasonOf,
  run,
  treeSize,
} from '@forge-actions/wheels/build-common';
import { type Interpreter, installServiceScript, runScript, uninstallServiceScript } from './launchers.js';
import type { LinuxPortableRequest } from './request.js';
import { findStandalone, installStandalone } from './standalone.js';
import { createVenv, findRunnerPython } from './venv.js';

export interface BuildContext {
  /** Working files go to a fresh folder below this one (RUNNER_TEMP), removed at the end. */
  tempDir: string;
  /** Where git is asked for the commit time that dates the archive's entries. */
  workspace: string;
  sourceDateEpoch: string | undefined;
  logger: Logger;
  phase: Phase;
  progress?: (label: string) => (bytes: number, total: number | undefined) => void;
}

export interface LinuxPortableReport {
  archive: string;
  sha256: string;
  size: number;
  entries: number;
  distDir: string;
  /** X.Y.Z of the Python in the build. */
  pythonVersion: string;
  /** Where it came from: the archive's name, or the runner interpreter the venv links to. */
  pythonSource: string;
  sitePackagesBefore: number;
  sitePackagesAfter: number;
  scripts: string[];
}

/**
 * How every Python of the build runs: no .pyc written by its imports (they would record when this build
 * ran, and the archive must be the same bytes every time), nothing from the runner's Python settings.
 * What pip and venv compile on purpose is hash-based with SOURCE_DATE_EPOCH set: the same every build.
 */
function pythonEnv(epoch: number): Record<string, string | undefined> {
  return {
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONHOME: undefined,
    PYTHONPATH: undefined,
    PYTHONNOUSERSITE: '1',
    SOURCE_DATE_EPOCH: String(epoch),
  };
}

/** One line a snippet prints with the build's Python. */
async function ask(python: string, code: string, env: Record<string, string | undefined>): Promise<string> {
  const result = await run(python, ['-c', code], { env });
  if (result.code !== 0) throw new ActionError(`${python} does not run on this runner: ${reasonOf(result)}`);
  return result.stdout.trim();
}

async function installRequirements(
  request: LinuxPortableRequest,
  python: string,
  work: string,
  env: Record<string, string | undefined>,
  logger: Logger,
) {
  const args = [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--no-input',
    '--no-warn-script-location',
  ];
  if (request.requirementsFile) args.push('-r', request.requirementsFile);
  if (request.constraints.length > 0) {
    const file = join(work, 'constraints.txt');
    await writeFile(file, `${request.constraints.join('\n')}\n`);
    args.push('-c', file);
  }
  args.push(...request.requirements);
  const result = await run(python, args, {
    env: { ...env, ...indexEnv(request.indexes, 'pip') },
    secrets: indexSecrets(request.indexes),
    logger,
  });
  if (result.code !== 0) throw new ActionError(`pip install failed: ${reasonOf(result)}`);
}

/** The app module, imported in the built tree as run.sh starts it (no bytecode written into it). */
async function checkImport(
  request: LinuxPortableRequest,
  python: string,
  env: Record<string, string | undefined>,
): Promise<void> {
  const result = await run(
    python,
    ['-s', '-c', 'import importlib, sys; importlib.import_module(sys.argv[1])', request.appModule],
    {
      cwd: request.distDir,
      env: { ...env, PYTHONPATH: join(request.distDir, 'app') },
    },
  );
  if (result.code !== 0) {
    throw new ActionError(
      `app-module ${request.appModule} does not import in the built tree (${request.distDir}): ${reasonOf(result)}`,
    );
  }
}

export async function buildLinuxPortable(
  request: LinuxPortableRequest,
  context: BuildContext,
): Promise<LinuxPortableReport> {
  const { logger, phase } = context;
  const work = await mkdtemp(join(context.tempDir, 'linux-portable-'));
  const http = new HttpClient({ logger });
  try {
    const time = await archiveTime(context.sourceDateEpoch, context.workspace);
    if (time.source === 'default') {
      logger.warning(`No SOURCE_DATE_EPOCH and no commit time (${time.note}): entries are dated 1980-01-01`);
    }
    const env = pythonEnv(Math.floor(time.date.getTime() / 1000));
    const { python, interpreter, version, source } = await phase('Python', async () => {
      await rm(request.distDir, { recursive: true, force: true });
      await mkdir(request.distDir, { recursive: true });
      if (request.python === 'standalone') {
        const archive = await findStandalone(request, http);
        const { python, cacheHit } = await installStandalone(
          archive,
          request,
          { work, distDir: request.distDir },
          http,
          logger,
          context.progress?.(archive.name),
        );
        const version = await ask(python, 'import platform; print(platform.python_version())', env);
        const source = `${archive.name}${cacheHit ? ', from the tool cache' : ''}`;
        return { python, interpreter: { kind: 'standalone' } as Interpreter, version, source };
      }
      const runner = await findRunnerPython(request.pythonVersion);
      logger.info(
        `venv from ${runner.executable} (${runner.version}): the build needs that Python where it runs`,
      );
      const python = await createVenv(runner, request.distDir, env);
      const interpreter: Interpreter = {
        kind: 'venv',
        version: runner.version,
        executable: runner.executable,
      };
      return { python, interpreter, version: runner.version, source: runner.executable };
    });

    const site = await ask(python, 'import sysconfig; print(sysconfig.get_paths()["purelib"])', env);
    const sitePackagesBefore = await phase('Requirements', async () => {
      if (request.requirements.length > 0 || request.requirementsFile) {
        await installRequirements(request, python, work, env, logger);
      } else logger.info('No requirements given.');
      return treeSize(site);
    });
    await phase(`Cleanup (${request.cleanup})`, async () => {
      const compilePython = {
        program: python,
        executable: python,
        version,
        minor: version.replace(/\.\d+$/, ''),
      };
      const cleaned = await cleanSitePackages(site, {
        level: request.cleanup,
        remove: request.remove,
        compilePython,
        logger,
      });
      for (const [reason, count] of Object.entries(cleaned.removed))
        logger.info(`${reason}: ${count} removed`);
    });
    const sitePackagesAfter = await treeSize(site);

    const scripts = await phase('App and scripts', async () => {
      await cp(request.appDir, join(request.distDir, 'app'), { recursive: true });
      const written: Record<string, string> = { 'run.sh': runScript(request.appModule, interpreter) };
      if (request.service) {
        written['install-service.sh'] = installServiceScript(
          request.serviceName,
          `${request.serviceName} (linux-portable)`,
        );
        written['uninstall-service.sh'] = uninstallServiceScript(request.serviceName);
      }
      for (const [name, text] of Object.entries(written)) {
        await writeFile(join(request.distDir, name), text);
        await chmod(join(request.distDir, name), 0o755);
      }
      return Object.keys(written);
    });
    await phase(`Import ${request.appModule}`, () => checkImport(request, python, env));

    const packed = await phase('Pack tar.gz', async () => {
      const result = await packArchive({
        ...request.pack,
        source: request.distDir,
        format: 'tar.gz',
        mtime: time.date,
      });
      for (const warning of result.warnings) logger.warning(warning);
      logger.info(`${request.pack.output}: ${result.entries} entries, sha256 ${result.sha256}`);
      return result;
    });
    return {
      archive: packed.archive,
      sha256: packed.sha256,
      size: packed.size,
      entries: packed.entries,
      distDir: request.distDir,
      pythonVersion: version,
      pythonSource: source,
      sitePackagesBefore,
      sitePackagesAfter,
      scripts,
    };
  } finally {
    http.dispose();
    await rm(work, { recursive: true, force: true });
  }
}
