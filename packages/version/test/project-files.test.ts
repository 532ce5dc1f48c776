import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError, InputError } from '@forge-actions/action-kit/errors';
import { describe, expect, test } from '@jest/globals';
import { findVersionFields, projectFileKind } from '../src/project-files.js';
import { checkStampFiles, stampFiles } from '../src/stamp.js';

const VERSION = { pep440: '2.0.0rc1', semver: '2.0.0-rc.1' };

/** A temporary folder holding the given files. */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'version-files-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

// Each template marks the version value with {V}: the file before a stamp has 0.1.0 there, and after
// it must be byte for byte the template with only that value replaced.
const PYPROJECTS: Record<string, string> = {
  'comments, alignment, odd spacing': [
    '# Build settings, do not reformat',
    '[build-system]',
    'requires = ["setuptools>=61",   "wheel" ,]',
    'build-backend="setuptools.build_meta"',
    '',
    '[project]',
    'name = "demo"   # the name',
    'version = "{V}"  # stamped by CI',
    'dependencies = [',
    '  "requests>=2",  # http',
    "  'numpy<2',",
    ']',
    '  [project.urls]',
    '  Home = "https://example.com"',
    '[ tool . black ]',
    'line-length=100',
    '\t# a tab-indented comment',
    '',
  ].join('\n'),
  'single quotes, CRLF': "[project]\r\nname = 'demo'\r\nversion = '{V}'\r\n# trailing comment\r\n\r\n",
  'no trailing newline': '[project]\nname = "demo"\nversion="{V}"',
  'byte order mark and non-ASCII text': '\uFEFF# Déjà vu ✓\n[project]\nname = "démo"\nversion = "{V}"\n',
  poetry:
    '[tool.poetry]\nname = "demo"\nversion   =   "{V}"\ndescription = ""\n\n[tool.poetry.dependencies]\npython = "^3.11"\n',
  'poetry, CRLF, version further down': '[tool.poetry]\r\nname = "demo"\r\n# keep\r\nversion = "{V}"\r\n',
  'dotted keys at the root': 'project.name = "x"\nproject.version = "{V}" # here\n',
  'inline table': 'project = { name = "x", version = "{V}" }\n',
  'multi-line string': '[project]\nversion = """{V}"""\n',
  'quoted key': '[project]\n"version" = "{V}"\n',
  'dynamic in [project], version in [tool.poetry] (Poetry 2)':
    '[project]\nname = "demo"\ndynamic = ["version"]\n\n[tool.poetry]\nversion = "{V}"\n',
};

describe('stamping pyproject.toml changes the version value and no other byte', () => {
  test.each(Object.entries(PYPROJECTS))('%s', (_name, template) => {
    const dir = workspace({ 'pyproject.toml': template.replaceAll('{V}', '0.1.0') });
    const [result] = stampFiles(['pyproject.toml'], VERSION, dir);
    const after = readFileSync(join(dir, 'pyproject.toml'));
    expect(after.equals(Buffer.from(template.replaceAll('{V}', '2.0.0rc1'), 'utf8'))).toBe(true);
    expect(result).toMatchObject({
      file: 'pyproject.toml',
      value: '2.0.0rc1',
      previous: ['0.1.0'],
      changed: true,
    });
  });

  test('both [project].version and [tool.poetry].version are stamped, so they cannot disagree', () => {
    const template = '[project]\nversion = "{V}"\n\n[tool.poetry]\nversion = \'{V}\'\n';
    const dir = workspace({ 'pyproject.toml': template.replaceAll('{V}', '0.1.0') });
    const [result] = stampFiles(['pyproject.toml'], VERSION, dir);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(template.replaceAll('{V}', '2.0.0rc1'));
    expect(result.fields).toEqual(['[project].version', '[tool.poetry].version']);
  });

  test('a file that already holds the version is left alone', () => {
    const dir = workspace({ 'pyproject.toml': '[project]\nversion = "2.0.0rc1"\n' });
    expect(stampFiles(['pyproject.toml'], VERSION, dir)[0].changed).toBe(false);
  });
});

const PACKAGE_JSONS: Record<string, string> = {
  'two spaces, key order kept': '{\n  "name": "demo",\n  "version": "{V}",\n  "private": true\n}\n',
  'four spaces, CRLF, no trailing newline':
    '{\r\n    "version" :  "{V}",\r\n    "engines": { "version": "keep-me" },\r\n    "name": "démo"\r\n}',
  minified: '{"name":"demo","dependencies":{"a":"^1"},"version":"{V}"}',
  'byte order mark': '\uFEFF{\n\t"version": "{V}"\n}\n',
};

