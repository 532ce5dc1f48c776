import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError, InputError, type Logger } from '@forge-actions/action-kit/errors';
import { describe, expect, test } from '@jest/globals';
import { type GitReader, systemGit } from '../src/git.js';
import { compilePrereleasePattern, type ResolveOptions, resolveVersion, tagPrefix } from '../src/resolve.js';

function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'version-resolve-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A git reader that answers with fixed tags (or a reason to skip) and records the patterns asked. */
function fakeGit(answer: string[] | string): GitReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async tagsOnHead(pattern) {
      asked.push(pattern);
      return typeof answer === 'string' ? { skipped: answer } : { tags: answer };
    },
  };
}

const untouchable: GitReader = {
  tagsOnHead() {
    throw new Error('git must not be asked');
  },
};

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
  };
}

const TAG_ENV = { GITHUB_REF_TYPE: 'tag', GITHUB_REF: 'refs/tags/v3.0.0', GITHUB_REF_NAME: 'v3.0.0' };
const PYPROJECT = '[project]\nname = "demo"\nversion = "4.0.0"\n';

async function resolveIn(options: ResolveOptions) {
  return resolveVersion({ env: {}, git: fakeGit([]), cwd: workspace(), ...options });
}

describe('the chain, link by link', () => {
  test('the version input wins over tag, ref and file', async () => {
    const r = await resolveIn({
      version: 'v0.3.0-alpha.1',
      git: fakeGit(['v2.0.0']),
      env: TAG_ENV,
      cwd: workspace({ 'pyproject.toml': PYPROJECT }),
    });
    expect(r).toMatchObject({ source: 'input', raw: 'v0.3.0-alpha.1', pep440: '0.3.0a1', prerelease: true });
    expect(r.dockerTags).toEqual(['0.3.0-alpha.1']);
  });

  test('an exact tag on HEAD comes next; of several, the highest version', async () => {
    const git = fakeGit(['v1.10.0', 'v1.10.0-rc.2', 'v1.9.0', 'nightly']);
    const log = recorder();
    const r = await resolveIn({ git, env: TAG_ENV, cwd: workspace({ 'pyproject.toml': PYPROJECT }), log });
    expect(r).toMatchObject({ source: 'tag', origin: 'v1.10.0', clean: '1.10.0', prerelease: false });
    expect(r.dockerTags).toEqual(['1.10.0', 'latest']);
    expect(git.asked).toEqual(['v*']);
    expect(log.lines).toContain(
      'info: Version from the tag on HEAD: v1.10.0 (of v1.10.0, v1.10.0-rc.2, v1.9.0, nightly)',
    );
  });

  test('a label tag counts only when no tag on HEAD is a version', async () => {
    const r = await resolveIn({ git: fakeGit(['nightly']), tagPattern: '*' });
    expect(r).toMatchObject({
      source: 'tag',
      raw: 'nightly',
      pep440: '0.0.0.dev0',
      kind: 'label',
      prerelease: true,
    });
    expect(r.warning).toBe("'nightly' is a label, not a PEP 440 version; using 0.0.0.dev0");
    expect(r.dockerTags).toEqual(['nightly']);
  });

  test('the tag ref comes next when git has no tag on HEAD', async () => {
    const r = await resolveIn({ git: fakeGit('not a git repository'), env: TAG_ENV });
    expect(r).toMatchObject({ source: 'ref', origin: 'GITHUB_REF_NAME', raw: 'v3.0.0', pep440: '3.0.0' });
  });

  test.each([
    [
      { GITEA_REF_TYPE: 'tag', GITEA_REF_NAME: 'v3.1.0', GITHUB_REF_NAME: 'v9.9.9' },
      'v3.1.0',
      'GITEA_REF_NAME',
    ],
    [{ GITHUB_REF: 'refs/tags/v3.2.0', GITHUB_REF_NAME: 'v3.2.0' }, 'v3.2.0', 'GITHUB_REF_NAME'],
    [{ GITHUB_REF: 'refs/tags/v3.3.0' }, 'v3.3.0', 'GITHUB_REF'],
    [{ GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'nightly' }, 'nightly', 'GITHUB_REF_NAME'],
  ])('tag ref from %j', async (env, raw, origin) => {
    expect(await resolveIn({ env })).toMatchObject({ source: 'ref', raw, origin });
  });

  test('a branch ref is not a version', async () => {
    const env = { GITHUB_REF_TYPE: 'branch', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' };
    expect(await resolveIn({ env })).toMatchObject({ source: 'default', raw: '0.0.0' });
  });

  test.each([
    ['pyproject.toml', PYPROJECT, '4.0.0'],
    ['package.json', '{"name": "x", "version": "5.0.0-beta.1"}', '5.0.0-beta.1'],
    ['src/demo/__init__.py', '__version__ = "6.0.0rc1"\n', '6.0.0rc1'],
  ])('the source file %s comes next', async (file, text, raw) => {
    const r = await resolveIn({
      sourceFile: file,
      sourceFileExplicit: file !== 'pyproject.toml',
      cwd: workspace({ [file]: text }),
    });
    expect(r).toMatchObject({ source: 'file', origin: file, raw });
  });

  test('a PEP 440 version from a file gets its semver spelling', async () => {
    const r = await resolveIn({ cwd: workspace({ 'pyproject.toml': '[project]\nversion = "1.2.0rc1"\n' }) });
    expect(r).toMatchObject({ source: 'file', pep440: '1.2.0rc1', semver: '1.2.0-rc.1', prerelease: true });
  });

  test('0.0.0 last, and a defaulted version never moves latest', async () => {
    const r = await resolveIn({});
    expect(r).toMatchObject({
      source: 'default',
      raw: '0.0.0',
      pep440: '0.0.0',
      semver: '0.0.0',
      prerelease: false,
    });
    expect(r.dockerTags).toEqual(['0.0.0']);
  });

  test('a default pyproject.toml without a version falls through', async () => {
    const r = await resolveIn({ cwd: workspace({ 'pyproject.toml': '[tool.ruff]\nline-length = 100\n' }) });
    expect(r.source).toBe('default');
  });
});

describe('tag patterns', () => {
  test('the literal prefix of the pattern is dropped from the version', async () => {
    const git = fakeGit(['app-v1.4.0']);
    const r = await resolveIn({ git, tagPattern: 'app-v*' });
    expect(git.asked).toEqual(['app-v*']);
    expect(r).toMatchObject({ raw: 'app-v1.4.0', clean: '1.4.0', pep440: '1.4.0', semver: '1.4.0' });
  });

  test.each([
    ['v*', ''],
    ['app-v*', 'app-'],
    ['release/*', 'release/'],
    ['[0-9]*', ''],
    ['*', ''],
    ['dev*', 'dev'],
    ['app_v*', 'app_'],
  ])('prefix of %s is %j', (pattern, prefix) => {
    expect(tagPrefix(pattern)).toBe(prefix);
  });
});

describe('bad input fails before anything else', () => {
  const rejects = async (options: ResolveOptions, type: new (...args: never[]) => Error, message: string) => {
    const error = await resolveVersion({ env: TAG_ENV, git: untouchable, cwd: workspace(), ...options }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(message);
  };

  test('an unparsable version input', async () => {
    await rejects(
      { version: '1.2.3.4.x!' },
      InputError,
      "Input 'version' '1.2.3.4.x!' is not a version (expected e.g. 1.2.3, v1.2.3-rc.1, 1.2.3rc1, or a label such as nightly)",
    );
  });

  test('a source file named explicitly that does not exist, even when the version input is set', async () => {
    await rejects(
      { version: '1.0.0', sourceFile: 'server/pyproject.toml', sourceFileExplicit: true },
      InputError,
      "Input 'source-file' names 'server/pyproject.toml', which does not exist",
    );
  });

  test('a source file of an unknown kind', async () => {
    await rejects(
      { sourceFile: 'VERSION', sourceFileExplicit: true },
      InputError,
      "Input 'source-file' must be a pyproject.toml, a package.json or a .py file (got 'VERSION')",
    );
  });

  test('a label as version input is no error', async () => {
    const r = await resolveVersion({ version: 'nightly', git: untouchable, env: {}, cwd: workspace() });
    expect(r).toMatchObject({ source: 'input', pep440: '0.0.0.dev0', kind: 'label' });
  });

  test('an invalid pre-release pattern', () => {
    expect(() => compilePrereleasePattern('(alpha')).toThrow(InputError);
    expect(() => compilePrereleasePattern('(alpha')).toThrow(
      /^Input 'prerelease-pattern' is not a valid regular expression: /,
    );
    expect(compilePrereleasePattern('')).toBeUndefined();
    expect(compilePrereleasePattern('(alpha|beta|rc)')?.test('1.0.0-RC.1')).toBe(true);
  });
});

describe('source files that cannot answer', () => {
  test('an explicit file without a version', async () => {
    const cwd = workspace({ 'package.json': '{"name": "x"}' });
    await expect(resolveIn({ cwd, sourceFile: 'package.json', sourceFileExplicit: true })).rejects.toThrow(
      new ActionError('package.json holds no version; set the version input or another source-file'),
    );
  });

  test('a dynamic version in a file the user named fails, naming the file', async () => {
    const cwd = workspace({ 'pyproject.toml': '[project]\nname = "x"\ndynamic = ["version"]\n' });
    const attempt = resolveIn({ cwd, sourceFileExplicit: true });
    await expect(attempt).rejects.toThrow(
      'pyproject.toml declares its version dynamic ([project].dynamic) and states none; set the version input or another source-file',
    );
  });

  test('a dynamic version in the default file falls back to 0.0.0 with a warning (branch builds)', async () => {
    const cwd = workspace({ 'pyproject.toml': '[project]\nname = "x"\ndynamic = ["version"]\n' });
    const result = await resolveIn({ cwd });
    expect(result.source).toBe('default');
    expect(result.pep440).toBe('0.0.0');
  });
});

describe('systemGit on real repositories', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd,
      stdio: 'pipe',
    });

  test('lists the matching tags on HEAD only', async () => {
    const dir = workspace({ 'README.md': 'x\n' });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'one');
    git(dir, 'tag', 'v0.9.0');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'two');
    git(dir, 'tag', 'v1.0.0');
    git(dir, 'tag', '-a', '-m', 'annotated', 'v1.0.0-rc.1');
    git(dir, 'tag', 'other');
    expect(await systemGit.tagsOnHead('v*', dir)).toEqual({ tags: ['v1.0.0', 'v1.0.0-rc.1'] });
  });

  test('a folder that is not a repository, and a repository without commits, are skipped', async () => {
    const plain = workspace();
    const outside = await systemGit.tagsOnHead('v*', plain);
    expect(outside).toEqual({ skipped: expect.stringContaining('not a git repository') });
    const empty = workspace();
    git(empty, 'init', '-q');
    expect(await systemGit.tagsOnHead('v*', empty)).toEqual({ skipped: expect.any(String) });
  });
});
