// GitHub's release and asset API (GHES form): REST under /api/v3, uploads under /api/uploads.
import { drain, optionalBoolean, optionalString, readJson } from './body.js';
import type { RequestContext } from './context.js';
import { assetInRepo, latestRelease, releaseFromParams, removeAsset, removeRelease } from './lookup.js';
import { githubAssetName, isValidTagName } from './names.js';
import { paginate } from './pagination.js';
import { githubAsset, githubRelease, githubRepository } from './represent.js';
import { REPO, type Route, sharedReleaseRoutes } from './router.js';
import { type MakeLatest, newUuid, type Release } from './store.js';
import { receiveRaw } from './uploads.js';

const MAX_BODY_CHARS = 125_000;

function notFound(ctx: RequestContext): void {
  ctx.error(404, 'Not Found');
}

/** One entry of a Validation Failed answer's `errors`. */
type FieldError = Record<string, unknown>;

function validationFailed(ctx: RequestContext, error: FieldError): void {
  ctx.error(422, 'Validation Failed', { errors: [error] });
}

/** Published releases hold their tag; drafts do not (several drafts may share one). */
function publishedWithTag(ctx: RequestContext, tag: string, except?: Release): Release | undefined {
  return ctx.core.store.listReleases(ctx.repo).find((r) => !r.draft && r.tag === tag && r !== except);
}

const alreadyExists = { resource: 'Release', code: 'already_exists', field: 'tag_name' };
const invalidTarget = { resource: 'Release', code: 'invalid', field: 'target_commitish' };
const retiredTag = {
  resource: 'Release',
  code: 'custom',
  field: 'tag_name',
  message: 'tag_name was used by an immutable release',
};
const emptyAsset = {
  resource: 'ReleaseAsset',
  code: 'custom',
  field: 'size',
  message: 'size must be greater than or equal to 1',
};

const MAKE_LATEST: readonly unknown[] = ['true', 'false', 'legacy'] satisfies MakeLatest[];

/** `make_latest` as sent: undefined when absent, 'invalid' for anything but the three strings. */
function makeLatestOf(body: Record<string, unknown>): MakeLatest | undefined | 'invalid' {
  const value = body.make_latest;
  if (value === undefined) return undefined;
  return MAKE_LATEST.includes(value) ? (value as MakeLatest) : 'invalid';
}

const invalidMakeLatest = { resource: 'Release', code: 'invalid', field: 'make_latest' };

/**
 * Why a release named `tag` cannot be published with `target`, if it cannot: a tag once used by an
 * immutable release is never free again; a tag not yet in git is created from the target, which must
 * resolve (on an empty repository even the default branch does not).
 */
function publishRefusal(ctx: RequestContext, tag: string, target: string): FieldError | undefined {
  const { store } = ctx.core;
  if (store.isTagRetired(ctx.repo, tag)) return retiredTag;
  if (!store.hasTag(ctx.repo, tag) && !store.resolves(ctx.repo, target)) return invalidTarget;
  return undefined;
}

/** On an immutable release, only name, body and make_latest may change. */
const IMMUTABLE_FIELDS = [
  ['tag_name', 'tag'],
  ['target_commitish', 'targetCommitish'],
  ['draft', 'draft'],
  ['prerelease', 'prerelease'],
] as const;

function immutableChanges(release: Release, body: Record<string, unknown>): FieldError[] {
  return IMMUTABLE_FIELDS.filter(
    ([field, key]) => body[field] !== undefined && body[field] !== release[key],
  ).map(([field]) => ({
    resource: 'Release',
    code: 'custom',
    field,
    message: `Cannot modify ${field} of an immutable release`,
  }));
}

/** GitHub counts characters, not UTF-16 units. */
function bodyTooLong(body: string | undefined): boolean {
  return body !== undefined && body.length > MAX_BODY_CHARS && [...body].length > MAX_BODY_CHARS;
}

