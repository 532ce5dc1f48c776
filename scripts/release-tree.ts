// The tree a release tag points to, and publishing it.
//
//   npm run release-tree -- build   --version X.Y.Z [--out DIR] [--repository owner/repo]
//   npm run release-tree -- publish --version X.Y.Z --remote URL [--repository owner/repo]
//                                   [--source SHA] [--tree DIR]
//
// The tree has `<name>/action.yml` and `<name>/dist/**` for every JavaScript action (bundled by
// `npm run build`), composite actions with their `uses: ./actions/<sibling>` rewritten to
// `<owner>/<repo>/<sibling>@vX.Y.Z`, plus README.md, LICENSE and action-docs/.
//
// Publishing makes one parentless (orphan) commit of that tree and pushes it as tag vX.Y.Z, then moves
// the major tag vX to it (stable versions only, and never backwards). Orphan commits: each tag is
// self-contained (a runner clones only the bundles, not main's history), and a patch release of an
// older line does not get the newest release as its parent.
// The branch `releases` points at the newest release too (moved like vX, across majors; created by any
// release when missing): Gitea's runner clones an action repository's default branch before checking out
// the ref, and Gitea reports a repository that holds only tags as empty, so `uses: …@v1` would fail with
// `reference not found`. Pushed first to an empty repository, the branch becomes its default branch
// (Gitea, Forgejo and GitHub do that; a local bare repository gets its HEAD pointed at it).
//
// Safety: vX.Y.Z is never moved once it holds a release. If it already exists with the same tree,
// publishing again is a no-op; if it points at the source commit itself (the tag push that triggered the
// release workflow), it is replaced by the release commit; anything else is refused. Every push is
// atomic and carries --force-with-lease on what was read, so a concurrent publish cannot be clobbered.
// Credentials: a token is passed to git as an HTTP header through GIT_CONFIG_* variables (never in
// argv or in the URL), and remote URLs are printed without their user-info.
import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import semver from 'semver';
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
import { listActions, REPO_ROOT } from './actions.js';

const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SIBLING_USES = /^\.\/actions\/([A-Za-z0-9_.-]+)\/?$/;
/** Files of an action folder that are development-only and never part of a release. */
const DEV_ONLY = new Set([
  'package.json',
  'node_modules',
  'src',
  'test',
  'tsconfig.json',
  'dist',
  'examples',
]);
const TOP_LEVEL_FILES = ['README.md', 'LICENSE', 'LICENSE.md', 'LICENSE.txt'];

export type Log = (line: string) => void;

// ---------------------------------------------------------------------------------------------------
// Collecting the tree

export interface CollectOptions {
  /** Repository checkout to read from (default: this repository). */
  root?: string;
  /** Empty or missing folder to write the tree into. */
  out: string;
  /** Exact release tag composite `uses:` are pinned to, e.g. v1.2.0. */
  tag: string;
  /** `owner/repo` the released actions live in; needed only when a composite action exists. */
  repository?: string;
}

export interface CollectedTree {
  out: string;
  actions: string[];
  /** Every file written, relative to `out`, sorted, with `/` separators. */
  files: string[];
}

interface ActionRuns {
  using: string;
  main?: string;
  pre?: string;
  post?: string;
}

function readRuns(actionYml: string): ActionRuns {
  const meta = parse(readFileSync(actionYml, 'utf8')) as { runs?: Partial<ActionRuns> } | null;
  if (typeof meta?.runs?.using !== 'string') throw new Error(`${actionYml} has no runs.using`);
  return meta.runs as ActionRuns;
}

function listFiles(dir: string, base = dir): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path, base));
    else files.push(relative(base, path).split('\\').join('/'));
  }
  return files.sort();
}

function prepareOut(out: string): void {
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new Error(`output folder ${out} must be empty or absent`);
  }
  mkdirSync(out, { recursive: true });
}

