// What to build and push, worked out from the inputs before docker runs: refs, build args, labels.
import { InputError } from '@forge-actions/action-kit/errors';
import { dockerTags, normalizeVersion } from '@forge-actions/version';
import { checkTag } from './reference.js';

export type LatestMode = 'auto' | 'true' | 'false';

export interface PlanInput {
  registry: string;
  image: string;
  /** As given or found (`v1.2.0`); the clean form tags the image and fills APP_VERSION. */
  version: string;
  extraTags: string[];
  latest: LatestMode;
  buildArgs: Array<[string, string]>;
  labels: Array<[string, string]>;
  /** Commit and repository URL for the OCI labels; left out when unknown. */
  revision?: string;
  source?: string;
  /** RFC 3339 creation time. */
  created: string;
}

export interface ImagePlan {
  /** registry/owner/name */
  repository: string;
  /** Full references, the version tag first. */
  refs: string[];
  tags: string[];
  version: string;
  prerelease: boolean;
  buildArgs: Array<[string, string]>;
  labels: Array<[string, string]>;
}

// Pre-release words of the seed's tag table, besides semver and PEP 440 pre-release parts.
const PRERELEASE = /(alpha|beta|rc)/i;

export function planImage(input: PlanInput): ImagePlan {
  const normalized = normalizeVersion(input.version, { prereleasePattern: PRERELEASE });
  if (normalized.kind === 'invalid') {
    throw new InputError('version', `'${input.version}' is not a version`);
  }
  const stable = normalized.kind === 'version' && !normalized.prerelease;
  const latest = input.latest === 'true' || (input.latest === 'auto' && stable);
  const [versionTag] = dockerTags(normalized.clean, false);
  if (!versionTag) throw new InputError('version', `'${input.version}' gives no Docker tag`);
  checkTag('version', versionTag);
  const extra = input.extraTags.map((tag) => checkTag('tags', tag));
  const tags = unique([versionTag, ...extra, ...(latest ? ['latest'] : [])]);
  const repository = `${input.registry}/${input.image}`;

  // Ours are defaults: a line the user gives for the same key wins.
  const buildArgs = merge([['APP_VERSION', normalized.clean]], input.buildArgs);
  const labels = merge(
    [
      ['org.opencontainers.image.version', normalized.clean],
      ['org.opencontainers.image.created', input.created],
      ...(input.revision ? [['org.opencontainers.image.revision', input.revision] as [string, string]] : []),
      ...(input.source ? [['org.opencontainers.image.source', input.source] as [string, string]] : []),
    ],
    input.labels,
  );
  return {
    repository,
    refs: tags.map((tag) => `${repository}:${tag}`),
    tags,
    version: normalized.clean,
    prerelease: !stable,
    buildArgs,
    labels,
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function merge(defaults: Array<[string, string]>, given: Array<[string, string]>): Array<[string, string]> {
  const map = new Map(defaults);
  for (const [key, value] of given) map.set(key, value);
  return [...map.entries()];
}

/** The creation time: SOURCE_DATE_EPOCH when set (reproducible builds), else now; whole seconds. */
export function creationTime(env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  const date = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : now;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