const bodyTooLongError = {
  resource: 'Release',
  code: 'custom',
  field: 'body',
  message: `body is too long (maximum is ${MAX_BODY_CHARS} characters)`,
};

async function listReleases(ctx: RequestContext): Promise<void> {
  const page = paginate(ctx, ctx.core.store.listReleases(ctx.repo));
  ctx.json(
    200,
    page.items.map((r) => githubRelease(ctx.core, r)),
    page.headers,
  );
}

async function createRelease(ctx: RequestContext): Promise<void> {
  const parsed = await readJson(ctx.body);
  if (!parsed.ok) return ctx.error(400, 'Problems parsing JSON');
  const body = parsed.value;
  const tag = optionalString(body.tag_name) ?? '';
  if (tag === '')
    return validationFailed(ctx, { resource: 'Release', code: 'missing_field', field: 'tag_name' });
  if (!isValidTagName(tag))
    return validationFailed(ctx, { resource: 'Release', code: 'invalid', field: 'tag_name' });
  const text = optionalString(body.body);
  if (bodyTooLong(text)) return validationFailed(ctx, bodyTooLongError);
  const makeLatest = makeLatestOf(body);
  if (makeLatest === 'invalid') return validationFailed(ctx, invalidMakeLatest);
  const draft = optionalBoolean(body.draft) ?? false;
  const { inFlightCreates, store } = ctx.core;
  const target = optionalString(body.target_commitish) || store.defaultBranch;
  // Checked for drafts too: the draft is published later with this tag and target.
  const refusal = publishRefusal(ctx, tag, target);
  if (refusal) return validationFailed(ctx, refusal);
  const key = `${ctx.repo} ${tag}`;
  const taken = () => !draft && (publishedWithTag(ctx, tag) !== undefined || inFlightCreates.has(key));
  if (taken()) return validationFailed(ctx, alreadyExists);
  if (!draft) inFlightCreates.add(key);
  try {
    await ctx.checkpoint();
    const release = store.createRelease(
      ctx.repo,
      {
        tag,
        name: optionalString(body.name) ?? null,
        body: text ?? null,
        targetCommitish: target,
        draft,
        prerelease: optionalBoolean(body.prerelease) ?? false,
      },
      makeLatest,
    );
    ctx.json(201, githubRelease(ctx.core, release), {
      location: `${ctx.core.apiUrl}/repos/${ctx.repo}/releases/${release.id}`,
    });
  } finally {
    if (!draft) inFlightCreates.delete(key);
  }
}

async function getLatestRelease(ctx: RequestContext): Promise<void> {
  const release = latestRelease(ctx.core, ctx.repo);
  if (!release) return notFound(ctx);
  ctx.json(200, githubRelease(ctx.core, release));
}

async function releaseByTag(ctx: RequestContext): Promise<void> {
  // Published releases only: drafts are found through the list.
  const release = publishedWithTag(ctx, ctx.params.tag);
  if (!release) return notFound(ctx);
  ctx.json(200, githubRelease(ctx.core, release));
}

async function getRelease(ctx: RequestContext): Promise<void> {
  const release = releaseFromParams(ctx, 'release_id');
  if (!release) return notFound(ctx);
  ctx.json(200, githubRelease(ctx.core, release));
}