/** Writes the release tree of the checkout at `root` into `out`. */
export function collectTree(options: CollectOptions): CollectedTree {
  const root = resolve(options.root ?? REPO_ROOT);
  const out = resolve(options.out);
  const actionsDir = join(root, 'actions');
  const actions = listActions(actionsDir);
  if (actions.length === 0) throw new Error(`no actions found in ${actionsDir}`);
  prepareOut(out);

  for (const name of actions) {
    const source = join(actionsDir, name);
    const target = join(out, name);
    const runs = readRuns(join(source, 'action.yml'));
    mkdirSync(target, { recursive: true });
    if (runs.using === 'composite') {
      const rewritten = rewriteCompositeUses(readFileSync(join(source, 'action.yml'), 'utf8'), {
        repository: requireRepository(options.repository, name),
        tag: options.tag,
        siblings: actions,
        file: `actions/${name}/action.yml`,
      });
      writeFileSync(join(target, 'action.yml'), rewritten);
    } else {
      cpSync(join(source, 'action.yml'), join(target, 'action.yml'));
    }
    if (runs.using.startsWith('node')) {
      const dist = join(source, 'dist');
      if (!existsSync(dist)) throw new Error(`actions/${name}/dist is missing: run \`npm run build\` first`);
      cpSync(dist, join(target, 'dist'), { recursive: true });
      for (const entry of [runs.main, runs.pre, runs.post]) {
        if (entry && !existsSync(join(target, entry))) {
          throw new Error(`actions/${name}/action.yml runs ${entry}, which the build did not produce`);
        }
      }
    } else {
      // Composite and docker actions may ship helper files next to action.yml.
      for (const entry of readdirSync(source)) {
        if (entry === 'action.yml' || DEV_ONLY.has(entry)) continue;
        cpSync(join(source, entry), join(target, entry), { recursive: true });
      }
    }
  }
  for (const file of TOP_LEVEL_FILES) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(out, file));
  }
  if (existsSync(join(root, 'action-docs'))) {
    cpSync(join(root, 'action-docs'), join(out, 'action-docs'), { recursive: true });
  }
  return { out, actions, files: listFiles(out) };
}

function requireRepository(repository: string | undefined, action: string): string {
  if (!repository) {
    throw new Error(
      `composite action ${action} refers to its siblings: pass --repository owner/repo or set GITHUB_REPOSITORY`,
    );
  }
  if (!REPOSITORY_PATTERN.test(repository)) {
    throw new Error(`repository '${repository}' must look like owner/repo`);
  }
  return repository;
}

// ---------------------------------------------------------------------------------------------------
// Composite actions

export interface RewriteOptions {
  repository: string;
  tag: string;
  /** Names of the actions released alongside (valid `./actions/<name>` targets). */
  siblings: readonly string[];
  /** Shown in errors. */
  file?: string;
}

/**
 * Rewrites `uses: ./actions/<sibling>` in a composite action.yml to `<repository>/<sibling>@<tag>`,
 * editing only those scalars in the source text (comments and layout are kept byte for byte). Any other
 * local `./` reference would resolve against the user's workspace after release, so it is an error.
 */
export function rewriteCompositeUses(text: string, options: RewriteOptions): string {
  const file = options.file ?? 'action.yml';
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
  const steps = doc.getIn(['runs', 'steps'], true);
  if (!isSeq(steps)) return text;
  const edits: { start: number; end: number; value: string }[] = [];
  steps.items.forEach((step, index) => {
    if (!isMap(step)) return;
    const uses = step.get('uses', true);
    if (!isScalar(uses) || typeof uses.value !== 'string' || !uses.range) return;
    const value = uses.value.trim();
    if (!value.startsWith('./')) return;
    const sibling = SIBLING_USES.exec(value)?.[1];
    if (!sibling || !options.siblings.includes(sibling)) {
      throw new Error(
        `${file}: step ${index + 1} uses '${value}', which is not a sibling action (./actions/<name>) and would not resolve once released`,
      );
    }
    edits.push({
      start: uses.range[0],
      end: uses.range[1],
      value: `${options.repository}/${sibling}@${options.tag}`,
    });
  });
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.value + result.slice(edit.end);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Publishing

/** Prints a remote without user-info (`https://user:token@host/x` → `https://***@host/x`). */
export function redactRemote(remote: string): string {
  return remote.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]+@/i, '$1***@');
}

interface GitContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Strings that must never appear in an error message. */
  secrets: string[];
  remote: string;
}

const execFileAsync = promisify(execFile);

