/** Public types of the local forge server. */
import type { EventEmitter } from 'node:events';

export type Flavour = 'gitea' | 'forgejo' | 'github';
/** The API a flavour serves: Forgejo serves Gitea's, with the differences of forge-behaviour.md. */
export type Api = 'gitea' | 'github';

export interface TokenSpec {
  /** `read` tokens get 403 on every mutating request (POST, PATCH, DELETE). */
  scopes: 'write' | 'read';
}

export interface ForgeServerOptions {
  flavour: Flavour;
  /**
   * Gitea and Forgejo (the Gitea version it is compatible with); default '1.25.4' (Forgejo: '1.22.0').
   * Below 1.22 asset uploads accept multipart field `attachment` only; below 1.24 the package routes do
   * not exist (404).
   */
  giteaVersion?: string;
  /** Forgejo only: its own version, reported as `{forgejoVersion}+gitea-{giteaVersion}`; default '11.0.3'. */
  forgejoVersion?: string;
  /** Where asset files live; a fresh temporary folder (removed on close) when omitted. */
  dataDir?: string;
  /** 0 or omitted: a random free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Default `{ 'test-token': { scopes: 'write' } }`. */
  tokens?: Record<string, TokenSpec>;
  /** `owner/name` list; default `['octo/app']`. Other repositories answer 404. */
  repos?: string[];
  /** Uploads larger than this many bytes answer 413 (not on Forgejo, which has no limit on API uploads). */
  maxAssetSize?: number;
  /**
   * Branches of every configured repository but the empty ones; default `['main']`. The first is the
   * default branch (the target of a release created without `target_commitish`).
   */
  branches?: string[];
  /**
   * Repositories (from `repos`) without any commit: they have no branch until `seed.pushBranch`. Gitea
   * reports them `empty` and refuses releases there (422); on GitHub the target cannot resolve (422).
   */
  emptyRepos?: string[];
  /** GitHub only: the "immutable releases" setting, on for every configured repository. */
  immutableReleases?: boolean;
  /**
   * Gitea and Forgejo: a create for a new tag that loses the race to a simultaneous one leaves the
   * winner dated 1970-01-01 (seen in 5 of 15 rounds on Forgejo 11; here every time, so tests can rely on it).
   */
  epochDateOnCreateRace?: boolean;
}

/** What a fault does to a request it matches. */
export type FaultResponse =
  | {
      /** Answer with this status (the request body is drained first; nothing changes). */
      status: number;
      /** Sets `Retry-After` (seconds). */
      retryAfter?: number;
      /** JSON body; a flavour-shaped error message when omitted. */
      body?: unknown;
      /** Extra response headers, e.g. `x-ratelimit-reset`. */
      headers?: Record<string, string>;
      /**
       * Handle the request first (its changes happen), then answer with this status instead: a
       * server that did the work but failed to say so.
       */
      after?: boolean;
    }
  /** `before`: destroy the socket on arrival. `mid-body`: destroy it after part of the body arrived. */
  | { reset: 'before' | 'mid-body' }
  /** Wait, then handle normally. Applied at the handler's checkpoint (see README). */
  | { delayMs: number }
  /** Like delay, but until `handle.release()` (deterministic races in-process). */
  | { hold: true };

export interface FaultSpec {
  /** HTTP method to match (case-insensitive); any when omitted. */
  method?: string;
  /** Tested against the request path (no query string); any when omitted. */
  path?: RegExp;
  /** Tested against the decoded query string (`name=App.zip`), e.g. one asset's uploads; any when omitted. */
  query?: RegExp;
  /** The first matching request the fault applies to, counting from 1. Default 1. */
  nth?: number;
  /** How many consecutive matching requests it applies to, from `nth`. Default 1; `Infinity` allowed. */
  times?: number;
  respond: FaultResponse;
}

