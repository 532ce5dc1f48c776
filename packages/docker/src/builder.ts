// Which builder builds the image, and its command line. Plain `docker build` is the seed's way and works
// on every runner; buildx adds platforms, build caches and secrets, but often does not work on Gitea
// runners (seed section 9), so `auto` uses it only when `docker buildx version` answers.
import { join } from 'node:path';
import { ActionError, InputError } from '@forge-actions/action-kit/errors';
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
export function buildxOnlyInputs(buildx: BuildxInputs): string[] {
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

function common(plan: ImagePlan, build: BuildInputs): string[] {
  const args: string[] = [];
  if (build.dockerfile) args.push('--file', build.dockerfile);
  if (build.target) args.push('--target', build.target);
  for (const [key, value] of plan.buildArgs) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of plan.labels) args.push('--label', `${key}=${value}`);
  for (const ref of plan.refs) args.push('--tag', ref);
  return args;
}

/** `docker build`: tags every ref; pushing is a separate `docker push` per ref. */
export function dockerBuildArgs(plan: ImagePlan, build: BuildInputs): string[] {
  return ['build', ...common(plan, build), build.context];
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
  args.push(build.context);
  return args;
}