async function editRelease(ctx: RequestContext): Promise<void> {
  const parsed = await readJson(ctx.body);
  if (!parsed.ok) return ctx.error(400, 'Problems parsing JSON');
  const release = releaseFromParams(ctx, 'release_id');
  if (!release) return notFound(ctx);
  const body = parsed.value;
  const tag = optionalString(body.tag_name) || undefined;
  if (tag !== undefined && !isValidTagName(tag)) {
    return validationFailed(ctx, { resource: 'Release', code: 'invalid', field: 'tag_name' });
  }
  const text = optionalString(body.body);
  if (bodyTooLong(text)) return validationFailed(ctx, bodyTooLongError);
  const makeLatest = makeLatestOf(body);
  if (makeLatest === 'invalid') return validationFailed(ctx, invalidMakeLatest);
  if (release.immutable) {
    const errors = immutableChanges(release, body);
    if (errors.length > 0) return ctx.error(422, 'Validation Failed', { errors });
  }
  const draft = optionalBoolean(body.draft) ?? release.draft;
  const finalTag = tag ?? release.tag;
  const target = optionalString(body.target_commitish) || undefined;
  if (!draft) {
    const inFlight = release.draft && ctx.core.inFlightCreates.has(`${ctx.repo} ${finalTag}`);
    if (publishedWithTag(ctx, finalTag, release) || inFlight) return validationFailed(ctx, alreadyExists);
    const refusal = publishRefusal(ctx, finalTag, target ?? release.targetCommitish);
    if (refusal) return validationFailed(ctx, refusal);
  }
  ctx.core.store.updateRelease(
    release,
    {
      tag,
      targetCommitish: target,
      name: optionalString(body.name),
      body: text,
      draft: optionalBoolean(body.draft),
      prerelease: optionalBoolean(body.prerelease),
    },
    makeLatest,
  );
  ctx.json(200, githubRelease(ctx.core, release));
}

async function deleteRelease(ctx: RequestContext): Promise<void> {
  const release = releaseFromParams(ctx, 'release_id');
  if (!release) return notFound(ctx);
  await removeRelease(ctx, release);
  ctx.empty(204);
}

async function listAssets(ctx: RequestContext): Promise<void> {
  const release = releaseFromParams(ctx, 'release_id');
  if (!release) return notFound(ctx);
  const page = paginate(ctx, release.assets);
  ctx.json(
    200,
    page.items.map((a) => githubAsset(ctx.core, release, a)),
    page.headers,
  );
}

