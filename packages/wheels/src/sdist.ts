import { mkdtemp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { type CommandResult, reasonOf } from './command.js';
import { isPureWheel, parseWheelName, wheelRank } from './names.js';
import type { Target } from './target.js';
import { supportedTags } from './target.js';
import type { Fetched } from './types.js';

/** Builds one wheel from an sdist into a folder (uv build or pip wheel). */
export type Builder = (sdist: string, outDir: string) => Promise<CommandResult>;

/**
 * Turns each sdist into a wheel built on the runner, accepted only when it is pure Python for the
 * target (py3-none-any, py2.py3-none-any ...): a wheel built here for anything else holds Linux code.
 */
export async function buildPureWheels(
  sdists: Fetched[],
  build: Builder,
  target: Target,
  tempDir: string,
  logger: Logger,
): Promise<Fetched[]> {
  const supported = supportedTags(target);
  const built: Fetched[] = [];
  for (const sdist of sdists) {
    const what = `${sdist.name} ${sdist.version} has no wheel for ${target.label}`;
    logger.info(`${what}: building one from its sdist`);
    const out = await mkdtemp(join(tempDir, 'build-'));
    const result = await build(sdist.path, out);
    if (result.code !== 0) {
      throw new ActionError(`${what}, and building one from its sdist failed: ${reasonOf(result)}`);
    }
    const wheels = (await readdir(out)).filter((f) => f.endsWith('.whl'));
    const parsed = wheels.length === 1 ? parseWheelName(wheels[0]) : undefined;
    if (!parsed) {
      throw new ActionError(`${what}, and building its sdist gave ${wheels.length} wheel files, not one`);
    }
    if (!isPureWheel(parsed) || wheelRank(parsed, supported) === undefined) {
      throw new ActionError(
        `${what}, and its sdist builds ${wheels[0]} here, which is not pure Python and cannot run on Windows; ` +
          `constrain ${sdist.name} to a version with a ${target.label} wheel, or build that wheel on Windows`,
      );
    }
    if (parsed.name !== sdist.name) {
      throw new ActionError(
        `The sdist of ${sdist.name} ${sdist.version} built a wheel of another project: ${wheels[0]}`,
      );
    }
    logger.info(`Built ${wheels[0]} from ${sdist.name} ${sdist.version}'s sdist`);
    built.push({ name: parsed.name, version: parsed.version, kind: 'wheel', path: join(out, wheels[0]) });
  }
  return built;
}