export interface FaultHandle {
  /** Matching requests seen so far (whether or not the fault applied to them). */
  readonly seen: number;
  /** Requests the fault has taken effect on (for delay/hold: entered the wait). */
  readonly hits: number;
  /** Resolves once the fault has taken effect `n` times (default 1). */
  reached(n?: number): Promise<void>;
  /** Lets held requests (and later ones) through. */
  release(): void;
  /** Stops matching; also releases held requests. */
  remove(): void;
}

export interface FaultController {
  inject(spec: FaultSpec): FaultHandle;
  /** Removes every fault and releases held requests. */
  clear(): void;
}

/** One request as the server saw it. `at` and `done` come from one counter shared with `changes`. */
export interface RecordedRequest {
  /** Sequence number at arrival (before any fault). */
  at: number;
  /** Sequence number when the response finished or the connection went away. */
  done?: number;
  method: string;
  /** Path without the query string, as sent (percent-encoding kept). */
  path: string;
  query: Record<string, string>;
  /** Response status; 0 while pending or when no response was sent. */
  status: number;
  contentType?: string;
  contentLength?: number;
  /** True when the body was sent with chunked transfer encoding. */
  chunked: boolean;
  /** Set when a fault applied: 'status', 'reset-before', 'reset-mid-body', 'delay', 'hold'. */
  fault?: string;
  /** Bytes of an upload's body stored so far. */
  bodyBytes?: number;
  /** 'reset': the server dropped the connection (fault); 'aborted': the client went away first. */
  error?: 'reset' | 'aborted';
}

export type ChangeKind =
  | 'release-created'
  | 'release-updated'
  | 'release-deleted'
  | 'asset-added'
  | 'asset-renamed'
  | 'asset-deleted'
  | 'tag-created'
  | 'package-linked';

/** A state change, in commit order; `at` shares the request counter. */
export interface ChangeRecord {
  at: number;
  kind: ChangeKind;
  repo: string;
  releaseId?: number;
  assetId?: number;
  tag?: string;
  /** The asset's name; for `package-linked`, the package's. */
  name?: string;
  previousName?: string;
  /** `package-linked`: the package's type (`repo` is the repository it was linked to). */
  packageType?: string;
}

/** A release webhook the forge fires (Gitea and Forgejo; the GitHub flavour models none). */
export interface WebhookDelivery {
  action: 'published' | 'updated';
  repo: string;
  releaseId: number;
  tag: string;
}

export interface AssetState {
  id: number;
  releaseId: number;
  name: string;
  label: string | null;
  size: number;
  /** Hex sha256 of the stored bytes. */
  sha256: string;
  state: 'uploaded' | 'starter';
  contentType: string;
  uuid: string;
  downloadCount: number;
  createdAt: string;
  /** The file on disk (empty for an external link). */
  file: string;
  /** Forgejo: an external-link asset (`type: external`, size 0) pointing here; no bytes are stored. */
  externalUrl?: string;
}

export interface ReleaseState {
  id: number;
  repo: string;
  tag: string;
  name: string | null;
  body: string | null;
  targetCommitish: string;
  draft: boolean;
  prerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  /** GitHub: published while the repository's immutable-releases setting was on (always false on Gitea). */
  immutable: boolean;
  /** Forgejo's `hide_archive_links` (stored; the archives still download). Always false elsewhere. */
  hideArchiveLinks: boolean;
  /** The release `GET /releases/latest` answers with. */
  latest: boolean;
  /** Oldest first. */
  assets: AssetState[];
}

/** Read access for assertions; every call returns a fresh snapshot. */
export interface StateView {
  /** Newest first; the first configured repository when `repo` is omitted. */
  releases(repo?: string): ReleaseState[];
  release(id: number): ReleaseState | undefined;
  asset(id: number): AssetState | undefined;
  /** Git tags of the repository (pushed or created by publishing a release). */
  tags(repo?: string): string[];
  /** The stored bytes of an asset (tests only: reads the whole file). */
  readAsset(id: number): Promise<Buffer>;
  /** Gitea packages of every owner, in creation order. */
  packages(): PackageState[];
}