const duplicateName = { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' };
const IMMUTABLE_UPLOAD = 'Cannot upload assets to an immutable release.';
const IMMUTABLE_ASSET = 'Cannot modify an immutable release.';

async function uploadAsset(ctx: RequestContext): Promise<void> {
  const refuse = async (send: () => void) => {
    await drain(ctx.body);
    send();
  };
  const release = releaseFromParams(ctx, 'release_id');
  if (!release) return refuse(() => notFound(ctx));
  if (release.immutable) return refuse(() => ctx.error(422, IMMUTABLE_UPLOAD));
  const requested = ctx.query.get('name') ?? '';
  if (requested === '') {
    return refuse(() =>
      validationFailed(ctx, { resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }),
    );
  }
  const name = githubAssetName(requested);
  if (name === '')
    return refuse(() => validationFailed(ctx, { resource: 'ReleaseAsset', code: 'invalid', field: 'name' }));
  // One asset per name, whatever its state (a `starter` left by a failed upload blocks the name too).
  const nameTaken = () => release.assets.some((a) => a.name === name);
  if (nameTaken()) return refuse(() => validationFailed(ctx, duplicateName));

  const upload = await receiveRaw(ctx);
  if (upload.kind === 'too-large') return ctx.error(413, 'Request Entity Too Large');
  if (upload.kind !== 'file') return ctx.error(500, 'Server Error');
  const { received } = upload;
  const { storage, store } = ctx.core;
  if (received.size === 0) {
    await storage.discard(received);
    return validationFailed(ctx, emptyAsset);
  }
  await ctx.checkpoint();
  // Re-checked at commit: meanwhile the release may have gone or been published immutable, or a
  // parallel upload of the same name may have finished.
  const refusal = !store.getRelease(ctx.repo, release.id)
    ? () => notFound(ctx)
    : release.immutable
      ? () => ctx.error(422, IMMUTABLE_UPLOAD)
      : nameTaken()
        ? () => validationFailed(ctx, duplicateName)
        : undefined;
  if (refusal) {
    await storage.discard(received);
    return refusal();
  }
  const uuid = newUuid();
  const file = await storage.commit(received, uuid);
  const asset = store.addAsset(release, {
    name,
    label: ctx.query.get('label') || null,
    size: received.size,
    sha256: received.sha256,
    state: 'uploaded',
    contentType: ctx.req.headers['content-type'] || 'application/octet-stream',
    uuid,
    file,
  });
  ctx.json(201, githubAsset(ctx.core, release, asset));
}

/** `changes`: the route changes the asset, which an immutable release refuses. */
function assetRoute(
  handler: (ctx: RequestContext, release: Release, asset: Release['assets'][number]) => Promise<void>,
  changes = false,
) {
  return async (ctx: RequestContext) => {
    const found = assetInRepo(ctx, 'asset_id');
    if (!found || (changes && found.release.immutable)) {
      await drain(ctx.body);
      return found ? ctx.error(422, IMMUTABLE_ASSET) : notFound(ctx);
    }
    await handler(ctx, found.release, found.asset);
  };
}

const getAsset = assetRoute(async (ctx, release, asset) => {
  // With `Accept: application/octet-stream` GitHub redirects to the bytes.
  if ((ctx.req.headers.accept ?? '').includes('application/octet-stream')) {
    if (asset.state !== 'uploaded') return notFound(ctx);
    const json = githubAsset(ctx.core, release, asset);
    return ctx.empty(302, { location: json.browser_download_url });
  }
  ctx.json(200, githubAsset(ctx.core, release, asset));
});

const editAsset = assetRoute(async (ctx, release, asset) => {
  const parsed = await readJson(ctx.body);
  if (!parsed.ok) return ctx.error(400, 'Problems parsing JSON');
  const requested = optionalString(parsed.value.name);
  const label = optionalString(parsed.value.label);
  const name = requested ? githubAssetName(requested) : asset.name;
  if (name === '') return validationFailed(ctx, { resource: 'ReleaseAsset', code: 'invalid', field: 'name' });
  if (name !== asset.name && release.assets.some((a) => a.name === name))
    return validationFailed(ctx, duplicateName);
  if (name !== asset.name || label !== undefined) ctx.core.store.renameAsset(release, asset, name, label);
  ctx.json(200, githubAsset(ctx.core, release, asset));
}, true);

const deleteAsset = assetRoute(async (ctx, release, asset) => {
  await removeAsset(ctx, release, asset);
  ctx.empty(204);
}, true);

export const githubRoutes: Route[] = [
  ...sharedReleaseRoutes({
    repository: async (ctx) => ctx.json(200, githubRepository(ctx.core, ctx.repo)),
    listReleases,
    createRelease,
    getLatestRelease,
    releaseByTag,
  }),
  {
    method: 'GET',
    base: 'api',
    template: `${REPO}/releases/{release_id}`,
    access: 'read',
    handle: getRelease,
  },
  {
    method: 'PATCH',
    base: 'api',
    template: `${REPO}/releases/{release_id}`,
    access: 'write',
    handle: editRelease,
  },
  {
    method: 'DELETE',
    base: 'api',
    template: `${REPO}/releases/{release_id}`,
    access: 'write',
    handle: deleteRelease,
  },
  {
    method: 'GET',
    base: 'api',
    template: `${REPO}/releases/{release_id}/assets`,
    access: 'read',
    handle: listAssets,
  },
  {
    method: 'POST',
    base: 'uploads',
    template: `${REPO}/releases/{release_id}/assets`,
    access: 'write',
    ownCheckpoint: true,
    handle: uploadAsset,
  },
  {
    method: 'GET',
    base: 'api',
    template: `${REPO}/releases/assets/{asset_id}`,
    access: 'read',
    handle: getAsset,
  },
  {
    method: 'PATCH',
    base: 'api',
    template: `${REPO}/releases/assets/{asset_id}`,
    access: 'write',
    handle: editAsset,
  },
  {
    method: 'DELETE',
    base: 'api',
    template: `${REPO}/releases/assets/{asset_id}`,
    access: 'write',
    handle: deleteAsset,
  },
];