async function git(context: GitContext, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args, {
      cwd: context.cwd,
      env: context.env,
      encoding: 'utf8',
    });
    return stdout.trim();
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    let message = `git ${args[0]} failed: ${(failure.stderr ?? '').trim() || failure.message}`;
    for (const secret of context.secrets) if (secret) message = message.split(secret).join('***');
    message = message.split(context.remote).join(redactRemote(context.remote));
    throw new Error(message);
  }
}

/** Environment that gives git an `Authorization` header for HTTP remotes without putting it in argv. */
export function tokenGitEnv(token: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const count = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10) || 0;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    [`GIT_CONFIG_KEY_${count}`]: 'http.extraHeader',
    [`GIT_CONFIG_VALUE_${count}`]: `AUTHORIZATION: basic ${basic}`,
    GIT_CONFIG_COUNT: String(count + 1),
  };
}

/** `git ls-remote --tags`: tag name → {raw object, peeled commit}. */
async function remoteTags(context: GitContext): Promise<Map<string, { raw: string; commit: string }>> {
  const tags = new Map<string, { raw: string; commit: string }>();
  const output = await git(context, ['ls-remote', '--tags', context.remote]);
  for (const line of output.split('\n')) {
    const match = /^([0-9a-f]+)\trefs\/tags\/(.+?)(\^\{\})?$/.exec(line);
    if (!match) continue;
    const [, sha, name, peeled] = match;
    const entry = tags.get(name) ?? { raw: sha, commit: sha };
    if (peeled) entry.commit = sha;
    else entry.raw = sha;
    tags.set(name, entry);
  }
  return tags;
}

export interface PublishOptions {
  /** Folder holding the release tree (from collectTree). */
  treeDir: string;
  /** Git remote: URL or path (a local bare repository works). */
  remote: string;
  /** X.Y.Z (a semver pre-release such as 1.0.0-rc.1 is tagged but does not move vX). */
  version: string;
  /** The commit the tree was built from: recorded in the message; a tag on it may be replaced. */
  source?: string;
  /** Commit date (any git date); default now. Same tree + same date → same commit. */
  date?: string;
  /** Token for an HTTP remote, sent as a header (never printed). */
  token?: string;
  /** The branch that follows the newest release (default `releases`). */
  branch?: string;
  log?: Log;
}

export interface PublishResult {
  tag: string;
  commit: string;
  /** created: new tag; replaced-source: replaced the tag on the source commit; unchanged: already there. */
  tagAction: 'created' | 'replaced-source' | 'unchanged';
  majorTag: string | null;
  majorAction: 'moved' | 'unchanged' | 'kept' | 'none';
  branch: string;
  /** created: the repository had no such branch; kept: it stays on a newer release. */
  branchAction: 'created' | 'moved' | 'unchanged' | 'kept';
}

export const RELEASES_BRANCH = 'releases';

const IDENTITY = { name: 'forge-actions release', email: 'release@forge-actions.invalid' };

export function parseReleaseVersion(version: string): { tag: string; major: string | null } {
  if (!semver.valid(version) || version.startsWith('v') || semver.clean(version) !== version) {
    throw new Error(`version '${version}' must be a semantic version X.Y.Z without a leading v`);
  }
  return { tag: `v${version}`, major: semver.prerelease(version) ? null : `v${semver.major(version)}` };
}

/** Commits the tree as an orphan commit in a scratch repository; returns commit and tree ids. */
async function commitTree(
  context: GitContext,
  options: PublishOptions,
  tag: string,
): Promise<{ commit: string; tree: string }> {
  await git(context, ['init', '-q', '--bare', context.cwd]);
  const index = { ...context, env: { ...context.env, GIT_INDEX_FILE: join(context.cwd, 'release-index') } };
  await git(index, ['--work-tree', resolve(options.treeDir), 'add', '-A', '-f', '.']);
  const tree = await git(index, ['write-tree']);
  const message = options.source
    ? `Release ${tag}\n\nRelease tree built from ${options.source}.`
    : `Release ${tag}`;
  const commit = await git(index, ['commit-tree', tree, '-m', message]);
  return { commit, tree };
}

/** `git ls-remote --heads`: branch name → commit. */
async function remoteHeads(context: GitContext): Promise<Map<string, string>> {
  const heads = new Map<string, string>();
  const output = await git(context, ['ls-remote', '--heads', context.remote]);
  for (const line of output.split('\n')) {
    const match = /^([0-9a-f]+)\trefs\/heads\/(.+)$/.exec(line);
    if (match) heads.set(match[2], match[1]);
  }
  return heads;
}

