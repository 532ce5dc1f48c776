// The life of one request: record it, apply any fault, authenticate, resolve the repository, route.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Auth, authenticate } from './auth.js';
import { drain } from './body.js';
import { type Core, RequestContext } from './context.js';
import { type Faults, faultKind } from './faults.js';
import type { Route, Router } from './router.js';
import type { ForgeServerEvents, RecordedRequest, TokenSpec } from './types.js';

export interface HandlerDeps {
  core: Core;
  events: EventEmitter<ForgeServerEvents>;
  /** Handlers still running; `idle` waits for zero. */
  active: { count: number };
  router: Router;
  faults: Faults;
  tokens: ReadonlyMap<string, TokenSpec>;
  requests: RecordedRequest[];
  sequence: () => number;
}

export function createHandler(deps: HandlerDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    deps.active.count++;
    const record = recordRequest(deps, req, res);
    handle(deps, req, res, record)
      .catch(() => {
        // A handler failed (or the connection died under it): answer 500 if anyone is still listening.
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"message":"internal error"}');
        }
      })
      .finally(() => {
        deps.active.count--;
        deps.events.emit('settled', record);
      });
  };
}

function recordRequest(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): RecordedRequest {
  const { core, sequence } = deps;
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', core.url);
  const length = req.headers['content-length'];
  const record: RecordedRequest = {
    at: sequence(),
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    status: 0,
    chunked: /chunked/i.test(req.headers['transfer-encoding'] ?? ''),
    ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
    ...(length !== undefined ? { contentLength: Number(length) } : {}),
  };
  // Recorded before any fault, so tests can count attempts.
  deps.requests.push(record);
  res.on('finish', () => {
    record.status = res.statusCode;
    record.done = sequence();
  });
  res.on('close', () => {
    if (res.writableFinished) return;
    record.error ??= 'aborted';
    record.done ??= sequence();
  });
  deps.events.emit('request', record);
  return record;
}

async function handle(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  record: RecordedRequest,
): Promise<void> {
  const { core, faults } = deps;
  const query = Object.entries(record.query)
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const fault = faults.match(record.method, record.path, query);
  let body: Readable = req;
  if (fault) {
    record.fault = faultKind(fault.respond);
    const respond = fault.respond;
    if ('reset' in respond) {
      const reset = () => {
        fault.hit();
        record.error = 'reset';
        req.destroy();
        req.socket.destroy();
      };
      if (respond.reset === 'before' || !hasBody(req)) return reset();
      body = resetMidBody(req, reset);
    } else if ('status' in respond && !respond.after) {
      fault.hit();
      await drain(req);
      const ctx = new RequestContext(req, res, core, record, req);
      const headers: Record<string, string> = { ...respond.headers };
      if (respond.retryAfter !== undefined) headers['retry-after'] = String(respond.retryAfter);
      if (respond.body !== undefined) return ctx.json(respond.status, respond.body, headers);
      return ctx.error(respond.status, `fault injected: ${respond.status}`, {}, headers);
    }
  }
  const ctx = new RequestContext(req, res, core, record, body);
  ctx.onBody = () => deps.events.emit('body', record);
  if (fault && ('delayMs' in fault.respond || 'hold' in fault.respond)) ctx.waitFault = fault;
  if (fault && 'status' in fault.respond) {
    fault.hit();
    ctx.replaceAnswer = fault.respond;
  }
  await dispatch(deps, ctx);
}

function hasBody(req: IncomingMessage): boolean {
  return (
    /chunked/i.test(req.headers['transfer-encoding'] ?? '') || Number(req.headers['content-length'] ?? 0) > 0
  );
}

/** Passes the body through until about half of it arrived, then drops the connection. */
function resetMidBody(req: IncomingMessage, reset: () => void): Readable {
  const length = Number(req.headers['content-length']);
  const threshold = Number.isFinite(length) && length > 1 ? Math.floor(length / 2) : 1;
  let seen = 0;
  const monitor = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen < threshold) return callback(null, chunk);
      // Hand on what fits below the threshold, then fail the stream the handler reads.
      const keep = chunk.subarray(0, Math.max(0, chunk.length - (seen - threshold) - 1));
      if (keep.length > 0) this.push(keep);
      reset();
      callback(new Error('connection reset (fault injected)'));
    },
  });
  pipeline(req, monitor).catch(() => undefined);
  return monitor;
}

async function dispatch(deps: HandlerDeps, ctx: RequestContext): Promise<void> {
  const { core, router } = deps;
  const match = router.match(ctx.record.method, ctx.record.path);
  const refuse = async (send: () => void) => {
    await drain(ctx.body);
    send();
  };
  if (!match) {
    return refuse(() => (isApiPath(deps, ctx.record.path) ? ctx.error(404, 'Not Found') : webNotFound(ctx)));
  }
  if ('methodNotAllowed' in match) {
    // Gitea's router answers 405; GitHub answers 404 for any unknown method+path.
    return refuse(() =>
      core.api === 'gitea' ? ctx.error(405, 'Method Not Allowed') : ctx.error(404, 'Not Found'),
    );
  }
  const { route, params } = match;
  ctx.params = params;
  const hasRepo = params.owner !== undefined && params.repo !== undefined;
  const repo = hasRepo ? core.store.canonicalRepo(params.owner, params.repo) : undefined;
  if (route.base === 'web') {
    if (hasRepo && !repo) return refuse(() => webNotFound(ctx));
  } else {
    const auth = authenticate(ctx.req.headers.authorization, deps.tokens);
    const denial = authorize(core.api, auth, route, hasRepo && !repo);
    if (denial) return refuse(() => ctx.error(denial.status, denial.message));
  }
  if (repo) ctx.repo = repo;
  if (!route.ownCheckpoint) await ctx.checkpoint();
  await route.handle(ctx);
}

/**
 * The order of refusals follows each forge: Gitea checks the token's scope before it looks up the
 * repository (403 before 404); GitHub does not reveal a repository to a token that cannot see it.
 */
function authorize(
  flavour: 'gitea' | 'github',
  auth: Auth,
  { access, scope = 'repository' }: Pick<Route, 'access' | 'scope'>,
  unknownRepo: boolean,
): { status: number; message: string } | undefined {
  if (auth.kind === 'invalid') {
    return { status: 401, message: flavour === 'gitea' ? 'user does not exist' : 'Bad credentials' };
  }
  if (access === 'public') return undefined;
  if (auth.kind === 'anonymous') {
    return { status: 401, message: flavour === 'gitea' ? 'token is required' : 'Requires authentication' };
  }
  const readOnly = access === 'write' && auth.spec.scopes !== 'write';
  const forbidden =
    flavour === 'gitea'
      ? `token does not have at least one of required scope(s), required=[write:${scope}]`
      : 'Resource not accessible by personal access token';
  if (flavour === 'gitea' && readOnly) return { status: 403, message: forbidden };
  if (unknownRepo)
    return { status: 404, message: flavour === 'gitea' ? "The target couldn't be found." : 'Not Found' };
  if (readOnly) return { status: 403, message: forbidden };
  return undefined;
}

function isApiPath(deps: HandlerDeps, path: string): boolean {
  return Object.entries(deps.router.prefixes).some(
    ([base, prefix]) => base !== 'web' && path.startsWith(`${prefix}/`),
  );
}

function webNotFound(ctx: RequestContext): void {
  ctx.res.writeHead(404, { 'content-type': 'text/plain;charset=utf-8' });
  ctx.res.end('Not Found\n');
}
