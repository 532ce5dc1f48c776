// Which builder builds the image, and its command line. Plain `docker build` is the seed's way and works
// on every runner; buildx adds platforms, build caches and secrets, but often does not work on Gitea
// runners (seed section 9), so `auto` uses it only when `docker buildx version` answers.
import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ActionError, InputError } from '@forge-actions/action-kit/errors';
import { isReallyInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';
import type { ImagePlan } from './plan.js';

export type BuilderChoice = 'auto' | 'docker' | 'buildx';
export type Builder = 'docker' | 'buildx';

/** What only buildx can do; each entry is an input of the action. */
export interface BuildxInputs {
  platforms: string[];
  cacheFrom: string[];
  cacheTo: string[];
  /** Build secrets `id` → value: handed over as files, never on the command line or in logs. */
  secrets: Array<[string, string]>;
  /** Attestations; off by default because Gitea's registry lists them as `unknown/unknown` images. */
  provenance: boolean;
  sbom: boolean;
}

export interface BuildInputs {
  context: string;
  dockerfile: string;
  target: string;
  buildx: BuildxInputs;
}

/** The buildx-only inputs that are set, by input name. */
function buildxOnlyInputs(buildx: BuildxInputs): string[] {
  const set: Array<[string, boolean]> = [
    ['platforms', buildx.platforms.length > 0],
    ['cache-from', buildx.cacheFrom.length > 0],
    ['cache-to', buildx.cacheTo.length > 0],
    ['secrets', buildx.secrets.length > 0],
    ['provenance', buildx.provenance],
    ['sbom', buildx.sbom],
  ];
  return set.filter(([, on]) => on).map(([name]) => name);
}

/** `builder: docker` with buildx-only inputs is a contradiction in the inputs: one line naming both. */
export function checkBuilderInputs(choice: BuilderChoice, buildx: BuildxInputs): void {
  const needs = buildxOnlyInputs(buildx);
  if (choice === 'docker' && needs.length > 0) {
    throw new InputError(needs[0], `needs buildx, but 'builder' is docker (use buildx or auto)`);
  }
}

/** The builder that runs: buildx when asked for or (auto) available, else docker. */
export function chooseBuilder(
  choice: BuilderChoice,
  buildxAvailable: boolean,
  buildx: BuildxInputs,
): Builder {
  if (choice === 'docker') return 'docker';
  if (buildxAvailable) return 'buildx';
  const needs = buildxOnlyInputs(buildx);
  if (choice === 'buildx' || needs.length > 0) {
    const why = choice === 'buildx' ? "'builder' is buildx" : `${needs.join(', ')} need buildx`;
    throw new ActionError(
      `${why}, but \`docker buildx version\` fails on this runner: install buildx (the docker-buildx plugin) or use builder: docker without buildx-only inputs.`,
    );
  }
  return 'docker';
}

// Dockerfile stage names (moby/buildkit's instructions parser, case-insensitive).
const STAGE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
// A buildx secret id: a file name in the secrets folder and a field of `--secret id=…,src=…`.
const SECRET_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Checks the build inputs before docker runs and returns them with the context and the Dockerfile as
 * absolute paths: both must lie inside the workspace once symlinks are resolved (relative ones are taken
 * from `cwd`, as docker would), the context a folder and the Dockerfile a file. So no value can reach
 * docker as an option (`--file=/etc/passwd`), as stdin (`-`) or as a remote context (a URL).
 */
export function checkBuildInputs(build: BuildInputs, workspace: string, cwd = process.cwd()): BuildInputs {
  const context = insidePath('context', build.context || '.', 'folder', workspace, cwd);
  const dockerfile = build.dockerfile
    ? insidePath('dockerfile', build.dockerfile, 'file', workspace, cwd)
    : '';
  if (build.target && !STAGE.test(build.target)) {
    throw new InputError(
      'target',
      `must be a Dockerfile stage name (letters, digits, '_', '.', '-'; got '${printable(build.target)}')`,
    );
  }
  for (const [id] of build.buildx.secrets) {
    if (!SECRET_ID.test(id)) {
      throw new InputError(
        'secrets',
        `has the id '${printable(id)}': ids are letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
      );
    }
  }
  return { ...build, context, dockerfile };
}

function insidePath(
  input: string,
  value: string,
  kind: 'folder' | 'file',
  workspace: string,
  cwd: string,
): string {
  const path = resolve(cwd, value);
  if (!isReallyInside(workspace, path)) {
    throw new InputError(
      input,
      `must be a ${kind} inside the workspace; '${printable(value)}' is outside it`,
    );
  }
  let found: 'folder' | 'file' | undefined;
  try {
    const stat = statSync(path);
    found = stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : undefined;
  } catch {
    found = undefined;
  }
  if (found !== kind) {
    throw new InputError(
      input,
      `must be a ${kind} inside the workspace; '${printable(value)}' is not a ${kind}`,
    );
  }
  return path;
}

/** A path docker cannot read as anything else: `-`, `--x` or `https:…` become `./-`, `./--x`, `./https:…`. */
function pathArg(path: string): string {
  if (isAbsolute(path) || path === '.' || path === '..' || /^\.\.?\//.test(path)) return path;
  return `./${path}`;
}

function common(plan: ImagePlan, build: BuildInputs): string[] {
  const args: string[] = [];
  if (build.dockerfile) args.push(`--file=${pathArg(build.dockerfile)}`);
  if (build.target) args.push('--target', build.target);
  for (const [key, value] of plan.buildArgs) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of plan.labels) args.push('--label', `${key}=${value}`);
  for (const ref of plan.refs) args.push('--tag', ref);
  return args;
}

/** `docker build`: tags every ref; pushing is a separate `docker push` per ref. */
export function dockerBuildArgs(plan: ImagePlan, build: BuildInputs): string[] {
  // `--` ends the options: the context is read as the path it is, whatever its name.
  return ['build', ...common(plan, build), '--', pathArg(build.context)];
}

/**
 * `docker buildx build`: pushes itself (`--push`) or loads the image (`--load`), and writes the digest
 * to `metadataFile`. Secrets are files in `secretDir`, named by their id.
 */
export function buildxBuildArgs(
  plan: ImagePlan,
  build: BuildInputs,
  push: boolean,
  metadataFile: string,
  secretDir: string,
): string[] {
  const { buildx } = build;
  const args = ['buildx', 'build', ...common(plan, build), push ? '--push' : '--load'];
  if (buildx.platforms.length > 0) args.push('--platform', buildx.platforms.join(','));
  for (const from of buildx.cacheFrom) args.push('--cache-from', from);
  for (const to of buildx.cacheTo) args.push('--cache-to', to);
  for (const [id] of buildx.secrets) args.push('--secret', `id=${id},src=${join(secretDir, id)}`);
  args.push(`--provenance=${buildx.provenance}`, `--sbom=${buildx.sbom}`, '--metadata-file', metadataFile);
  args.push('--', pathArg(build.context));
  return args;
}
