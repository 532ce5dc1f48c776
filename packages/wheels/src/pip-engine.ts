import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';
import { type CommandResult, reasonOf, run } from './command.js';
import { indexEnv } from './indexes.js';
import { parseSdistName, parseWheelName } from './names.js';
import type { Python } from './python.js';
import { markerEnvironment } from './target.js';
import type { EngineOptions, Fetched, Sources } from './types.js';

/**
 * Runs pip in this process with environment markers evaluated for the target. `pip download --platform`
 * evaluates them for the machine it runs on (pypa/pip#11664) and would fetch a `sys_platform == "linux"`
 * dependency for Windows; pip evaluates every marker through its vendored
 * `packaging.markers.default_environment()`, so that function returns the target's values here.
 * With the sdist fallback, pip's refusal to mix `--platform` with sdists is lifted too: pip then keeps
 * preferring wheels (--prefer-binary) and hands back an sdist only where no wheel fits, which the
 * action builds and accepts only as a pure-Python wheel.
 */
const PIP_HELPER = `import json
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        config = json.load(f)
    from pip._vendor.packaging import markers

    target = dict(markers.default_environment())
    target.update(config["markers"])
    markers.default_environment = lambda: dict(target)
    if config["allow_sdist"]:
        from pip._internal.cli import cmdoptions

        cmdoptions.check_dist_restriction = lambda options, check_target=False: None
    from pip._internal.cli.main import main as pip_main

    return pip_main(config["args"])


if __name__ == "__main__":
    sys.exit(main())
`;

/** Downloads wheels (and, with the fallback, sdists) for the target into `dest` with the runner's pip. */
export async function downloadWithPip(
  python: Python,
  sources: Sources,
  dest: string,
  options: EngineOptions,
): Promise<Fetched[]> {
  const { target, logger, secrets } = options;
  const helper = join(options.tempDir, 'pip_for_target.py');
  const config = join(options.tempDir, 'pip_for_target.json');
  const args = [
    'download',
    '--dest',
    dest,
    '--platform',
    target.platform,
    '--python-version',
    target.versionArg,
    '--implementation',
    target.implementation,
    ...(options.allowSdist ? ['--prefer-binary'] : ['--only-binary', ':all:']),
    ...sources.requirementFiles.flatMap((file) => ['--requirement', file]),
    ...(sources.constraintFile ? ['--constraint', sources.constraintFile] : []),
    '--disable-pip-version-check',
    '--no-input',
    '--progress-bar',
    'off',
  ];
  await writeFile(helper, PIP_HELPER);
  await writeFile(
    config,
    JSON.stringify({ markers: markerEnvironment(target), allow_sdist: options.allowSdist, args }, null, 2),
  );
  logger.info(`pip ${args.join(' ')} (markers: ${JSON.stringify(markerEnvironment(target))})`);
  const result = await run(python.executable, [helper, config], {
    logger,
    secrets,
    env: indexEnv(options.indexes, 'pip'),
  });
  if (result.code !== 0) {
    throw new ActionError(
      `Downloading the requirements for ${target.label} with pip failed: ${reasonOf(result)}`,
    );
  }
  const fetched: Fetched[] = [];
  for (const file of (await readdir(dest)).sort()) {
    const wheel = parseWheelName(file);
    const sdist = wheel ? undefined : parseSdistName(file);
    const named = wheel ?? sdist;
    if (!named) {
      logger.warning(`pip downloaded ${file}, which is neither a wheel nor an sdist: ignored`);
      continue;
    }
    fetched.push({
      name: named.name,
      version: named.version,
      kind: wheel ? 'wheel' : 'sdist',
      path: join(dest, file),
    });
  }
  return fetched;
}

/** Builds a wheel from an sdist on the runner with `pip wheel --no-deps`; the caller checks that it is pure Python. */
export function buildWithPip(
  python: Python,
  sdist: string,
  outDir: string,
  options: EngineOptions,
): Promise<CommandResult> {
  return run(
    python.executable,
    [
      '-m',
      'pip',
      'wheel',
      '--no-deps',
      '--wheel-dir',
      outDir,
      '--disable-pip-version-check',
      '--no-input',
      '--progress-bar',
      'off',
      sdist,
    ],
    { logger: options.logger, secrets: options.secrets, env: indexEnv(options.indexes, 'pip') },
  );
}
