import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GIT_ENV, git } from '@forge-actions/testing/git';
import { REPO_ROOT, runAction } from '@forge-actions/testing/run-action';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { collectTree, publishTree, redactRemote, rewriteCompositeUses } from '../../scripts/release-tree.js';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** The commit a remote branch points at, or undefined. */
function remoteBranch(remote: string, branch: string): string | undefined {
  const line = git(tmpdir(), 'ls-remote', '--heads', remote, branch);
  return line ? line.split('\t')[0] : undefined;
}

/** Remote tags as `name → peeled commit`. */
function remoteTags(remote: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const line of git(tmpdir(), 'ls-remote', '--tags', remote).split('\n').filter(Boolean)) {
    const [sha, ref] = line.split('\t');
    tags[ref.replace('refs/tags/', '').replace('^{}', '')] = sha;
  }
  return tags;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'release-tree-test-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('publishing the release tree to a bare repository', () => {
  let remote: string;
  let tree: string;
  const published: Record<string, string> = {};

  beforeAll(() => {
    remote = join(work, 'remote.git');
    git(work, 'init', '-q', '--bare', remote);
    tree = join(work, 'tree-1.1.0');
    collectTree({ out: tree, tag: 'v1.1.0', repository: 'your-org/actions' });
  });

  test('the CLI publishes 1.0.0 and v1 resolves to a runnable resolve-version', async () => {
    const cli = spawnSync(
      TSX,
      [
        join(REPO_ROOT, 'scripts', 'release-tree.ts'),
        'publish',
        '--version',
        '1.0.0',
        '--remote',
        remote,
        '--repository',
        'your-org/actions',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/published v1\.0\.0 → [0-9a-f]{40}/);
    expect(cli.stdout).toMatch(/moved v1 → /);

    const tags = remoteTags(remote);
    expect(tags.v1).toBe(tags['v1.0.0']);
    published['v1.0.0'] = tags['v1.0.0'];
    expect(cli.stdout).toContain(`created branch releases → ${tags['v1.0.0']}`);
    expect(remoteBranch(remote, 'releases')).toBe(tags['v1.0.0']);

    // A repository holding only tags is empty to Gitea's runner, which clones the default branch first.
    const plain = join(work, 'clone-default');
    const cloned = spawnSync('git', ['clone', remote, plain], { encoding: 'utf8', env: GIT_ENV });
    expect(cloned.stderr).not.toMatch(/empty repository|remote HEAD refers to nonexistent ref/);
    expect(git(plain, 'rev-parse', 'HEAD')).toBe(tags['v1.0.0']);
    expect(git(plain, 'rev-parse', 'v1^{commit}')).toBe(tags.v1);

    const clone = join(work, 'clone-v1');
    git(work, '-c', 'advice.detachedHead=false', 'clone', '-q', '--branch', 'v1', remote, clone);
    // An orphan commit: the tag carries the bundles, not main's history or sources.
    expect(git(clone, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(existsSync(join(clone, 'package.json'))).toBe(false);
    expect(existsSync(join(clone, 'resolve-version', 'src'))).toBe(false);
    expect(existsSync(join(clone, 'action-docs', 'resolve-version.md'))).toBe(true);

    const actionYml = join(clone, 'resolve-version', 'action.yml');
    expect(existsSync(actionYml)).toBe(true);
    const meta = parse(readFileSync(actionYml, 'utf8')) as { runs: { main: string } };
    const entry = join(clone, 'resolve-version', meta.runs.main);
    expect(existsSync(entry)).toBe(true);

    const run = await runAction('resolve-version', { entry, inputs: { version: 'v1.0.0' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      version: 'v1.0.0',
      'version-clean': '1.0.0',
      semver: '1.0.0',
      pep440: '1.0.0',
      prerelease: 'false',
      source: 'input',
    });
  });

  test('publishing 1.1.0 moves v1 and leaves v1.0.0 where it was', async () => {
    const lines: string[] = [];
    const result = await publishTree({
      treeDir: tree,
      remote,
      version: '1.1.0',
      log: (line) => lines.push(line),
    });
    expect(result).toMatchObject({
      tag: 'v1.1.0',
      tagAction: 'created',
      majorTag: 'v1',
      majorAction: 'moved',
    });

    const tags = remoteTags(remote);
    expect(tags['v1.1.0']).toBe(result.commit);
    expect(tags.v1).toBe(result.commit);
    expect(tags['v1.0.0']).toBe(published['v1.0.0']);
    expect(tags['v1.0.0']).not.toBe(result.commit);
    expect(lines).toEqual([
      `published v1.1.0 → ${result.commit} on ${remote}`,
      `moved v1 → ${result.commit}`,
      `moved branch releases → ${result.commit}`,
    ]);
    expect(remoteBranch(remote, 'releases')).toBe(result.commit);
    published['v1.1.0'] = result.commit;
  });

  test('publishing 1.1.0 again is a successful no-op', async () => {
    const before = remoteTags(remote);
    const result = await publishTree({ treeDir: tree, remote, version: '1.1.0' });
    expect(result).toMatchObject({
      tagAction: 'unchanged',
      majorAction: 'unchanged',
      branchAction: 'unchanged',
      commit: before['v1.1.0'],
    });
    expect(remoteTags(remote)).toEqual(before);
  });

  test('a different tree for an existing version is refused and nothing moves', async () => {
    const changed = join(work, 'tree-changed');
    cpSync(tree, changed, { recursive: true });
    writeFileSync(join(changed, 'README.md'), 'something else\n');
    const before = remoteTags(remote);
    await expect(publishTree({ treeDir: changed, remote, version: '1.1.0' })).rejects.toThrow(
      /^v1\.1\.0 already exists on .* with different content; a released tag is never moved/,
    );
    expect(remoteTags(remote)).toEqual(before);
  });

  test('a patch of an older line is tagged but v1 stays on the newest release', async () => {
    const result = await publishTree({ treeDir: tree, remote, version: '1.0.1' });
    expect(result).toMatchObject({ tagAction: 'created', majorAction: 'kept', branchAction: 'kept' });
    expect(remoteTags(remote).v1).toBe(published['v1.1.0']);
    expect(remoteBranch(remote, 'releases')).toBe(published['v1.1.0']);
  });

  test('a pre-release gets its tag and moves no major tag', async () => {
    const result = await publishTree({ treeDir: tree, remote, version: '2.0.0-rc.1' });
    expect(result).toMatchObject({
      tag: 'v2.0.0-rc.1',
      majorTag: null,
      majorAction: 'none',
      branchAction: 'kept',
    });
    const tags = remoteTags(remote);
    expect(tags['v2.0.0-rc.1']).toBe(result.commit);
    expect(tags.v2).toBeUndefined();
    expect(remoteBranch(remote, 'releases')).toBe(published['v1.1.0']);
  });

  test('a first release that is a pre-release still gives an empty repository its branch', async () => {
    const empty = join(work, 'empty.git');
    git(work, 'init', '-q', '--bare', empty);
    const result = await publishTree({ treeDir: tree, remote: empty, version: '0.1.0-rc.1' });
    expect(result).toMatchObject({ branch: 'releases', branchAction: 'created', majorAction: 'none' });
    expect(git(empty, 'symbolic-ref', 'HEAD')).toBe('refs/heads/releases');
    expect(remoteBranch(empty, 'releases')).toBe(result.commit);
  });

  test('the tag push that triggered the release (on the source commit) is replaced by the release', async () => {
    const source = join(work, 'source');
    git(work, 'init', '-q', source);
    writeFileSync(join(source, 'package.json'), '{}\n');
    git(source, 'add', 'package.json');
    git(source, 'commit', '-q', '-m', 'source');
    git(source, 'tag', '-a', 'v1.2.0', '-m', 'v1.2.0');
    git(source, 'push', '-q', remote, 'refs/tags/v1.2.0');
    const sourceSha = git(source, 'rev-parse', 'HEAD');
    expect(remoteTags(remote)['v1.2.0']).toBe(sourceSha);

    const result = await publishTree({ treeDir: tree, remote, version: '1.2.0', source: sourceSha });
    expect(result).toMatchObject({ tagAction: 'replaced-source', majorAction: 'moved' });
    const tags = remoteTags(remote);
    expect(tags['v1.2.0']).toBe(result.commit);
    expect(tags.v1).toBe(result.commit);

    // Without the source commit, the same tag pointing at a non-release commit would be refused.
    git(source, 'tag', '-a', 'v1.3.0', '-m', 'v1.3.0');
    git(source, 'push', '-q', remote, 'refs/tags/v1.3.0');
    await expect(publishTree({ treeDir: tree, remote, version: '1.3.0' })).rejects.toThrow(/already exists/);
  });

  test('a malformed version fails before anything is pushed', async () => {
    const before = remoteTags(remote);
    for (const version of ['v1.4.0', '1.4', 'latest', ' 1.4.0']) {
      await expect(publishTree({ treeDir: tree, remote, version })).rejects.toThrow(
        `version '${version}' must be a semantic version X.Y.Z without a leading v`,
      );
    }
    expect(remoteTags(remote)).toEqual(before);
  });
});

describe('credentials', () => {
  test('remotes are printed without user-info', () => {
    expect(redactRemote('https://user:s3cret@git.example.com/org/actions.git')).toBe(
      'https://***@git.example.com/org/actions.git',
    );
    expect(redactRemote('/tmp/remote.git')).toBe('/tmp/remote.git');
  });

  test('the token reaches the server as a header, and never appears in errors or in the URL', async () => {
    const tree = join(work, 'tiny-tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'README.md'), 'x\n');
    // A real HTTP server on 127.0.0.1 standing in for the forge's git endpoint: it records what git
    // sends and answers 403, so publishing fails at ls-remote.
    const seen: { url?: string; authorization?: string }[] = [];
    const server = createServer((request, response) => {
      seen.push({ url: request.url, authorization: request.headers.authorization });
      response.writeHead(403, { 'content-type': 'text/plain' }).end('denied\n');
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as AddressInfo;
    let message = '';
    try {
      await publishTree({
        treeDir: tree,
        remote: `http://someone:url-secret-123@127.0.0.1:${port}/org/actions.git`,
        version: '1.0.0',
        token: 'token-secret-456',
      });
    } catch (error) {
      message = (error as Error).message;
    } finally {
      server.close();
    }
    const basic = Buffer.from('x-access-token:token-secret-456').toString('base64');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0].url).toMatch(/^\/org\/actions\.git\/info\/refs\?service=git-upload-pack/);
    expect(seen[0].authorization).toBe(`basic ${basic}`);
    expect(message).toMatch(/^git ls-remote failed: /);
    for (const secret of ['url-secret-123', 'token-secret-456', basic]) expect(message).not.toContain(secret);
  });
});

describe('composite actions', () => {
  const composite = [
    'name: Publish release',
    'description: create-release then upload-asset-dedup',
    'runs:',
    '  using: composite',
    '  steps:',
    '    # Create (or reuse) the release.',
    '    - id: create',
    '      uses: ./actions/create-release',
    '      with:',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a JS template
    '        tag: ${{ inputs.tag }}',
    "    - uses: './actions/upload-asset-dedup/'  # quoted, trailing slash",
    '      with:',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a JS template
    '        release-id: ${{ steps.create.outputs.release-id }}',
    '    - uses: actions/cache@v4',
    '    - run: echo done',
    '      shell: bash',
    '',
  ].join('\n');
  const siblings = ['create-release', 'upload-asset-dedup', 'publish-release'];

  test('sibling uses are pinned to the exact tag, everything else is kept byte for byte', () => {
    const rewritten = rewriteCompositeUses(composite, { repository: 'org/actions', tag: 'v1.2.0', siblings });
    expect(rewritten).toBe(
      composite
        .replace('uses: ./actions/create-release', 'uses: org/actions/create-release@v1.2.0')
        .replace("uses: './actions/upload-asset-dedup/'", 'uses: org/actions/upload-asset-dedup@v1.2.0'),
    );
  });

  test('a local path that is not a sibling action is an error naming the file and step', () => {
    const bad = composite.replace('./actions/create-release', './scripts/create');
    expect(() =>
      rewriteCompositeUses(bad, { repository: 'org/actions', tag: 'v1.2.0', siblings, file: 'x/action.yml' }),
    ).toThrow("x/action.yml: step 1 uses './scripts/create', which is not a sibling action");
    const unknown = composite.replace('./actions/create-release', './actions/nope');
    expect(() =>
      rewriteCompositeUses(unknown, { repository: 'org/actions', tag: 'v1.2.0', siblings }),
    ).toThrow(/step 1 uses '\.\/actions\/nope'/);
  });

  test('collectTree rewrites a composite, copies bundles, and needs the repository', () => {
    const root = join(work, 'fake-repo');
    for (const name of ['create-release', 'upload-asset-dedup']) {
      mkdirSync(join(root, 'actions', name, 'dist'), { recursive: true });
      mkdirSync(join(root, 'actions', name, 'src'), { recursive: true });
      writeFileSync(
        join(root, 'actions', name, 'action.yml'),
        `name: ${name}\nruns:\n  using: node20\n  main: dist/index.js\n`,
      );
      writeFileSync(join(root, 'actions', name, 'dist', 'index.js'), '');
      writeFileSync(join(root, 'actions', name, 'src', 'main.ts'), '');
      writeFileSync(join(root, 'actions', name, 'package.json'), '{}');
    }
    mkdirSync(join(root, 'actions', 'publish-release'));
    writeFileSync(join(root, 'actions', 'publish-release', 'action.yml'), composite);
    writeFileSync(join(root, 'actions', 'publish-release', 'package.json'), '{}');
    writeFileSync(join(root, 'actions', 'publish-release', 'helper.sh'), 'echo hi\n');
    writeFileSync(join(root, 'README.md'), '# actions\n');

    expect(() => collectTree({ root, out: join(work, 'out-no-repo'), tag: 'v1.2.0' })).toThrow(
      'composite action publish-release refers to its siblings: pass --repository owner/repo or set GITHUB_REPOSITORY',
    );
    const out = join(work, 'out');
    const collected = collectTree({ root, out, tag: 'v1.2.0', repository: 'org/actions' });
    expect(collected.actions).toEqual(siblings.slice().sort());
    expect(collected.files).toEqual([
      'README.md',
      'create-release/action.yml',
      'create-release/dist/index.js',
      'publish-release/action.yml',
      'publish-release/helper.sh',
      'upload-asset-dedup/action.yml',
      'upload-asset-dedup/dist/index.js',
    ]);
    expect(readFileSync(join(out, 'publish-release', 'action.yml'), 'utf8')).toContain(
      'uses: org/actions/create-release@v1.2.0',
    );

    rmSync(join(root, 'actions', 'create-release', 'dist'), { recursive: true });
    expect(() =>
      collectTree({ root, out: join(work, 'out-2'), tag: 'v1.2.0', repository: 'org/actions' }),
    ).toThrow('actions/create-release/dist is missing: run `npm run build` first');
    expect(() => collectTree({ root, out, tag: 'v1.2.0', repository: 'org/actions' })).toThrow(
      /must be empty/,
    );
  });
});
