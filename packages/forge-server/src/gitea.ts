// Gitea's release, attachment and package-link API (v1.25.4 behaviour; uploads and package routes per
// version), under /api/v1.
import { drain, optionalBoolean, optionalString, readJson } from './body.js';
import type { RequestContext } from './context.js';
import { Conversion } from './conversion.js';
import { assetInRelease, latestRelease, releaseFromParams, removeAsset, removeRelease } from './lookup.js';
import { isValidTagName } from './names.js';
import { paginate } from './pagination.js';
import {
  giteaAttachment,
  giteaAttachments,
  giteaPackage,
  giteaRelease,
  giteaRepository,
  ownerOf,
} from './represent.js';
import { REPO, type Route, sharedReleaseRoutes } from './router.js';
import { type NewRelease, newUuid, type Release } from './store.js';
import type { WebhookDelivery } from './types.js';
import { isMultipart, receiveMultipart, receiveRaw, type Upload } from './uploads.js';

const PACKAGE = '/packages/{owner}/{type}/{name}';
const NOT_FOUND = "The target couldn't be found.";

/** Gitea finds releases by tag case-insensitively. */
function byTag(ctx: RequestContext, tag: string): Release | undefined {
  const wanted = tag.toLowerCase();
  return ctx.core.store.listReleases(ctx.repo).find((r) => r.tag.toLowerCase() === wanted);
}

