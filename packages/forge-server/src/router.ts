// Route tables: templates in the specs' own `{param}` form, mounted under a flavour's base paths.
import type { RequestContext } from './context.js';

/** `api`: the REST root; `uploads`: GitHub's upload host (GHES form); `web`: the web root. */
type Base = 'api' | 'uploads' | 'web';
/** `public`: no token needed; `read`: any valid token; `write`: a write token. */
type Access = 'public' | 'read' | 'write';

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  base: Base;
  /** Path template relative to the base, exactly as in the official spec for API routes. */
  template: string;
  access: Access;
  /** Gitea: the token scope category a 403 names (`required=[write:package]`); default `repository`. */
  scope?: 'repository' | 'package';
  /** Gitea: the first version serving the route (`1.24`); older ones answer 404 as for any unknown path. */
  since?: string;
  /** The handler calls `ctx.checkpoint()` itself, between its checks and its commit. */
  ownCheckpoint?: boolean;
  handle(ctx: RequestContext): Promise<void>;
}

export type Prefixes = Record<Base, string>;

/** The repository path both specs use. */
export const REPO = '/repos/{owner}/{repo}';

type Handler = Route['handle'];

/**
 * The routes Gitea and GitHub share path for path, each flavour with its own handlers: the repository,
 * the release list, create, the latest release and a release by tag.
 */
export function sharedReleaseRoutes(handlers: {
  repository: Handler;
  listReleases: Handler;
  createRelease: Handler;
  getLatestRelease: Handler;
  releaseByTag: Handler;
}): Route[] {
  return [
    { method: 'GET', base: 'api', template: REPO, access: 'read', handle: handlers.repository },
    {
      method: 'GET',
      base: 'api',
      template: `${REPO}/releases`,
      access: 'read',
      handle: handlers.listReleases,
    },
    {
      method: 'POST',
      base: 'api',
      template: `${REPO}/releases`,
      access: 'write',
      ownCheckpoint: true,
      handle: handlers.createRelease,
    },
    {
      method: 'GET',
      base: 'api',
      template: `${REPO}/releases/latest`,
      access: 'read',
      handle: handlers.getLatestRelease,
    },
    {
      method: 'GET',
      base: 'api',
      template: `${REPO}/releases/tags/{tag}`,
      access: 'read',
      handle: handlers.releaseByTag,
    },
  ];
}

interface Compiled {
  route: Route;
  segments: string[];
  literals: number;
}

export type Match = { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

export class Router {
  private readonly compiled: Compiled[];

  constructor(
    readonly routes: readonly Route[],
    readonly prefixes: Prefixes,
  ) {
    this.compiled = routes
      .map((route) => {
        const segments = split(prefixes[route.base] + route.template);
        return { route, segments, literals: segments.filter((s) => !isParam(s)).length };
      })
      // Literal segments beat parameters: `/releases/latest` before `/releases/{id}`.
      .sort((a, b) => b.literals - a.literals);
  }

  match(method: string, path: string): Match {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const segments = split(path);
    let pathMatched = false;
    for (const { route, segments: pattern } of this.compiled) {
      const params = matchSegments(pattern, segments);
      if (!params) continue;
      if (route.method === wanted) return { route, params };
      pathMatched = true;
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (isParam(pattern[i])) {
      try {
        params[pattern[i].slice(1, -1)] = decodeURIComponent(segments[i]);
      } catch {
        return undefined;
      }
    } else if (pattern[i] !== segments[i]) {
      return undefined;
    }
  }
  return params;
}
