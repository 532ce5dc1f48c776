import { ActionError } from '@forge-actions/action-kit/errors';
import { HttpError, NetworkError, scrubSecrets } from '@forge-actions/http';

/** A failed forge request, as one actionable line. `status` is 0 for connection failures. */
export class ForgeError extends ActionError {
  constructor(
    message: string,
    readonly status: number,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ForgeError';
  }
}

/**
 * Creating a release did not cleanly succeed in a way that calls for a fresh look-up:
 * - `exists`: the tag already has a release (GitHub 422 `already_exists`, Gitea 409): another job won.
 * - `uncertain`: Gitea's 500 for a lost race, or any 5xx / dropped connection, after which the release
 *   may exist anyway. createRelease never resends a create itself, since a second create could make
 *   a duplicate (GitHub drafts) or hide the first; the caller looks up again, then creates if still absent.
 */
export class ReleaseConflictError extends ActionError {
  constructor(
    readonly tag: string,
    readonly reason: 'exists' | 'uncertain',
    readonly status: number,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ReleaseConflictError';
  }
}

/** GitHub refused an asset name already taken on the release (422 `already_exists`). */
export class AssetConflictError extends ActionError {
  constructor(
    readonly assetName: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'AssetConflictError';
  }
}

/** For create-release's loop: is this a create failure worth a fresh look-up? */
export function isLostCreate(error: unknown): boolean {
  return error instanceof ReleaseConflictError;
}

/** GitHub's 422 body: `{"errors":[{"code":"already_exists", ...}]}`. */
export function hasAlreadyExists(body: unknown): boolean {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) && errors.some((e) => (e as { code?: unknown })?.code === 'already_exists');
}

/** What a forge's messages call it and advise, per status (from its adapter). */
export interface ErrorHints {
  /** `Gitea`, `GitHub`. */
  name: string;
  /** After "check that the 'token' input holds a valid, unexpired token". */
  tokenRejected: string;
  /** What a 403 asks of the token. */
  forbidden: string;
  /** What to do about a 413. */
  tooLarge: string;
}

export interface ErrorContext {
  hints: ErrorHints;
  repository: string;
  apiUrl: string;
  /** What was being done, to complete "Could not ...", e.g. `create the release for v1.0.0`. */
  action: string;
  /** Replaces the repository-not-found text when a 404 means something narrower (a release id). */
  notFound?: string;
  /** Values that must never appear (the token). */
  secrets: string[];
}

function quote(message: string): string {
  return message ? ` The server said: "${message.replace(/\s+/g, ' ').replace(/\.$/, '')}".` : '';
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** What to do about GitHub's immutable releases, when the server's words are about one. */
function immutableHint(message: string): string {
  if (/tag_name was used by an immutable release/i.test(message)) {
    return ' GitHub never frees a tag once an immutable release used it, even after that release is deleted: release under a new tag.';
  }
  if (/immutable release/i.test(message)) {
    return ' A published release in a repository with immutable releases cannot change: create it as a draft (create-release draft: true), upload, then publish it with finalize-release.';
  }
  return '';
}

/** The one-line message for a failed request, by status; the token never appears in it. */
export function forgeErrorMessage(error: HttpError | NetworkError, ctx: ErrorContext): string {
  const lead = `Could not ${ctx.action}`;
  const tries = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
  let text: string;
  // The host the request went to (an upload host, a download's storage), else the API's.
  const where = host(/^https?:\/\//.test(error.url) ? error.url : ctx.apiUrl);
  if (error instanceof NetworkError && error.timeoutSeconds !== undefined) {
    text = `${lead}: no complete answer from ${where} within ${error.timeoutSeconds} s${tries} (each request attempt may take at most that long; for a slow server, raise request-timeout).`;
  } else if (error instanceof NetworkError) {
    text = `${lead}: no answer from ${where} (${error.message.replace(/^.*? failed: /, '')})${tries}.`;
  } else {
    const said = quote(error.serverMessage);
    switch (error.status) {
      case 401:
        text =
          `${lead}: the ${ctx.hints.name} server at ${host(ctx.apiUrl)} rejected the token (401 Unauthorized): ` +
          `check that the 'token' input holds a valid, unexpired token${ctx.hints.tokenRejected}.`;
        break;
      case 403:
        text = `${lead}: the token is not allowed to do this on ${ctx.repository} (403 Forbidden): ${ctx.hints.forbidden}.${said}`;
        break;
      case 404:
        text = ctx.notFound
          ? `${lead}: ${ctx.notFound} (404).`
          : `${lead}: repository ${ctx.repository} was not found at ${ctx.apiUrl}, or is not visible to the token (404). Check the 'repository' and 'api-url' inputs and the token's access.`;
        break;
      case 413:
        text = `${lead}: it is over the server's size limit (413 Payload Too Large); ${ctx.hints.tooLarge}`;
        break;
      case 422:
        text = `${lead}: the server rejected the request as invalid (422): ${error.serverMessage || 'no details given'}.${immutableHint(error.serverMessage)}`;
        break;
      default:
        text = `${lead}: ${error.method} ${error.url} answered ${error.status}${tries}.${said}`;
    }
  }
  return scrubSecrets(text.replace(/\s+/g, ' ').trim(), ctx.secrets);
}

/** HttpError/NetworkError → ForgeError with the mapped message; anything else is returned unchanged. */
export function toForgeError(error: unknown, ctx: ErrorContext): unknown {
  if (error instanceof HttpError) return new ForgeError(forgeErrorMessage(error, ctx), error.status, error);
  if (error instanceof NetworkError) return new ForgeError(forgeErrorMessage(error, ctx), 0, error);
  return error;
}
