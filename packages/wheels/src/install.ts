import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { type ExtractOptions, extractZip } from '@forge-actions/archive/extract';

export interface InstallResult {
  /** Files written into site-packages. */
  files: number;
  /** `.data` folders left out, as `wheel: .data/scripts`. */
  skipped: string[];
}

/** The parts of `NAME-VER.data/` a wheel installer puts into site-packages (the wheel spec's purelib and platlib). */
const INTO_SITE_PACKAGES = new Set(['purelib', 'platlib']);

interface Move {
  from: string;
  /** Relative to site-packages, `/`-separated. */
  to: string;
}

/** Every file and folder below `dir` (folders first, so they can be made in order). */
async function walk(dir: string, rel: string, dirs: string[], files: Move[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const from = join(dir, entry.name);
    const to = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      dirs.push(to);
      await walk(from, to, dirs, files);
    } else {
      files.push({ from, to });
    }
  }
}

/**
 * Installs wheels by unpacking them, as the wheel spec describes for a target folder: the root and
 * `.data/purelib` / `.data/platlib` go into site-packages, `.dist-info` stays with them. `.data/scripts`,
 * `headers` and `data` belong outside site-packages (Scripts\, include\, the prefix) and are left out,
 * each named in the log. Every wheel is extracted with the safe extractor first (no entry outside its
 * folder, no links, nothing written when one is unsafe), into a staging folder beside site-packages;
 * only when all are unpacked are files moved in, so a rejected wheel leaves site-packages as it was.
 */
export async function installWheels(
  wheels: string[],
  sitePackages: string,
  logger: Logger,
  limits: ExtractOptions = {},
): Promise<InstallResult> {
  await mkdir(sitePackages, { recursive: true });
  const staging = await mkdtemp(join(dirname(sitePackages), `.${basename(sitePackages)}-staging-`));
  try {
    const plans: Array<{ wheel: string; dirs: string[]; files: Move[] }> = [];
    const skipped: string[] = [];
    for (const [i, wheel] of wheels.entries()) {
      const root = join(staging, String(i));
      await extractZip(wheel, root, limits);
      const dirs: string[] = [];
      const files: Move[] = [];
      for (const entry of await readdir(root, { withFileTypes: true })) {
        const from = join(root, entry.name);
        if (!(entry.isDirectory() && entry.name.endsWith('.data'))) {
          if (entry.isDirectory()) {
            dirs.push(entry.name);
            await walk(from, entry.name, dirs, files);
          } else {
            files.push({ from, to: entry.name });
          }
          continue;
        }
        for (const part of await readdir(from, { withFileTypes: true })) {
          if (part.isDirectory() && INTO_SITE_PACKAGES.has(part.name))
            await walk(join(from, part.name), '', dirs, files);
          else skipped.push(`${basename(wheel)}: ${entry.name}/${part.name}`);
        }
      }
      plans.push({ wheel: basename(wheel), dirs, files });
    }

    const owner = new Map<string, string>();
    for (const plan of plans) {
      for (const file of plan.files) {
        const other = owner.get(file.to);
        if (other)
          logger.warning(
            `${other} and ${plan.wheel} both install ${file.to}; the copy of ${plan.wheel} is kept`,
          );
        owner.set(file.to, plan.wheel);
      }
    }
    for (const item of skipped) logger.info(`Left out ${item} (installers put it outside site-packages)`);

    let count = 0;
    for (const plan of plans) {
      for (const dir of plan.dirs) await mkdir(join(sitePackages, ...dir.split('/')), { recursive: true });
      for (const file of plan.files) {
        const to = join(sitePackages, ...file.to.split('/'));
        try {
          // Same file system (staging sits beside site-packages): a rename, replacing an older copy.
          await rename(file.from, to);
        } catch (error) {
          throw new ActionError(`Installing ${plan.wheel}: cannot write ${to}: ${(error as Error).message}`);
        }
        count++;
      }
      logger.info(`Installed ${plan.wheel} (${plan.files.length} files)`);
    }
    return { files: count, skipped };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