/** A Gitea package: one name of one type, owned by a user or organisation. */
export interface PackageState {
  owner: string;
  /** Gitea's package type, e.g. `container`, `generic`. */
  type: string;
  name: string;
  /** Newest last; `GET .../-/latest` answers with the last. */
  versions: string[];
  /** The linked repository (`owner/name` as configured); absent when not linked. */
  repo?: string;
}

export interface SeedPackage {
  /** An owner of a configured repository (Gitea users exist here only as owners). */
  owner: string;
  type: string;
  name: string;
  version: string;
  /** Links the package to this repository of the same owner. */
  repo?: string;
}

export interface SeedRelease {
  repo?: string;
  tag: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  target?: string;
  /** Gitea and Forgejo: dated 1970-01-01, as a create race can leave a release (`epochDateOnCreateRace`). */
  epochDate?: boolean;
}

export interface SeedAssetOptions {
  state?: 'uploaded' | 'starter';
  contentType?: string;
  label?: string | null;
}

/** Direct state set-up for tests; no request is recorded and no rule is checked. */
export interface SeedHelpers {
  createRelease(release: SeedRelease): ReleaseState;
  /** Sets a release's body, as a person editing it in the web UI. */
  setBody(releaseId: number, body: string): void;
  /**
   * Forgejo only: an external-link asset (`type: external`, size 0), as a user adds one in the web UI
   * or with `external_url`; its download link redirects to `url`.
   */
  addExternalAsset(releaseId: number, name: string, url: string): AssetState;
  /** Duplicate names are allowed on both flavours (to set up leftovers). */
  addAsset(
    releaseId: number,
    name: string,
    bytes: Uint8Array | string,
    options?: SeedAssetOptions,
  ): Promise<AssetState>;
  pushTag(tag: string, repo?: string): void;
  /** A new branch: a known target, and an empty repository stops being empty. */
  pushBranch(name: string, repo?: string): void;
  /** A commit sha that `target_commitish` may name. */
  pushCommit(sha: string, repo?: string): void;
  /** GitHub only: turns the repository's immutable-releases setting on or off (releases published later). */
  setImmutableReleases(enabled: boolean, repo?: string): void;
  /**
   * Gitea only: publishes a package version (the package is created with its first). A version the
   * package already has is refused, as Gitea refuses it.
   */
  addPackage(pkg: SeedPackage): void;
}

export interface ForgeServerEvents {
  request: [RecordedRequest];
  /** More of an upload's body was stored (see RecordedRequest.bodyBytes). */
  body: [RecordedRequest];
  settled: [RecordedRequest];
}

export interface ForgeServer {
  readonly flavour: Flavour;
  /** Web root, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Gitea `${url}/api/v1`, GitHub `${url}/api/v3`. */
  readonly apiUrl: string;
  /** GitHub `${url}/api/uploads` (GHES form); Gitea: same as apiUrl. */
  readonly uploadsUrl: string;
  /** The first write token (`test-token` by default). */
  readonly token: string;
  readonly dataDir: string;
  readonly faults: FaultController;
  /** Every request in arrival order (live array; tests may truncate it). */
  readonly requests: RecordedRequest[];
  /** Every state change in commit order (live array). */
  readonly changes: ChangeRecord[];
  /**
   * Release webhooks in the order fired (live array): Gitea and Forgejo fire `published` for a
   * published create and for draft → published, `updated` for other edits; of simultaneous creates for
   * a pushed tag each extra one fires another (Forgejo `published`, Gitea `updated`).
   */
  readonly webhooks: WebhookDelivery[];
  readonly state: StateView;
  readonly seed: SeedHelpers;
  /** 'request' when a request is recorded (on arrival), 'settled' when its handling has ended. */
  readonly events: EventEmitter<ForgeServerEvents>;
  /** Resolves once no request is being handled (held requests count as being handled). */
  idle(): Promise<void>;
  close(): Promise<void>;
}
