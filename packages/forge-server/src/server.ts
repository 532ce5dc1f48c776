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
  ForgeServer,
  ForgeServerEvents,
  ForgeServerOptions,
  RecordedRequest,
  TokenSpec,
} from './types.js';
import { webRoutes } from './web.js';

export const DEFAULT_GITEA_VERSION = '1.25.4';
export const DEFAULT_TOKEN = 'test-token';
export const DEFAULT_REPO = 'octo/app';

const PREFIXES: Record<'gitea' | 'github', Prefixes> = {
  gitea: { api: '/api/v1', uploads: '/api/v1', web: '' },
  github: { api: '/api/v3', uploads: '/api/uploads', web: '' },
};

/** The routes a flavour serves; Gitea's per version (`since`). */
function routesFor(flavour: 'gitea' | 'github', giteaVersion: string): Route[] {
  const api =
    flavour === 'gitea'
      ? giteaRoutes.filter((route) => route.since === undefined || giteaAtLeast(giteaVersion, route.since))
      : githubRoutes;
  return [...api, ...webRoutes(flavour)];
}

function checkOptions(options: ForgeServerOptions): void {
  if (options.flavour !== 'gitea' && options.flavour !== 'github') {
    throw new Error(`forge-server: flavour must be 'gitea' or 'github', got '${String(options.flavour)}'`);
  }
  if (options.giteaVersion !== undefined && !/^\d+\.\d+(\.\d+)?/.test(options.giteaVersion)) {
    throw new Error(`forge-server: giteaVersion must look like 1.25.4, got '${options.giteaVersion}'`);
  }
  const repos = options.repos ?? [];
  for (const repo of repos) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo))
      throw new Error(`forge-server: repository must be owner/name, got '${repo}'`);
    const owner = repo.split('/')[0];
    if (options.flavour === 'gitea' && isReservedGiteaOwner(owner)) {
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
  const prefixes = PREFIXES[flavour];

  const core: Core = {
    flavour,
    url,
    apiUrl: url + prefixes.api,
    uploadsUrl: url + prefixes.uploads,
    giteaVersion: options.giteaVersion ?? DEFAULT_GITEA_VERSION,
    maxAssetSize: options.maxAssetSize ?? Number.POSITIVE_INFINITY,
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
    conversions: new Map(),
  };
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const router = new Router(routesFor(flavour, core.giteaVersion), prefixes);
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
 * Every route a flavour serves (Gitea: the default version's), for contract tests: method, base and
 * spec-form path template.
 */
export function listRoutes(
  flavour: 'gitea' | 'github',
): { method: string; base: string; template: string; path: string }[] {
  const prefixes = PREFIXES[flavour];
  return routesFor(flavour, DEFAULT_GITEA_VERSION).map((r) => ({
    method: r.method,
    base: r.base,
    template: r.template,
    path: prefixes[r.base] + r.template,
  }));
}