/** Whether Gitea `version` is `minimum` (`major.minor`) or later. */
export function giteaAtLeast(version: string, minimum: string): boolean {
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  const [wantMajor, wantMinor] = minimum.split('.').map((part) => Number.parseInt(part, 10));
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

/** Raw upload bodies are accepted since Gitea 1.22; before, multipart only. */
function acceptsRawUploads(version: string): boolean {
  return giteaAtLeast(version, '1.22');
}

function flag(value: string | null): boolean | undefined {
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

async function listReleases(ctx: RequestContext): Promise<void> {
  const draft = flag(ctx.query.get('draft'));
  const prerelease = flag(ctx.query.get('pre-release'));
  const releases = ctx.core.store
    .listReleases(ctx.repo)
    .filter(
      (r) =>
        (draft === undefined || r.draft === draft) &&
        (prerelease === undefined || r.prerelease === prerelease),
    );
  const page = paginate(ctx, releases);
  ctx.json(
    200,
    page.items.map((r) => giteaRelease(ctx.core, r)),
    page.headers,
  );
}

type CreateFields = Omit<NewRelease, 'tag'>;

/** Forgejo's own release field; Gitea ignores it as an unknown JSON field. */
function forgejoFields(
  ctx: RequestContext,
  body: Record<string, unknown>,
): Pick<NewRelease, 'hideArchiveLinks'> {
  const hide = ctx.core.flavour === 'forgejo' ? optionalBoolean(body.hide_archive_links) : undefined;
  return hide === undefined ? {} : { hideArchiveLinks: hide };
}

/** Records the release webhook the forge fires for this change. */
function fireWebhook(ctx: RequestContext, action: WebhookDelivery['action'], release: Release): void {
  ctx.core.webhooks.push({ action, repo: release.repo, releaseId: release.id, tag: release.tag });
}

async function createRelease(ctx: RequestContext): Promise<void> {
  const parsed = await readJson(ctx.body);
  if (!parsed.ok) return ctx.error(422, parsed.reason);
  const body = parsed.value;
  const tag = optionalString(body.tag_name) ?? '';
  if (tag === '') return ctx.error(422, '[TagName]: Required');
  const { conversions, inFlightCreates, store } = ctx.core;
  // Gitea looks at nothing else on a repository without a branch (one holding only tags included).
  if (store.isEmpty(ctx.repo)) return ctx.error(422, 'repo is empty');
  // Gitea validates the tag only deep inside release creation and answers 500.
  if (!isValidTagName(tag)) return ctx.error(500, `CreateRelease: release tag name "${tag}" is not valid`);
  const fields: CreateFields = {
    name: optionalString(body.name) ?? '',
    body: optionalString(body.body) ?? '',
    targetCommitish: optionalString(body.target_commitish) ?? '',
    draft: optionalBoolean(body.draft) ?? false,
    prerelease: optionalBoolean(body.prerelease) ?? false,
    ...forgejoFields(ctx, body),
  };
  const key = `${ctx.repo} ${tag.toLowerCase()}`;
  const joined = conversions.get(key);
  if (joined) return convertPushedTag(ctx, key, joined, tag, fields);
  // The message is Gitea's own (wrong) text: clients must match the status, not the words.
  if (byTag(ctx, tag)) return ctx.error(409, 'Release is has no Tag');
  // A concurrent create for the same new tag loses on the database's unique index: 500.
  if (inFlightCreates.has(key)) {
    ctx.core.epochDated?.add(key);
    return ctx.error(500, 'CreateRelease: UNIQUE constraint failed: release.repo_id, release.tag_name');
  }
  // Gitea finds a pushed tag's row case-insensitively, like a release.
  const pushed = store.listTags(ctx.repo).find((t) => t.toLowerCase() === tag.toLowerCase());
  if (pushed !== undefined) return convertPushedTag(ctx, key, undefined, pushed, fields);
  const target = fields.targetCommitish || store.defaultBranch;
  // Only publishing creates the git tag, and only then does Gitea look the target up.
  if (!fields.draft && !store.resolves(ctx.repo, target))
    return ctx.error(404, `target "${target}" not found`);
  inFlightCreates.add(key);
  try {
    await ctx.checkpoint();
    const release = store.createRelease(ctx.repo, { ...fields, tag, targetCommitish: target });
    if (ctx.core.epochDated?.delete(key)) store.dateAtEpoch(release);
    if (!release.draft) fireWebhook(ctx, 'published', release);
    ctx.json(201, giteaRelease(ctx.core, release));
  } finally {
    inFlightCreates.delete(key);
  }
}

/**
 * A create for a tag already in git (see conversion.ts): the first converts the tag (its target is
 * ignored, and stored as sent); one that arrives before the last of them answered waits for that
 * conversion's commit, then writes its own fields over the release, and answers 201 with it too.
 */
async function convertPushedTag(
  ctx: RequestContext,
  key: string,
  joined: Conversion | undefined,
  tag: string,
  fields: CreateFields,
): Promise<void> {
  const { conversions, store } = ctx.core;
  const conversion = joined ?? new Conversion();
  conversions.set(key, conversion);
  conversion.pending++;
  try {
    await ctx.checkpoint();
    let release: Release;
    if (joined) {
      release = await joined.committed;
      store.updateRelease(release, fields);
      // Each extra create announces the release again.
      if (!release.draft) fireWebhook(ctx, ctx.core.flavour === 'forgejo' ? 'published' : 'updated', release);
    } else {
      release = store.createRelease(ctx.repo, { ...fields, tag });
      conversion.commit(release);
      if (!release.draft) fireWebhook(ctx, 'published', release);
    }
    ctx.json(201, giteaRelease(ctx.core, release));
  } finally {
    conversion.pending--;
    if (conversion.pending === 0) conversions.delete(key);
  }
}

async function getLatestRelease(ctx: RequestContext): Promise<void> {
  const release = latestRelease(ctx.core, ctx.repo);
  if (!release) return ctx.error(404, NOT_FOUND);
  ctx.json(200, giteaRelease(ctx.core, release));
}

async function releaseByTag(ctx: RequestContext): Promise<void> {
  // Drafts too (for users with write access), unlike GitHub.
  const release = byTag(ctx, ctx.params.tag);
  if (!release) return ctx.error(404, NOT_FOUND);
  ctx.json(200, giteaRelease(ctx.core, release));
}

async function deleteReleaseByTag(ctx: RequestContext): Promise<void> {
  const release = byTag(ctx, ctx.params.tag);
  if (!release) return ctx.error(404, NOT_FOUND);
  await removeRelease(ctx, release);
  ctx.empty(204);
}

async function getRelease(ctx: RequestContext): Promise<void> {
  const release = releaseFromParams(ctx, 'id');
  if (!release) return ctx.error(404, NOT_FOUND);
  ctx.json(200, giteaRelease(ctx.core, release));
}

async function editRelease(ctx: RequestContext): Promise<void> {
  const parsed = await readJson(ctx.body);
  if (!parsed.ok) return ctx.error(422, parsed.reason);
  const release = releaseFromParams(ctx, 'id');
  if (!release) return ctx.error(404, NOT_FOUND);
  const body = parsed.value;
  // Gitea ignores empty strings: a body or name cannot be cleared through the API.
  const text = (key: string) => optionalString(body[key]) || undefined;
  const tag = text('tag_name');
  if (tag !== undefined && tag.toLowerCase() !== release.tag.toLowerCase()) {
    if (!isValidTagName(tag)) return ctx.error(500, `UpdateRelease: release tag name "${tag}" is not valid`);
    if (byTag(ctx, tag)) return ctx.error(409, 'Release is has no Tag');
  }
  const { store } = ctx.core;
  const target = text('target_commitish') ?? release.targetCommitish;
  const draft = optionalBoolean(body.draft);
  // A published release whose tag is not in git gets it now, from the target; an unknown target fails
  // inside Gitea's UpdateRelease, which the API answers with a 500.
  const createsTag = !(draft ?? release.draft) && !store.hasTag(ctx.repo, tag ?? release.tag);
  if (createsTag && !store.resolves(ctx.repo, target)) {
    return ctx.error(500, `UpdateRelease: createTag::GetCommit[${target}]: object does not exist`);
  }
  const wasDraft = release.draft;
  store.updateRelease(release, {
    tag,
    targetCommitish: text('target_commitish'),
    name: text('name'),
    body: text('body'),
    draft,
    prerelease: optionalBoolean(body.prerelease),
    ...forgejoFields(ctx, body),
  });
  if (!release.draft) fireWebhook(ctx, wasDraft ? 'published' : 'updated', release);
  ctx.json(200, giteaRelease(ctx.core, release));
}

async function deleteRelease(ctx: RequestContext): Promise<void> {
  const release = releaseFromParams(ctx, 'id');
  if (!release) return ctx.error(404, NOT_FOUND);
  await removeRelease(ctx, release);
  ctx.empty(204);
}

async function listAssets(ctx: RequestContext): Promise<void> {
  const release = releaseFromParams(ctx, 'id');
  if (!release) return ctx.error(404, NOT_FOUND);
  // Not paginated: every attachment.
  ctx.json(200, giteaAttachments(ctx.core, release));
}

async function uploadAsset(ctx: RequestContext): Promise<void> {
  const refuse = async (status: number, message: string) => {
    await drain(ctx.body);
    ctx.error(status, message);
  };
  const release = releaseFromParams(ctx, 'id');
  if (!release) return refuse(404, NOT_FOUND);
  const multipart = isMultipart(ctx);
  // Before 1.22 the handler always reads form field `attachment`: any other body is a 500.
  if (!multipart && !acceptsRawUploads(ctx.core.giteaVersion)) {
    return refuse(500, "GetFile: request Content-Type isn't multipart/form-data");
  }
  let name = ctx.query.get('name') ?? '';
  if (!multipart && name === '') return refuse(400, 'Could not determine name of attachment.');

  const upload: Upload = multipart ? await receiveMultipart(ctx, 'attachment') : await receiveRaw(ctx);
  if (upload.kind === 'failed') return ctx.error(500, `GetFile: ${upload.reason}`);
  if (upload.kind === 'no-file') return ctx.error(500, 'GetFile: http: no such file');
  if (upload.kind === 'too-large') return ctx.error(413, 'attachment is too big');
  const { received } = upload;
  name ||= upload.filename ?? '';
  const { storage, store } = ctx.core;
  if (name === '') {
    await storage.discard(received);
    return ctx.error(400, 'Could not determine name of attachment.');
  }
  await ctx.checkpoint();
  if (!store.getRelease(ctx.repo, release.id)) {
    await storage.discard(received);
    return ctx.error(404, NOT_FOUND);
  }
  const uuid = newUuid();
  const file = await storage.commit(received, uuid);
  // Duplicate names are appended silently.
  const asset = store.addAsset(release, {
    name,
    label: null,
    size: received.size,
    sha256: received.sha256,
    state: 'uploaded',
    contentType: multipart
      ? 'application/octet-stream'
      : ctx.req.headers['content-type'] || 'application/octet-stream',
    uuid,
    file,
  });
  ctx.json(201, giteaAttachment(ctx.core, release, asset));
}

function assetRoute(
  handler: (ctx: RequestContext, release: Release, asset: Release['assets'][number]) => Promise<void>,
) {
  return async (ctx: RequestContext) => {
    const release = releaseFromParams(ctx, 'id');
    const asset = release && assetInRelease(release, ctx.params.attachment_id);
    if (!release || !asset) {
      await drain(ctx.body);
      return ctx.error(404, NOT_FOUND);
    }
    await handler(ctx, release, asset);
  };
}

const getAsset = assetRoute(async (ctx, release, asset) =>
  ctx.json(200, giteaAttachment(ctx.core, release, asset)),
);

const editAsset = assetRoute(async (ctx, release, asset) => {
  const parsed = await readJson(ctx.body);
  if (!parsed.ok) return ctx.error(422, parsed.reason);
  const name = optionalString(parsed.value.name);
  if (name) ctx.core.store.renameAsset(release, asset, name);
  ctx.json(201, giteaAttachment(ctx.core, release, asset));
});

const deleteAsset = assetRoute(async (ctx, release, asset) => {
  await removeAsset(ctx, release, asset);
  ctx.empty(204);
});

function packageFromParams(ctx: RequestContext) {
  return ctx.core.store.findPackage(ctx.params.owner, ctx.params.type, ctx.params.name);
}

async function latestPackageVersion(ctx: RequestContext): Promise<void> {
  const pkg = packageFromParams(ctx);
  if (!pkg) return ctx.error(404, NOT_FOUND);
  ctx.json(200, giteaPackage(ctx.core, pkg));
}

/** The route names the repository under the package's owner: no other owner's repository can be linked. */
async function linkPackage(ctx: RequestContext): Promise<void> {
  const { store } = ctx.core;
  const pkg = packageFromParams(ctx);
  if (!pkg) return ctx.error(404, 'package does not exist');
  const repo = store.canonicalRepo(pkg.owner, ctx.params.repo_name);
  if (!repo) {
    const uid = ownerOf(ctx.core, pkg.owner).id;
    return ctx.error(
      404,
      `repository does not exist [id: 0, uid: ${uid}, owner_name: , name: ${ctx.params.repo_name}]`,
    );
  }
  // Gitea refuses any link while one exists, to the same repository too (unlink first): 400, a status
  // the spec does not list.
  if (pkg.repo !== undefined) return ctx.error(400, 'invalid argument');
  store.linkPackage(pkg, repo);
  ctx.empty(201);
}

export const giteaRoutes: Route[] = [
  {
    method: 'GET',
    base: 'api',
    template: '/version',
    access: 'public',
    handle: async (ctx) => ctx.json(200, { version: ctx.core.version }),
  },
  ...sharedReleaseRoutes({
    repository: async (ctx) => ctx.json(200, giteaRepository(ctx.core, ctx.repo)),
    listReleases,
    createRelease,
    getLatestRelease,
    releaseByTag,
  }),
  {
    method: 'DELETE',
    base: 'api',
    template: `${REPO}/releases/tags/{tag}`,
    access: 'write',
    handle: deleteReleaseByTag,
  },
  { method: 'GET', base: 'api', template: `${REPO}/releases/{id}`, access: 'read', handle: getRelease },
  { method: 'PATCH', base: 'api', template: `${REPO}/releases/{id}`, access: 'write', handle: editRelease },
  {
    method: 'DELETE',
    base: 'api',
    template: `${REPO}/releases/{id}`,
    access: 'write',
    handle: deleteRelease,
  },
  {
    method: 'GET',
    base: 'api',
    template: `${REPO}/releases/{id}/assets`,
    access: 'read',
    handle: listAssets,
  },
  {
    method: 'POST',
    base: 'api',
    template: `${REPO}/releases/{id}/assets`,
    access: 'write',
    ownCheckpoint: true,
    handle: uploadAsset,
  },
  {
    method: 'GET',
    base: 'api',
    template: `${REPO}/releases/{id}/assets/{attachment_id}`,
    access: 'read',
    handle: getAsset,
  },
  {
    method: 'PATCH',
    base: 'api',
    template: `${REPO}/releases/{id}/assets/{attachment_id}`,
    access: 'write',
    handle: editAsset,
  },
  {
    method: 'DELETE',
    base: 'api',
    template: `${REPO}/releases/{id}/assets/{attachment_id}`,
    access: 'write',
    handle: deleteAsset,
  },
  {
    method: 'GET',
    base: 'api',
    template: `${PACKAGE}/-/latest`,
    access: 'read',
    scope: 'package',
    since: '1.24',
    handle: latestPackageVersion,
  },
  {
    method: 'POST',
    base: 'api',
    template: `${PACKAGE}/-/link/{repo_name}`,
    access: 'write',
    scope: 'package',
    since: '1.24',
    handle: linkPackage,
  },
];