describe('stamping package.json changes the version value and no other byte', () => {
  test.each(Object.entries(PACKAGE_JSONS))('%s', (_name, template) => {
    const dir = workspace({ 'package.json': template.replaceAll('{V}', '0.1.0') });
    const [result] = stampFiles(['package.json'], VERSION, dir);
    const after = readFileSync(join(dir, 'package.json'));
    // npm accepts semver only, so package.json gets the semver spelling.
    expect(after.equals(Buffer.from(template.replaceAll('{V}', '2.0.0-rc.1'), 'utf8'))).toBe(true);
    expect(result).toMatchObject({ value: '2.0.0-rc.1', fields: ['version'], changed: true });
  });
});

describe('stamping refuses before writing anything', () => {
  const errorOf = (fn: () => unknown): Error => {
    try {
      fn();
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected an error');
  };

  test.each([
    [
      'src/demo/__init__.py',
      "Input 'stamp' names 'src/demo/__init__.py', which is neither a pyproject.toml nor a package.json",
    ],
    ['setup.cfg', "Input 'stamp' names 'setup.cfg', which is neither a pyproject.toml nor a package.json"],
    ['sub/pyproject.toml', "Input 'stamp' names 'sub/pyproject.toml', which does not exist"],
  ])('%s', (file, message) => {
    const dir = workspace({ 'pyproject.toml': '[project]\nversion = "0.1.0"\n' });
    const error = errorOf(() => stampFiles(['pyproject.toml', file], VERSION, dir));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(message);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe('[project]\nversion = "0.1.0"\n');
  });

  test.each([
    [
      'a dynamic version',
      '[project]\nname = "x"\ndynamic = ["version"]\n',
      'pyproject.toml declares its version dynamic ([project].dynamic), so there is no version to stamp',
    ],
    [
      'no version',
      '[project]\nname = "x"\n',
      'pyproject.toml has no [project].version or [tool.poetry].version to stamp',
    ],
    [
      'broken TOML',
      '[project]\nversion = = "1"\n',
      'pyproject.toml is not valid TOML (line 2): Unexpected token',
    ],
    [
      'a version that is not a string',
      '[project]\nversion = 1\n',
      'pyproject.toml: [project].version is not a string',
    ],
  ])('a pyproject.toml with %s, after a good package.json in the list', (_name, pyproject, message) => {
    const pkg = '{ "version": "0.1.0" }\n';
    const dir = workspace({ 'package.json': pkg, 'pyproject.toml': pyproject });
    const error = errorOf(() => stampFiles(['package.json', 'pyproject.toml'], VERSION, dir));
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toBe(message);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(pkg);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(pyproject);
  });

  test('checkStampFiles names the input it is given', () => {
    expect(() => checkStampFiles(['VERSION'], '/', 'files')).toThrow(
      "Input 'files' names 'VERSION', which is neither a pyproject.toml nor a package.json",
    );
  });
});

describe('reading versions', () => {
  test.each([
    ['__init__.py', '__version__ = "1.2.3"\n', '1.2.3'],
    ['_version.py', "__version__: str = '1.2.3rc1'\n", '1.2.3rc1'],
    ['__init__.py', '"""Doc."""\nimport os\n\n__version__=\'0.0.1\'\n', '0.0.1'],
    // seed section 10.1: the literal is the fallback inside a try/except
    [
      '__init__.py',
      'try:\n    __version__ = version("demo")\nexcept PackageNotFoundError:\n    __version__ = "0.0.0-dev"\n',
      '0.0.0-dev',
    ],
    ['pyproject.toml', '[project]\nversion = "1.0"\n[tool.poetry]\nversion = "2.0"\n', '1.0'],
    ['pyproject.toml', '[tool.poetry]\nversion = "2.0"\n', '2.0'],
    ['package.json', '{"version": "3.0.0", "x": {"version": "4"}}', '3.0.0'],
  ])('%s: %j → %s', (file, text, version) => {
    const kind = projectFileKind(file);
    if (!kind) throw new Error(`no kind for ${file}`);
    expect(findVersionFields(kind, text, file).fields[0]?.value).toBe(version);
  });

  test.each([
    ['__init__.py', 'VERSION = "1.0"\n# __version__ = "2.0" is documented elsewhere\n'],
    ['package.json', '{"name": "x", "dependencies": {"version": "1"}}'],
    ['pyproject.toml', '[tool.ruff]\nline-length = 100\n'],
  ])('%s without a version: none', (file, text) => {
    const kind = projectFileKind(file);
    if (!kind) throw new Error(`no kind for ${file}`);
    expect(findVersionFields(kind, text, file).fields).toEqual([]);
  });

  test.each([
    ['pyproject.toml', 'pyproject'],
    ['sub/dir/pyproject.toml', 'pyproject'],
    ['package.json', 'package-json'],
    ['src/pkg/__init__.py', 'python'],
    ['setup.cfg', undefined],
    ['VERSION', undefined],
  ])('kind of %s is %s', (file, kind) => {
    expect(projectFileKind(file)).toBe(kind);
  });
});
