// What to build and push, worked out from the inputs before docker runs: refs, build args, labels.
import { InputError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { expandTemplate } from '@forge-actions/action-kit/template';
import { dockerTags, normalizeVersion } from '@forge-actions/version';
import { checkTag } from './reference.js';

type LatestMode = 'auto' | 'true' | 'false';

export interface PlanInput {
  registry: string;
  image: string;
  /** As given or found (`v1.2.0`): it tags the image as it is and clean (`1.2.0`), which fills APP_VERSION. */
  version: string;
  /** More tags, templates of {tag}, {version}, {major}, {minor} and {sha}. */
  extraTags: string[];
  latest: LatestMode;
  /** Floating tags for stable releases: `1` (major) and `1.2` (minor). */
  floating: { major: boolean; minor: boolean };
  /** Also tag `sha-<7 hex>` (the commit, `revision`). */
  shaTag: boolean;
  buildArgs: Array<[string, string]>;
  labels: Array<[string, string]>;
  /** Commit (the OCI label, `{sha}`) and repository URL (the OCI label); left out when unknown. */
  revision?: string;
  source?: string;
  /** RFC 3339 creation time. */
  created: string;
}

export interface ImagePlan {
  /** registry/owner/name */
  repository: string;
  /** Full references, the version tags first. */
  refs: string[];
  tags: string[];
  version: string;
  prerelease: boolean;
  buildArgs: Array<[string, string]>;
  labels: Array<[string, string]>;
}

// Pre-release words of the seed's tag table, besides semver and PEP 440 pre-release parts.
const PRERELEASE = /(alpha|beta|rc)/i;

// What docker would misparse in a `--label`/`--build-arg` key, or what is clearly no key: white space,
// `=`, control and invisible format characters. Docker's naming advice (lower-case, dots) stays advice.
const BAD_KEY = /[\s=\p{Cc}\p{Cf}]/u;

function checkKeys(input: string, pairs: Array<[string, string]>): Array<[string, string]> {
  for (const [key] of pairs) {
    if (key === '' || BAD_KEY.test(key)) {
      throw new InputError(
        input,
        `has the key '${printable(key)}', which docker cannot take: keys are not empty and hold no white space, '=' or control characters`,
      );
    }
  }
  return pairs;
}

/** A version in Docker's tag alphabet (`+` and anything else it refuses become `-`), checked. */
function versionTag(input: string, version: string): string {
  const [tag] = dockerTags(version, false);
  if (!tag) throw new InputError(input, `'${version}' gives no Docker tag`);
  return checkTag(input, tag);
}

/**
 * The tags, as the seed pushes them: the tag as pushed (`v1.2.0`) and the clean version (`1.2.0`), then
 * the floating `1` and `1.2` and `latest` for stable releases only (a pre-release never moves a tag
 * that users follow), the commit's `sha-…`, and the `tags` input's own.
 */
export function planImage(input: PlanInput): ImagePlan {
  const normalized = normalizeVersion(input.version, { prereleasePattern: PRERELEASE });
  if (normalized.kind === 'invalid') {
    throw new InputError('version', `'${input.version}' is not a version`);
  }
  const stable = normalized.kind === 'version' && !normalized.prerelease;
  const latest = input.latest === 'true' || (input.latest === 'auto' && stable);
  const [major = '', minor = ''] = normalized.kind === 'version' ? normalized.semver.split('.') : [];
  const sha = (input.revision ?? '').slice(0, 7);
  const values = { tag: normalized.raw, version: normalized.clean, major, minor, sha };
  const extra = input.extraTags.map((tag) => checkTag('tags', expandTemplate('tags', tag, values)));
  if (input.shaTag && !sha)
    throw new InputError('tag-sha', 'is true but the run names no commit (GITHUB_SHA)');
  const tags = unique([
    versionTag('version', normalized.raw),
    versionTag('version', normalized.clean),
    ...(stable && input.floating.major ? [major] : []),
    ...(stable && input.floating.minor ? [`${major}.${minor}`] : []),
    ...(input.shaTag ? [`sha-${sha}`] : []),
    ...extra,
    ...(latest ? ['latest'] : []),
  ]);
  const repository = `${input.registry}/${input.image}`;

  // Ours are defaults: a line the user gives for the same key wins.
  const buildArgs = merge([['APP_VERSION', normalized.clean]], checkKeys('build-args', input.buildArgs));
  const labels = merge(
    [
      ['org.opencontainers.image.version', normalized.clean],
      ['org.opencontainers.image.created', input.created],
      ...(input.revision ? [['org.opencontainers.image.revision', input.revision] as [string, string]] : []),
      ...(input.source ? [['org.opencontainers.image.source', input.source] as [string, string]] : []),
    ],
    checkKeys('labels', input.labels),
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

/**
 * The repository's web URL for the `org.opencontainers.image.source` label, stored in the image: without
 * any user:password, query or fragment of the server URL. Undefined when either part is unknown.
 */
export function sourceOfRun(
  serverUrl: string | undefined,
  repository: string | undefined,
): string | undefined {
  if (!serverUrl || !repository) return undefined;
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return undefined;
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return `${url.href.replace(/\/+$/, '')}/${repository}`;
}

/** The creation time: SOURCE_DATE_EPOCH when set (reproducible builds), else now; whole seconds. */
export function creationTime(env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  const date = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : now;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
