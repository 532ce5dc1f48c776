// startForgeServer: wires storage, state, faults and the flavour's routes into an HTTP server on
// 127.0.0.1.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from './context.js';
import { Faults } from './faults.js';
import { giteaAtLeast, giteaRoutes } from './gitea.js';
import { githubRoutes } from './github.js';
import { createHandler } from './handler.js';
import { isReservedGiteaOwner, isValidTagName } from './names.js';
import { type Prefixes, type Route, Router } from './router.js';
import { seedHelpers, stateView } from './seed.js';
import { Storage } from './storage.js';
import { Store } from './store.js';
import type {
  Api,
  Flavour,
  ForgeServer,
  ForgeServerEvents,
  ForgeServerOptions,
  RecordedRequest,
  TokenSpec,
} from './types.js';
import { webRoutes } from './web.js';

export const DEFAULT_GITEA_VERSION = '1.25.4';
/** Forgejo 11.0 (the LTS line) and the Gitea it reports compatibility with. */
const DEFAULT_FORGEJO_VERSION = '11.0.3';
const DEFAULT_FORGEJO_GITEA_VERSION = '1.22.0';
export const DEFAULT_TOKEN = 'test-token';
export const DEFAULT_REPO = 'octo/app';

const PREFIXES: Record<Api, Prefixes> = {
  gitea: { api: '/api/v1', uploads: '/api/v1', web: '' },
  github: { api: '/api/v3', uploads: '/api/uploads', web: '' },
};

/** The API a flavour serves: Forgejo serves Gitea's. */
function apiOf(flavour: Flavour): Api {
  return flavour === 'github' ? 'github' : 'gitea';
}

/** The Gitea version a flavour reports unless told otherwise (Forgejo: the one it is compatible with). */
function defaultGiteaVersion(flavour: Flavour): string {
  return flavour === 'forgejo' ? DEFAULT_FORGEJO_GITEA_VERSION : DEFAULT_GITEA_VERSION;
}

/** The routes a flavour serves; Gitea's per version (`since`). */
function routesFor(flavour: Api, giteaVersion: string): Route[] {
  const api =
    flavour === 'gitea'
      ? giteaRoutes.filter((route) => route.since === undefined || giteaAtLeast(giteaVersion, route.since))
      : githubRoutes;
  return [...api, ...webRoutes(flavour)];
}

function checkOptions(options: ForgeServerOptions): void {
  if (!['gitea', 'forgejo', 'github'].includes(options.flavour)) {
    throw new Error(
      `forge-server: flavour must be 'gitea', 'forgejo' or 'github', got '${String(options.flavour)}'`,
    );
  }
  if (options.forgejoVersion !== undefined && options.flavour !== 'forgejo') {
    throw new Error('forge-server: forgejoVersion is a Forgejo setting');
  }
  if (options.giteaVersion !== undefined && !/^\d+\.\d+(\.\d+)?/.test(options.giteaVersion)) {
    throw new Error(`forge-server: giteaVersion must look like 1.25.4, got '${options.giteaVersion}'`);
  }
  const repos = options.repos ?? [];
  for (const repo of repos) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo))
      throw new Error(`forge-server: repository must be owner/name, got '${repo}'`);
    const owner = repo.split('/')[0];
    if (options.flavour !== 'github' && isReservedGiteaOwner(owner)) {
      throw new Error(
        `forge-server: owner '${owner}' is a name Gitea reserves (it answers 422 name is reserved)`,
      );
    }
  }
  if (options.branches !== undefined) {
    if (options.branches.length === 0) {
      throw new Error(
        'forge-server: branches needs at least one branch (emptyRepos makes a repository empty)',
      );
    }
    // Branch names follow the same git rules as tag names.
    const invalid = options.branches.find((branch) => !isValidTagName(branch));
    if (invalid !== undefined) throw new Error(`forge-server: '${invalid}' is not a valid branch name`);
  }
  const configured = (repos.length > 0 ? repos : [DEFAULT_REPO]).map((repo) => repo.toLowerCase());
  for (const repo of options.emptyRepos ?? []) {
    if (!configured.includes(repo.toLowerCase()))
      throw new Error(`forge-server: empty repository '${repo}' is not one of repos`);
  }
  if (options.epochDateOnCreateRace && options.flavour === 'github') {
    throw new Error('forge-server: epochDateOnCreateRace is a Gitea and Forgejo behaviour');
  }
  if (options.immutableReleases && options.flavour !== 'github') {
    throw new Error('forge-server: immutableReleases is a GitHub setting');
  }
  for (const [token, spec] of Object.entries(options.tokens ?? {})) {
    if (token === '' || (spec?.scopes !== 'write' && spec?.scopes !== 'read')) {
      throw new Error('forge-server: each token needs a non-empty value and scopes "write" or "read"');
    }
  }
}

