// Test set-up helpers and the read-only state view.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Core } from './context.js';
import { latestRelease } from './lookup.js';
import { assetSnapshot, newUuid, packageSnapshot, type Release } from './store.js';
import type { ReleaseState, SeedHelpers, StateView } from './types.js';

function repoOf(core: Core, repo: string | undefined): string {
  const wanted = repo ?? core.store.repos[0];
  const [owner = '', name = ''] = wanted.split('/');
  const canonical = core.store.canonicalRepo(owner, name);
  if (!canonical)
    throw new Error(
      `forge-server: unknown repository '${wanted}' (configured: ${core.store.repos.join(', ')})`,
    );
  return canonical;
}

function snapshot(core: Core, release: Release): ReleaseState {
  return core.store.snapshot(release, latestRelease(core, release.repo) === release);
}

/** The sha256 of no bytes: what an external link stores. */
const EMPTY_SHA256 = createHash('sha256').digest('hex');

export function seedHelpers(core: Core): SeedHelpers {
  const { store, storage } = core;
  const releaseOf = (id: number) => {
    const release = store.releaseById(id);
    if (!release) throw new Error(`forge-server: no release ${id}`);
    return release;
  };
  return {
    setBody(releaseId, body) {
      store.updateRelease(releaseOf(releaseId), { body });
    },
    createRelease(seed) {
      const release = store.createRelease(repoOf(core, seed.repo), {
        tag: seed.tag,
        name: seed.name ?? (core.api === 'gitea' ? '' : null),
        body: seed.body ?? (core.api === 'gitea' ? '' : null),
        targetCommitish: seed.target ?? store.defaultBranch,
        draft: seed.draft ?? false,
        prerelease: seed.prerelease ?? false,
      });
      if (seed.epochDate) {
        if (core.api !== 'gitea')
          throw new Error('forge-server: epoch dates are a Gitea and Forgejo behaviour');
        store.dateAtEpoch(release);
      }
      return snapshot(core, release);
    },
    addExternalAsset(releaseId, name, url) {
      if (core.flavour !== 'forgejo') throw new Error('forge-server: external-link assets are Forgejo only');
      const asset = store.addAsset(releaseOf(releaseId), {
        name,
        label: null,
        size: 0,
        sha256: EMPTY_SHA256,
        state: 'uploaded',
        contentType: 'application/octet-stream',
        uuid: newUuid(),
        file: '',
        externalUrl: url,
      });
      return assetSnapshot(asset);
    },
    async addAsset(releaseId, name, bytes, options = {}) {
      const release = releaseOf(releaseId);
      const data = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
      const received = await storage.receive(Readable.from([data]));
      const uuid = newUuid();
      const file = await storage.commit(received, uuid);
      const asset = store.addAsset(release, {
        name,
        label: options.label ?? null,
        size: received.size,
        sha256: received.sha256,
        state: options.state ?? 'uploaded',
        contentType: options.contentType ?? 'application/octet-stream',
        uuid,
        file,
      });
      return assetSnapshot(asset);
    },
    pushTag(tag, repo) {
      store.addTag(repoOf(core, repo), tag);
    },
    pushBranch(name, repo) {
      store.addBranch(repoOf(core, repo), name);
    },
    pushCommit(sha, repo) {
      store.addCommit(repoOf(core, repo), sha);
    },
    setImmutableReleases(enabled, repo) {
      if (core.api !== 'github') throw new Error('forge-server: immutable releases are a GitHub setting');
      store.setImmutableReleases(repoOf(core, repo), enabled);
    },
    addPackage({ owner, type, name, version, repo }) {
      if (core.api !== 'gitea') throw new Error('forge-server: packages are modelled for Gitea only');
      const canonical = store.canonicalOwner(owner);
      if (!canonical) throw new Error(`forge-server: '${owner}' owns no configured repository`);
      const linked = repo === undefined ? undefined : repoOf(core, repo);
      if (linked !== undefined && linked.split('/')[0] !== canonical) {
        throw new Error(`forge-server: package of '${canonical}' cannot be linked to '${linked}'`);
      }
      // Gitea keeps one row per version, matched case-insensitively (a second upload is a 409).
      const existing = store.findPackage(canonical, type, name);
      if (existing?.versions.some((v) => v.version.toLowerCase() === version.toLowerCase())) {
        throw new Error(`forge-server: package '${name}' already has version '${version}'`);
      }
      const pkg = store.addPackageVersion(canonical, type, name, version);
      if (linked !== undefined && pkg.repo !== linked) store.linkPackage(pkg, linked);
    },
  };
}

export function stateView(core: Core): StateView {
  const { store } = core;
  return {
    releases: (repo) => store.listReleases(repoOf(core, repo)).map((r) => snapshot(core, r)),
    release: (id) => {
      const release = store.releaseById(id);
      return release && snapshot(core, release);
    },
    asset: (id) => {
      const asset = store.allAssets().find((a) => a.id === id);
      return asset && assetSnapshot(asset);
    },
    tags: (repo) => store.listTags(repoOf(core, repo)),
    readAsset: async (id) => {
      const asset = store.allAssets().find((a) => a.id === id);
      if (!asset) throw new Error(`forge-server: no asset ${id}`);
      return readFile(asset.file);
    },
    packages: () => store.listPackages().map(packageSnapshot),
  };
}
