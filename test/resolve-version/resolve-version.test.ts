// resolve-version as a runner runs it: the bundled dist/index.js, real temporary git repositories,
// real files, the runner's output, summary and annotation channels.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git } from '@forge-actions/testing/git';
import { REPO_ROOT, runAction } from '@forge-actions/testing/run-action';
import { describe, expect, test } from '@jest/globals';

/** A temporary folder with the given files. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'resolve-version-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A git repository with the files committed; `tags` are created on HEAD. */
function repository(files: Record<string, string>, tags: string[] = []): string {
  const dir = folder(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'initial');
  for (const tag of tags) git(dir, 'tag', tag);
  return dir;
}

const PYPROJECT = '[project]\nname = "demo"\nversion = "0.9.0"\n';

describe('the fallback chain', () => {
  test('input: every output, and the summary table', async () => {
    const cwd = repository({ 'pyproject.toml': PYPROJECT }, ['v5.0.0']);
    const r = await runAction('resolve-version', {
      cwd,
      inputs: { version: 'v0.3.0-alpha.1' },
      env: { GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v6.0.0' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({
      version: 'v0.3.0-alpha.1',
      'version-clean': '0.3.0-alpha.1',
      pep440: '0.3.0a1',
      semver: '0.3.0-alpha.1',
      prerelease: 'true',
      source: 'input',
      'docker-tags': '0.3.0-alpha.1',
    });
    expect(r.summary).toContain('| output | value |');
    expect(r.summary).toContain('| pep440 | 0.3.0a1 |');
    expect(r.summary).toContain('| source | input |');
    expect(r.warnings).toEqual([]);
  });

  test('an input the action does not have (a typo) is named in a warning and ignored', async () => {
    const cwd = repository({ 'pyproject.toml': PYPROJECT });
    const r = await runAction('resolve-version', {
      cwd,
      inputs: { version: '1.2.3' },
      env: { INPUT_VERSOIN: '9.9.9' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs.version).toBe('1.2.3');
    expect(r.warnings).toEqual([
      "Unexpected input(s) 'versoin', ignored; valid inputs are version, tag-pattern, source-file, stamp, prerelease-pattern",
    ]);
  });

  test('tag: the highest of several version tags on HEAD, docker-tags on two lines', async () => {
    const cwd = repository({ 'pyproject.toml': PYPROJECT }, ['v1.3.0']);
    git(cwd, 'commit', '-q', '--allow-empty', '-m', 'release');
    // git lists v0.9.9 first; the highest version must win, not the first name.
    git(cwd, 'tag', 'v0.9.9');
    git(cwd, 'tag', 'v1.2.0-rc.1');
    git(cwd, 'tag', '-a', '-m', 'Release 1.2.0', 'v1.2.0');
    git(cwd, 'tag', 'not-a-version-tag');
    const r = await runAction('resolve-version', {
      cwd,
      env: { GITHUB_REF_TYPE: 'branch', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      version: 'v1.2.0',
      pep440: '1.2.0',
      prerelease: 'false',
      source: 'tag',
    });
    // Two lines: the harness reads them only from the runner's NAME<<DELIMITER form.
    expect(r.outputs['docker-tags']).toBe('1.2.0\nlatest');
    expect(r.summary).toContain('| docker-tags | 1.2.0, latest |');
  });

  test('tag: a custom tag pattern and its prefix', async () => {
    const cwd = repository({}, ['v9.9.9', 'app-v2.1.0-beta.3']);
    const r = await runAction('resolve-version', { cwd, inputs: { 'tag-pattern': 'app-v*' } });
    expect(r.outputs).toMatchObject({
      version: 'app-v2.1.0-beta.3',
      'version-clean': '2.1.0-beta.3',
      pep440: '2.1.0b3',
      source: 'tag',
    });
  });

  test('ref: GITHUB_REF_NAME when the ref is a tag and HEAD carries none', async () => {
    const cwd = repository({ 'pyproject.toml': PYPROJECT }, []);
    const r = await runAction('resolve-version', {
      cwd,
      env: { GITHUB_REF_TYPE: 'tag', GITHUB_REF: 'refs/tags/v2.0.0-rc.1', GITHUB_REF_NAME: 'v2.0.0-rc.1' },
    });
    expect(r.outputs).toMatchObject({
      version: 'v2.0.0-rc.1',
      pep440: '2.0.0rc1',
      prerelease: 'true',
      source: 'ref',
    });
    expect(r.outputs['docker-tags']).toBe('2.0.0-rc.1');
  });

  test('ref: GITEA_REF_NAME first, with only GITHUB_REF saying it is a tag', async () => {
    const r = await runAction('resolve-version', {
      env: { GITHUB_REF: 'refs/tags/v3.0.0', GITEA_REF_NAME: 'v3.0.0', GITHUB_REF_NAME: 'v3.0.0-ignored' },
    });
    expect(r.outputs).toMatchObject({ version: 'v3.0.0', source: 'ref', 'docker-tags': '3.0.0\nlatest' });
  });

  test('ref: a label tag such as nightly becomes 0.0.0.dev0 with a warning', async () => {
    const r = await runAction('resolve-version', {
      env: { GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'nightly' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      version: 'nightly',
      pep440: '0.0.0.dev0',
      semver: '0.0.0-dev.0',
      prerelease: 'true',
      source: 'ref',
      'docker-tags': 'nightly',
    });
    expect(r.warnings).toEqual(["'nightly' is a label, not a PEP 440 version; using 0.0.0.dev0"]);
  });

  test('file: the default pyproject.toml, PEP 440 in it, semver from it', async () => {
    const cwd = repository({ 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.2.0rc1"\n' });
    const r = await runAction('resolve-version', { cwd });
    expect(r.outputs).toMatchObject({
      version: '1.2.0rc1',
      pep440: '1.2.0rc1',
      semver: '1.2.0-rc.1',
      source: 'file',
    });
  });

  test('file: [tool.poetry] version', async () => {
    const cwd = folder({ 'pyproject.toml': '[tool.poetry]\nname = "demo"\nversion = "1.2"\n' });
    const r = await runAction('resolve-version', { cwd });
    expect(r.outputs).toMatchObject({ version: '1.2', semver: '1.2.0', source: 'file', prerelease: 'false' });
  });

  test.each([
    ['web/package.json', '{\n  "name": "web",\n  "version": "4.5.6"\n}\n', '4.5.6'],
    ['src/demo/__init__.py', '__version__ = "0.0.0-dev"\n', '0.0.0-dev'],
  ])('file: %s named as source-file', async (file, text, version) => {
    const r = await runAction('resolve-version', {
      cwd: folder({ [file]: text }),
      inputs: { 'source-file': file },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ version, source: 'file' });
  });

  test('default: 0.0.0 outside a git repository with no source file, and no latest tag', async () => {
    // The ceiling keeps git from finding a repository above the temporary folder.
    const r = await runAction('resolve-version', {
      cwd: folder(),
      env: { GIT_CEILING_DIRECTORIES: tmpdir() },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({
      version: '0.0.0',
      'version-clean': '0.0.0',
      pep440: '0.0.0',
      semver: '0.0.0',
      prerelease: 'false',
      source: 'default',
      'docker-tags': '0.0.0',
    });
    expect(r.stdout).toContain('No tag on HEAD (fatal: not a git repository');
    expect(r.warnings).toEqual([]);
  });

  test('a label as version input is no error', async () => {
    const r = await runAction('resolve-version', { inputs: { version: 'snapshot-2024' } });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      pep440: '0.0.0.dev0',
      source: 'input',
      'docker-tags': 'snapshot-2024',
    });
    expect(r.warnings).toEqual(["'snapshot-2024' is a label, not a PEP 440 version; using 0.0.0.dev0"]);
  });
});

// {V} marks the version value: the file has 0.1.0 there before, and after the stamp it must be byte
// for byte the same text with only that value replaced.
const STAMPED = {
  'pyproject.toml': [
    '# Demo project -- keep this comment',
    '[build-system]',
    'requires = ["setuptools>=61",   "wheel" ,]',
    '',
    '[project]',
    'name = "demo"   # aligned comment',
    "version = '{V}'  # stamped by CI",
    'dependencies = [',
    '  "requests>=2",',
    ']',
    '[ tool . black ]',
    'line-length=100',
    '',
  ].join('\n'),
  'poetry/pyproject.toml':
    '[tool.poetry]\nname = "demo"\nversion   =   "{V}"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n',
  'crlf/pyproject.toml': '[project]\r\nname = "demo"\r\nversion = "{V}"\r\n# trailing\r\n',
  'web/package.json': '{\r\n    "name": "web",\r\n    "version": "{V}",\r\n    "private": true\r\n}',
};

describe('stamp', () => {
  test('writes the version into each file and changes no other byte', async () => {
    const files = Object.fromEntries(
      Object.entries(STAMPED).map(([f, t]) => [f, t.replaceAll('{V}', '0.1.0')]),
    );
    const cwd = repository(files, ['v2.0.0-rc.1']);
    const r = await runAction('resolve-version', { cwd, inputs: { stamp: Object.keys(STAMPED).join('\n') } });
    expect(r.code).toBe(0);
    for (const [file, template] of Object.entries(STAMPED)) {
      // pyproject.toml gets PEP 440; package.json semver, the only spelling npm accepts.
      const value = file.endsWith('package.json') ? '2.0.0-rc.1' : '2.0.0rc1';
      const expected = Buffer.from(template.replaceAll('{V}', value));
      expect([file, readFileSync(join(cwd, file)).equals(expected)]).toEqual([file, true]);
    }
    expect(git(cwd, 'diff', '--stat').trim().split('\n')).toHaveLength(5);
    expect(r.summary).toContain('| stamped crlf/pyproject.toml | 2.0.0rc1 |');
    expect(r.stdout).toContain('web/package.json version: 0.1.0 → 2.0.0-rc.1');
  });
});

describe('bad input: one line naming the input, exit code 1, nothing written', () => {
  const KEEP = { 'pyproject.toml': PYPROJECT, 'web/package.json': '{ "version": "0.9.0" }\n' };

  test.each([
    [
      'an unparsable version',
      { version: '1.2.3.4.x!', stamp: 'pyproject.toml' },
      "Input 'version' '1.2.3.4.x!' is not a version (expected e.g. 1.2.3, v1.2.3-rc.1, 1.2.3rc1, or a label such as nightly)",
    ],
    [
      'a source-file that does not exist',
      { 'source-file': 'server/pyproject.toml', stamp: 'pyproject.toml' },
      "Input 'source-file' names 'server/pyproject.toml', which does not exist",
    ],
    [
      'a stamp file of an unknown kind',
      { version: '1.0.0', stamp: 'pyproject.toml\nsrc/demo/__init__.py' },
      "Input 'stamp' names 'src/demo/__init__.py', which is neither a pyproject.toml nor a package.json",
    ],
    [
      'a stamp file that does not exist',
      { version: '1.0.0', stamp: 'web/package.json\nserver/pyproject.toml' },
      "Input 'stamp' names 'server/pyproject.toml', which does not exist",
    ],
    [
      'an invalid prerelease-pattern',
      { version: '1.0.0', stamp: 'pyproject.toml', 'prerelease-pattern': '(alpha|beta' },
      "Input 'prerelease-pattern' is not a valid regular expression: Invalid regular expression: /(alpha|beta/i: Unterminated group",
    ],
  ])('%s', async (_name, inputs, message) => {
    const cwd = repository({ ...KEEP, 'src/demo/__init__.py': '__version__ = "0.9.0"\n' }, ['v1.0.0']);
    const r = await runAction('resolve-version', { cwd, inputs });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([message]);
    expect(r.outputs).toEqual({});
    expect(r.summary).toBe('');
    expect(r.stdout).not.toMatch(/^\s+at /m);
    expect(r.stdout).not.toContain('Unexpected error');
    expect(git(cwd, 'status', '--porcelain')).toBe('');
  });

  test('a pyproject.toml with a dynamic version cannot be stamped; the file is named', async () => {
    const pyproject = '[project]\nname = "demo"\ndynamic = ["version"]\n';
    const cwd = repository({ 'pyproject.toml': pyproject, 'web/package.json': '{ "version": "0.9.0" }\n' });
    const r = await runAction('resolve-version', {
      cwd,
      inputs: { version: 'v1.0.0', stamp: 'web/package.json\npyproject.toml' },
    });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      'pyproject.toml declares its version dynamic ([project].dynamic), so there is no version to stamp',
    ]);
    expect(r.stdout).toMatch(/^::error file=pyproject.toml,line=3::/m);
    expect(git(cwd, 'status', '--porcelain')).toBe('');
  });
});

describe('Node 24', () => {
  const node24 = join(REPO_ROOT, 'tools', 'node24', 'node_modules', '.bin', 'node');

  test('the bundle runs under Node 24', async () => {
    if (!existsSync(node24)) {
      if (process.env.CI === 'true')
        throw new Error(`Node 24 is missing at ${node24}: run npm ci in tools/node24`);
      console.warn(`skipped: Node 24 not installed at ${node24} (npm ci --prefix tools/node24 installs it)`);
      return;
    }
    expect(execFileSync(node24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
    const cwd = repository({ 'pyproject.toml': "[project]\nversion = '0.1.0' # keep\n" }, ['v2.4.0']);
    const r = await runAction('resolve-version', { cwd, node: node24, inputs: { stamp: 'pyproject.toml' } });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      version: 'v2.4.0',
      pep440: '2.4.0',
      source: 'tag',
      'docker-tags': '2.4.0\nlatest',
    });
    expect(readFileSync(join(cwd, 'pyproject.toml'), 'utf8')).toBe("[project]\nversion = '2.4.0' # keep\n");
  });
});