export async function startForgeServer(options: ForgeServerOptions): Promise<ForgeServer> {
  checkOptions(options);
  const { flavour } = options;
  const api = apiOf(flavour);
  const giteaVersion = options.giteaVersion ?? defaultGiteaVersion(flavour);
  const tokenEntries: [string, TokenSpec][] = Object.entries(
    options.tokens ?? { [DEFAULT_TOKEN]: { scopes: 'write' } },
  );
  const tokens = new Map<string, TokenSpec>(tokenEntries);
  const repos = options.repos?.length ? options.repos : [DEFAULT_REPO];

  let counter = 0;
  const sequence = () => ++counter;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'forge-server-')));
  const storage = new Storage(dataDir);
  await storage.init();

  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const prefixes = PREFIXES[api];

  const core: Core = {
    flavour,
    api,
    version:
      flavour === 'forgejo'
        ? `${options.forgejoVersion ?? DEFAULT_FORGEJO_VERSION}+gitea-${giteaVersion}`
        : giteaVersion,
    url,
    apiUrl: url + prefixes.api,
    uploadsUrl: url + prefixes.uploads,
    giteaVersion,
    // Forgejo does not enforce [attachment] MAX_SIZE on API uploads.
    maxAssetSize:
      flavour === 'forgejo' ? Number.POSITIVE_INFINITY : (options.maxAssetSize ?? Number.POSITIVE_INFINITY),
    store: new Store(
      {
        repos,
        branches: options.branches ?? ['main'],
        emptyRepos: options.emptyRepos ?? [],
        immutableReleases: options.immutableReleases ?? false,
      },
      sequence,
    ),
    storage,
    inFlightCreates: new Set(),
    epochDated: options.epochDateOnCreateRace ? new Set() : undefined,
    conversions: new Map(),
    webhooks: [],
  };
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const router = new Router(routesFor(api, core.giteaVersion), prefixes);
  const events = new EventEmitter<ForgeServerEvents>();
  const active = { count: 0 };
  http.on('request', createHandler({ core, events, active, router, faults, tokens, requests, sequence }));
  const idle = () =>
    new Promise<void>((resolve) => {
      if (active.count === 0) return resolve();
      const check = () => {
        if (active.count > 0) return;
        events.off('settled', check);
        resolve();
      };
      events.on('settled', check);
    });

  let closed: Promise<void> | undefined;
  return {
    flavour,
    url,
    apiUrl: core.apiUrl,
    uploadsUrl: core.uploadsUrl,
    token: tokenEntries.find(([, spec]) => spec.scopes === 'write')?.[0] ?? tokenEntries[0]?.[0] ?? '',
    dataDir,
    faults,
    requests,
    changes: core.store.changes,
    webhooks: core.webhooks,
    state: stateView(core),
    seed: seedHelpers(core),
    events,
    idle,
    close() {
      closed ??= (async () => {
        faults.clear();
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/**
 * Every route a flavour serves (Gitea and Forgejo: their default version's), for contract tests: method, base and
 * spec-form path template.
 */
export function listRoutes(
  flavour: Flavour,
): { method: string; base: string; template: string; path: string }[] {
  const api = apiOf(flavour);
  const prefixes = PREFIXES[api];
  return routesFor(api, defaultGiteaVersion(flavour)).map((r) => ({
    method: r.method,
    base: r.base,
    template: r.template,
    path: prefixes[r.base] + r.template,
  }));
}