/**
 * A local bare repository whose HEAD names no existing branch gets HEAD pointed at `branch`, as a forge
 * makes the first pushed branch of an empty repository its default. Remote URLs are left to the forge.
 */
async function defaultToBranch(context: GitContext, branch: string, log: Log): Promise<void> {
  if (!existsSync(context.remote)) return;
  const local = { ...context, env: { ...context.env, GIT_DIR: resolve(context.remote) } };
  const head = await git(local, ['symbolic-ref', 'HEAD']).catch(() => '');
  const resolves =
    head !== '' && (await git(local, ['rev-parse', '--verify', '-q', head]).catch(() => '')) !== '';
  if (resolves) return;
  await git(local, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  log(`made ${branch} the default branch of ${context.remote}`);
}

/** Highest stable vX.Y.Z already on the remote (for one major, or any), which the moving refs never go back from. */
function highestStable(tags: Iterable<string>, major?: number): string | null {
  let highest: string | null = null;
  for (const name of tags) {
    const version = /^v(\d+\.\d+\.\d+)$/.exec(name)?.[1];
    if (!version || (major !== undefined && semver.major(version) !== major)) continue;
    if (!highest || semver.gt(version, highest)) highest = version;
  }
  return highest;
}

/** Publishes a release tree as tag vX.Y.Z and moves vX. Idempotent for the same tree. */
export async function publishTree(options: PublishOptions): Promise<PublishResult> {
  const log = options.log ?? (() => {});
  const { tag, major } = parseReleaseVersion(options.version);
  if (!existsSync(options.treeDir)) throw new Error(`release tree ${options.treeDir} does not exist`);
  const scratch = mkdtempSync(join(tmpdir(), 'release-tree-git-'));
  const date = options.date ?? new Date().toISOString();
  const context: GitContext = {
    cwd: scratch,
    remote: options.remote,
    secrets: options.token
      ? [options.token, Buffer.from(`x-access-token:${options.token}`).toString('base64')]
      : [],
    env: {
      ...process.env,
      ...(options.token ? tokenGitEnv(options.token) : {}),
      GIT_DIR: scratch,
      GIT_AUTHOR_NAME: IDENTITY.name,
      GIT_AUTHOR_EMAIL: IDENTITY.email,
      GIT_COMMITTER_NAME: IDENTITY.name,
      GIT_COMMITTER_EMAIL: IDENTITY.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_TERMINAL_PROMPT: '0',
    },
  };
  try {
    let { commit, tree } = await commitTree(context, options, tag);
    const tags = await remoteTags(context);
    const existing = tags.get(tag);
    let tagAction: PublishResult['tagAction'] = 'created';
    if (existing && options.source && existing.commit === options.source) {
      tagAction = 'replaced-source';
    } else if (existing) {
      await git(context, ['fetch', '-q', '--no-tags', context.remote, `refs/tags/${tag}`]);
      const existingTree = await git(context, ['rev-parse', 'FETCH_HEAD^{tree}']);
      if (existingTree !== tree) {
        throw new Error(
          `${tag} already exists on ${redactRemote(options.remote)} at ${existing.commit} with different content; ` +
            'a released tag is never moved: publish a new version',
        );
      }
      commit = existing.commit;
      tagAction = 'unchanged';
    }

    const refspecs: string[] = [];
    const leases: string[] = [];
    if (tagAction !== 'unchanged') {
      refspecs.push(`${commit}:refs/tags/${tag}`);
      leases.push(`--force-with-lease=refs/tags/${tag}:${existing?.raw ?? ''}`);
    }
    let majorAction: PublishResult['majorAction'] = 'none';
    if (major) {
      const current = tags.get(major);
      const highest = highestStable(tags.keys(), semver.major(options.version));
      if (current?.commit === commit) majorAction = 'unchanged';
      else if (highest && semver.gt(highest, options.version)) majorAction = 'kept';
      else {
        majorAction = 'moved';
        refspecs.push(`${commit}:refs/tags/${major}`);
        leases.push(`--force-with-lease=refs/tags/${major}:${current?.raw ?? ''}`);
      }
    }
    const branch = options.branch ?? RELEASES_BRANCH;
    const heads = await remoteHeads(context);
    const head = heads.get(branch);
    const newest = highestStable(tags.keys());
    let branchAction: PublishResult['branchAction'];
    if (head === commit) branchAction = 'unchanged';
    else if (head && (major === null || (newest && semver.gt(newest, options.version))))
      branchAction = 'kept';
    else {
      branchAction = head ? 'moved' : 'created';
      refspecs.push(`+${commit}:refs/heads/${branch}`);
      leases.push(`--force-with-lease=refs/heads/${branch}:${head ?? ''}`);
    }
    if (refspecs.length > 0)
      await git(context, ['push', '-q', '--atomic', ...leases, context.remote, ...refspecs]);
    await defaultToBranch(context, branch, log);

    const where = redactRemote(options.remote);
    const tagLine = {
      created: `published ${tag} → ${commit} on ${where}`,
      'replaced-source': `published ${tag} → ${commit} on ${where} (replaced the tag on source ${options.source})`,
      unchanged: `${tag} already published at ${commit} with the same tree; nothing to do`,
    }[tagAction];
    log(tagLine);
    if (major) {
      log(
        {
          moved: `moved ${major} → ${commit}`,
          unchanged: `${major} already points at ${tag}`,
          kept: `${major} kept on a newer release (higher than ${options.version})`,
          none: '',
        }[majorAction],
      );
    } else log(`${tag} is a pre-release: major tag not moved`);
    log(
      {
        created: `created branch ${branch} → ${commit}`,
        moved: `moved branch ${branch} → ${commit}`,
        unchanged: `branch ${branch} already points at ${tag}`,
        kept: `branch ${branch} kept on a newer release`,
      }[branchAction],
    );
    return { tag, commit, tagAction, majorTag: major, majorAction, branch, branchAction };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// CLI

function sourceCommit(root: string, given: string | undefined): { sha?: string; date?: string } {
  try {
    const ref = given ?? 'HEAD';
    const out = execFileSync('git', ['-C', root, 'log', '-1', '--format=%H %cI', ref], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const [sha, date] = out.split(' ');
    return { sha, date };
  } catch {
    if (given) return { sha: given };
    return {};
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      version: { type: 'string' },
      out: { type: 'string' },
      tree: { type: 'string' },
      remote: { type: 'string' },
      repository: { type: 'string' },
      source: { type: 'string' },
      'token-env': { type: 'string', default: 'RELEASE_TOKEN' },
    },
  });
  const command = positionals[0];
  if (command !== 'build' && command !== 'publish') {
    throw new Error('usage: release-tree build|publish --version X.Y.Z [--remote URL] [--out DIR]');
  }
  if (!values.version) throw new Error(`Option '--version' is required (X.Y.Z)`);
  const { tag } = parseReleaseVersion(values.version);
  const repository = values.repository ?? (process.env.GITHUB_REPOSITORY || undefined);

  if (command === 'build') {
    const out = resolve(values.out ?? join(REPO_ROOT, '.cache', 'release-tree'));
    if (!values.out) rmSync(out, { recursive: true, force: true });
    const tree = collectTree({ out, tag, repository });
    console.log(
      `release tree for ${tag}: ${tree.files.length} files in ${relative(process.cwd(), out) || '.'}`,
    );
    return;
  }

  if (!values.remote) throw new Error(`Option '--remote' is required (git URL or path)`);
  const tokenEnv = values['token-env'];
  const token = process.env[tokenEnv] || undefined;
  let treeDir = values.tree;
  let scratch: string | undefined;
  if (!treeDir) {
    scratch = mkdtempSync(join(tmpdir(), 'release-tree-'));
    treeDir = join(scratch, 'tree');
    const tree = collectTree({ out: treeDir, tag, repository });
    console.log(`release tree for ${tag}: ${tree.actions.length} actions, ${tree.files.length} files`);
  }
  try {
    const source = sourceCommit(REPO_ROOT, values.source);
    await publishTree({
      treeDir,
      remote: values.remote,
      version: values.version,
      source: source.sha,
      date: process.env.SOURCE_DATE_EPOCH ? `@${process.env.SOURCE_DATE_EPOCH}` : source.date,
      token,
      log: (line) => console.log(line),
    });
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`release-tree: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
