// download-win-wheels through its bundle, against a PEP 503 index on 127.0.0.1 serving wheels and sdists
// made here. uv is not taken from the machine's PATH: the first uv run installs it with pip into a tool
// cache the uv runs share (that install is the only thing fetched from PyPI; the smoke test at the end
// is the only resolution against PyPI).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { listFiles } from '@forge-actions/testing/files';
import { leaks } from '@forge-actions/testing/leaks';
import { type PackageIndex, startIndex, writeSdist, writeWheel } from '@forge-actions/testing/package-index';
import { type RunResult, runAction } from '@forge-actions/testing/run-action';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { WheelInfo } from '../../packages/wheels/src/download.js';

const root = mkdtempSync(join(tmpdir(), 'win-wheels-test-'));
const toolCache = join(root, 'tool-cache');
const uvCache = join(root, 'uv-cache');
let index: PackageIndex;

/** PATH without any folder that holds a uv, so every run shows the action's own way to uv. */
const pathWithoutUv = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => dir && !existsSync(join(dir, 'uv')))
  .join(delimiter);

const APP_FILES = {
  'app_dep/__init__.py': 'from .core import VALUE\n',
  'app_dep/core.py': 'VALUE = 42\n',
  'app_dep/core.pyi': 'VALUE: int\n',
  'app_dep/broken.py': 'def oops(:\n',
  'app_dep/big.dat': Buffer.alloc(20_000, 7),
  'app_dep/tests/test_core.py': 'def test(): pass\n',
  'app_dep/test/__init__.py': '',
  'app_dep/sub/__init__.py': '',
  'app_dep/sub/tests/helpers.py': 'KEEP = True\n',
  'app_dep/__pycache__/core.cpython-311.pyc': Buffer.alloc(300, 1),
};

beforeAll(async () => {
  mkdirSync(toolCache);
  const dir = join(root, 'index');
  mkdirSync(dir);
  writeWheel(dir, {
    name: 'app-dep',
    version: '1.0',
    requires: ['winonly; sys_platform == "win32"', 'linuxonly; sys_platform == "linux"'],
    files: APP_FILES,
  });
  for (const tag of [
    'cp311-cp311-win_amd64',
    'cp311-cp311-win32',
    'cp312-cp312-win_amd64',
    'py3-none-win_amd64',
  ]) {
    writeWheel(dir, {
      name: 'winonly',
      version: '1.0',
      tag,
      files: { 'winonly/__init__.py': `TAG = '${tag}'\n` },
    });
  }
  writeWheel(dir, { name: 'linuxonly', version: '1.0', files: { 'linuxonly/__init__.py': '' } });
  for (const version of ['1.26.0', '2.0.0']) {
    writeWheel(dir, {
      name: 'numpylike',
      version,
      tag: 'cp311-cp311-win_amd64',
      files: { 'numpylike/__init__.py': `__version__ = '${version}'\n` },
    });
  }
  writeWheel(dir, {
    name: 'usesnumpy',
    version: '1.0',
    requires: ['numpylike'],
    files: { 'usesnumpy/__init__.py': '' },
  });
  writeSdist(dir, { name: 'puresdist', version: '1.0', requires: ['winonly; sys_platform == "win32"'] });
  writeSdist(dir, { name: 'nativesdist', version: '1.0', native: true });
  writeWheel(dir, {
    name: 'setuptools',
    version: '70.0.0',
    files: {
      'setuptools/__init__.py': '',
      'pkg_resources/__init__.py': '',
      '_distutils_hack/__init__.py': '',
      'distutils-precedence.pth': 'import _distutils_hack\n',
    },
  });
  writeWheel(dir, {
    name: 'needs-pkgres',
    version: '1.0',
    requires: ['setuptools'],
    files: { 'needs_pkgres.py': '' },
  });
  writeWheel(dir, {
    name: 'databits',
    version: '1.0',
    tag: 'cp311-cp311-win_amd64',
    files: { 'databits/__init__.py': '' },
    data: {
      'purelib/databits_pure.py': 'PURE = 1\n',
      'platlib/databits_native.pyd': 'MZ',
      'scripts/databits-run': '#!python\n',
      'data/share/databits.txt': 'data\n',
    },
  });
  writeWheel(dir, {
    name: 'evil',
    version: '1.0',
    files: { 'evil/__init__.py': '' },
    raw: [{ name: '../evil-escaped.txt', data: 'escaped' }],
  });
  writeWheel(dir, {
    name: 'linky',
    version: '1.0',
    files: { 'linky/__init__.py': '' },
    raw: [{ name: 'linky/passwd', data: '/etc/passwd', unixMode: 0o120777 }],
  });
  index = await startIndex(dir);
});

afterAll(async () => {
  await index?.close();
  // The tool cache holds uv (tens of MB): not left behind.
  rmSync(root, { recursive: true, force: true });
});

type Engine = 'uv' | 'pip';

function download(
  inputs: Record<string, string>,
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  return runAction('download-win-wheels', {
    inputs: { 'index-url': index.url, ...inputs },
    env: { PATH: pathWithoutUv, RUNNER_TOOL_CACHE: toolCache, UV_CACHE_DIR: uvCache, ...options.env },
    cwd: options.cwd,
  });
}

/** Empties the wheels the tool cache holds, so the next run downloads them (to see its requests). */
function forgetWheels(): void {
  rmSync(join(toolCache, 'forge-actions-wheels'), { recursive: true, force: true });
}

/** The run succeeded; shows its log when it did not. */
function expectSuccess(run: RunResult): void {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  expect(run.errors).toEqual([]);
}

/** The run failed with exactly one one-line error, returned. */
function expectOneError(run: RunResult): string {
  if (run.code === 0) throw new Error(`action succeeded but should have failed:\n${run.stdout}`);
  expect(run.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).not.toContain('\n');
  return run.errors[0];
}

const wheelsOf = (run: RunResult): WheelInfo[] => JSON.parse(run.outputs.wheels);
const files = (run: RunResult) => wheelsOf(run).map((w) => w.file);

describe.each(['uv', 'pip'] as Engine[])('engine %s', (engine) => {
  test('evaluates markers for Windows: the win32-only dependency comes, the linux-only one does not', async () => {
    const run = await download({ requirements: 'app-dep', engine });
    expectSuccess(run);
    const wheelDir = join(run.workspace, 'build', 'win-wheels');
    expect(run.outputs['wheel-dir']).toBe(wheelDir);
    expect(files(run)).toEqual(['app_dep-1.0-py3-none-any.whl', 'winonly-1.0-cp311-cp311-win_amd64.whl']);
    expect(listFiles(wheelDir)).toEqual(files(run));
    expect(wheelsOf(run)[1]).toMatchObject({ name: 'winonly', version: '1.0', built: false });
    expect(wheelsOf(run)[1].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(index.requests.filter((p) => p.includes('linuxonly'))).toEqual([]);
    expect(run.outputs['site-packages-dir']).toBe('');
    expect(run.outputs['size-before']).toBe('');
    expect(run.outputs['size-after']).toBe('');
    expect(run.summary).toContain(`Wheels for cp311-win_amd64 (${engine}`);
  });

  test('picks the wheel of the platform and Python version asked for', async () => {
    const win32 = await download({ requirements: 'winonly', engine, platform: 'win32' });
    expectSuccess(win32);
    expect(files(win32)).toEqual(['winonly-1.0-cp311-cp311-win32.whl']);
    const py312 = await download({ requirements: 'winonly', engine, 'python-version': '3.12' });
    expectSuccess(py312);
    expect(files(py312)).toEqual(['winonly-1.0-cp312-cp312-win_amd64.whl']);
    const py313 = await download({ requirements: 'winonly', engine, 'python-version': '3.13.1' });
    expectSuccess(py313);
    expect(files(py313)).toEqual(['winonly-1.0-py3-none-win_amd64.whl']);
  });

  test('python-version-file replaces the default python-version: a .python-version with a comment and 3.12', async () => {
    const cwd = mkdtempSync(join(root, 'pyfile-'));
    writeFileSync(join(cwd, '.python-version'), '# the Windows build\n3.12\n');
    const run = await download(
      { requirements: 'winonly', engine, 'python-version-file': '.python-version' },
      { cwd },
    );
    expectSuccess(run);
    expect(files(run)).toEqual(['winonly-1.0-cp312-cp312-win_amd64.whl']);
    expect(run.summary).toContain('Wheels for cp312-win_amd64');
  });

  test('requirements-file (with its -r include) and requirements lines together, constraints on both', async () => {
    const cwd = mkdtempSync(join(root, 'reqfile-'));
    mkdirSync(join(cwd, 'requirements'));
    writeFileSync(join(cwd, 'requirements', 'base.txt'), 'usesnumpy\n');
    writeFileSync(join(cwd, 'requirements', 'win.txt'), '-r base.txt\npuresdist  # built from its sdist\n');
    const run = await download(
      {
        requirements: 'app-dep',
        'requirements-file': 'requirements/win.txt',
        constraints: 'numpylike>=1.0,<2.0',
        engine,
      },
      { cwd },
    );
    expectSuccess(run);
    expect(files(run)).toEqual([
      'app_dep-1.0-py3-none-any.whl',
      'numpylike-1.26.0-cp311-cp311-win_amd64.whl',
      'puresdist-1.0-py3-none-any.whl',
      'usesnumpy-1.0-py3-none-any.whl',
      'winonly-1.0-cp311-cp311-win_amd64.whl',
    ]);
  });

  test('a constraint keeps the transitive numpylike 2 out, and a stale numpylike 2 wheel leaves wheel-dir', async () => {
    const free = await download({ requirements: 'usesnumpy', engine });
    expectSuccess(free);
    expect(files(free)).toContain('numpylike-2.0.0-cp311-cp311-win_amd64.whl');

    const cwd = mkdtempSync(join(root, 'stale-'));
    mkdirSync(join(cwd, 'build', 'win-wheels'), { recursive: true });
    writeFileSync(join(cwd, 'build', 'win-wheels', 'numpylike-2.0.0-cp311-cp311-win_amd64.whl'), 'old run');
    writeFileSync(join(cwd, 'build', 'win-wheels', 'notes.txt'), 'not a wheel');
    const run = await download({ requirements: 'usesnumpy', constraints: 'numpylike<2', engine }, { cwd });
    expectSuccess(run);
    expect(files(run)).toEqual([
      'numpylike-1.26.0-cp311-cp311-win_amd64.whl',
      'usesnumpy-1.0-py3-none-any.whl',
    ]);
    expect(listFiles(join(cwd, 'build', 'win-wheels'))).toEqual([...files(run), 'notes.txt'].sort());
    expect(run.stdout).toContain('Removed numpylike-2.0.0-cp311-cp311-win_amd64.whl from wheel-dir');
  });

  test('a pure-Python sdist becomes a py3-none-any wheel, its own dependencies resolved for Windows', async () => {
    const run = await download({ requirements: 'puresdist', engine });
    expectSuccess(run);
    expect(files(run)).toEqual(['puresdist-1.0-py3-none-any.whl', 'winonly-1.0-cp311-cp311-win_amd64.whl']);
    expect(wheelsOf(run)[0].built).toBe(true);
    expect(run.summary).toContain('built from sdist');
  });

  test('an sdist that builds a platform-specific wheel fails, naming the package', async () => {
    const run = await download({ requirements: 'app-dep\nnativesdist', engine });
    const error = expectOneError(run);
    expect(error).toMatch(
      /^nativesdist 1\.0 has no wheel for cp311-win_amd64, and its sdist builds nativesdist-1\.0-cp3\d+-cp3\d+-linux_\w+\.whl here, which is not pure Python/,
    );
    expect(listFiles(run.workspace)).toEqual([]);
  });

  test('allow-sdist-fallback false: a package without a wheel fails, naming it', async () => {
    const run = await download({ requirements: 'puresdist', engine, 'allow-sdist-fallback': 'false' });
    expect(expectOneError(run)).toContain('puresdist');
    expect(listFiles(run.workspace)).toEqual([]);
  });

  test('a private index: credentials from index-url reach every request and never the log', async () => {
    forgetWheels();
    const run = await download({ requirements: 'app-dep', engine, 'index-url': index.privateUrl });
    expectSuccess(run);
    expect(files(run)).toEqual(['app_dep-1.0-py3-none-any.whl', 'winonly-1.0-cp311-cp311-win_amd64.whl']);
    // The runner learns the password through ::add-mask:: (so it masks it everywhere); nothing else shows it.
    // (Inputs.url registers the whole URL as well: every ::add-mask:: line is for the runner only.)
    const shown = `${run.stdout}${run.stderr}${run.summary}`.replace(/^::add-mask::.*\n/gm, '');
    expect(run.stdout).toContain(`::add-mask::${index.password}`);
    expect(shown).not.toContain(index.password);
    expect(index.requests.some((p) => p.startsWith('/private/files/'))).toBe(true);
  });
});

describe('uv', () => {
  test('is installed with pip into the tool cache once, then found there', async () => {
    // Installed by the first uv run of this file (the engine tests, or the first run here).
    const first = await download({ requirements: 'winonly', engine: 'uv' });
    expectSuccess(first);
    expect(first.stdout).toMatch(/with uv 0\.13\.8 \((installed|tool cache)\)/);
    const second = await download({ requirements: 'winonly', engine: 'uv' });
    expectSuccess(second);
    expect(second.stdout).toMatch(/with uv 0\.13\.8 \(tool cache\)/);
    expect(existsSync(join(toolCache, 'uv', '0.13.8', 'x64.complete'))).toBe(true);
  });

  test('a warm run takes every wheel from the tool cache by its sha256: no file downloaded', async () => {
    forgetWheels();
    const cold = await download({ requirements: 'app-dep', engine: 'uv' });
    expectSuccess(cold);
    expect(cold.stdout).toContain('Downloaded winonly-1.0-cp311-cp311-win_amd64.whl');
    const before = index.requests.length;
    const warm = await download({ requirements: 'app-dep', engine: 'uv' });
    expectSuccess(warm);
    expect(files(warm)).toEqual(files(cold));
    expect(warm.stdout).toMatch(
      /winonly-1\.0-cp311-cp311-win_amd64\.whl: from the tool cache \(sha256 [0-9a-f]{64}\)/,
    );
    expect(index.requests.slice(before).filter((path) => path.includes('/files/'))).toEqual([]);
    // A cached file that no longer has its sha256 (the cache is shared) is dropped and downloaded again.
    const [prefix] = readdirSync(join(toolCache, 'forge-actions-wheels'));
    for (const name of readdirSync(join(toolCache, 'forge-actions-wheels', prefix))) {
      writeFileSync(join(toolCache, 'forge-actions-wheels', prefix, name), 'tampered');
    }
    const again = await download({ requirements: 'app-dep', engine: 'uv' });
    expectSuccess(again);
    expect(files(again)).toEqual(files(cold));
    expect(again.stdout).toMatch(/Downloaded /);
  });

  test('engine auto falls back to pip, with a warning, when uv cannot be had', async () => {
    const run = await download(
      { requirements: 'app-dep', engine: 'auto', 'uv-version': '0.0.0' },
      // pip looks for uv 0.0.0 on the test index, which has no uv at all.
      { env: { PIP_INDEX_URL: index.url, RUNNER_TOOL_CACHE: mkdtempSync(join(root, 'empty-cache-')) } },
    );
    expectSuccess(run);
    expect(run.warnings.join('\n')).toMatch(/^uv is not available \(Installing uv 0\.0\.0 with pip failed/m);
    expect(run.stdout).toMatch(/with pip \S+ \(Python 3/);
    expect(files(run)).toEqual(['app_dep-1.0-py3-none-any.whl', 'winonly-1.0-cp311-cp311-win_amd64.whl']);
  });

  test('engine uv fails with one line when uv cannot be had', async () => {
    const run = await download(
      { requirements: 'app-dep', engine: 'uv', 'uv-version': '0.0.0' },
      { env: { PIP_INDEX_URL: index.url, RUNNER_TOOL_CACHE: mkdtempSync(join(root, 'empty-cache-')) } },
    );
    expect(expectOneError(run)).toMatch(/^Installing uv 0\.0\.0 with pip failed/);
    expect(listFiles(run.workspace)).toEqual([]);
  });
});

describe('install into site-packages', () => {
  const site = (run: RunResult) => join(run.workspace, 'dist', 'python', 'Lib', 'site-packages');
  const install = (inputs: Record<string, string>) =>
    download({
      requirements: 'app-dep\nsetuptools\ndatabits',
      'site-packages': 'dist/python/Lib/site-packages',
      ...inputs,
    });

  test('cleanup none: the wheels unpacked as they are, .data/purelib and platlib into site-packages', async () => {
    const run = await install({ cleanup: 'none' });
    expectSuccess(run);
    const sp = site(run);
    expect(run.outputs['site-packages-dir']).toBe(sp);
    const installed = listFiles(sp);
    expect(installed).toEqual(
      expect.arrayContaining([
        ...Object.keys(APP_FILES),
        'app_dep-1.0.dist-info/METADATA',
        'winonly/__init__.py',
        'setuptools/__init__.py',
        'distutils-precedence.pth',
        'databits/__init__.py',
        'databits_pure.py',
        'databits_native.pyd',
        'databits-1.0.dist-info/RECORD',
      ]),
    );
    expect(
      installed.filter((f) => f.includes('.data') || f.includes('databits-run') || f.includes('share/')),
    ).toEqual([]);
    expect(run.stdout).toContain(
      'Left out databits-1.0-cp311-cp311-win_amd64.whl: databits-1.0.data/scripts',
    );
    expect(readdirSync(dirname(sp))).toEqual(['site-packages']);
    expect(Number(run.outputs['size-before'])).toBeGreaterThan(20_000);
    expect(run.outputs['size-after']).toBe(run.outputs['size-before']);
  });

  test('cleanup safe: caches, package-level tests, stubs and build tools go; dist-info and sources stay', async () => {
    const run = await install({ cleanup: 'safe', remove: 'app_dep/big.dat\nnothing/here*' });
    expectSuccess(run);
    const installed = listFiles(site(run));
    for (const gone of [
      'app_dep/__pycache__/core.cpython-311.pyc',
      'app_dep/tests/test_core.py',
      'app_dep/test/__init__.py',
      'app_dep/core.pyi',
      'app_dep/big.dat',
      'setuptools/__init__.py',
      'pkg_resources/__init__.py',
      '_distutils_hack/__init__.py',
      'distutils-precedence.pth',
      'setuptools-70.0.0.dist-info/METADATA',
    ]) {
      expect(installed).not.toContain(gone);
    }
    expect(installed).toEqual(
      expect.arrayContaining([
        'app_dep/core.py',
        'app_dep/sub/tests/helpers.py',
        'app_dep-1.0.dist-info/METADATA',
        'winonly/__init__.py',
      ]),
    );
    expect(run.warnings).toContain(`remove: 'nothing/here*' matched nothing in ${site(run)}`);
    const before = Number(run.outputs['size-before']);
    const after = Number(run.outputs['size-after']);
    expect(before - after).toBeGreaterThan(20_000);
    expect(run.summary).toContain('site-packages');
  });

  test('cleanup safe keeps setuptools when an installed package requires it', async () => {
    const run = await install({ requirements: 'needs-pkgres', cleanup: 'safe' });
    expectSuccess(run);
    expect(listFiles(site(run))).toEqual(
      expect.arrayContaining(['setuptools/__init__.py', 'pkg_resources/__init__.py']),
    );
    expect(run.stdout).toContain('Kept setuptools: needs-pkgres requires it at run time');
  });

  test('cleanup aggressive: compileall -b first, then only sources that got a .pyc go; imports still work', async () => {
    const run = await install({ cleanup: 'aggressive' });
    expectSuccess(run);
    const sp = site(run);
    const installed = listFiles(sp);
    expect(installed).toEqual(
      expect.arrayContaining(['app_dep/__init__.pyc', 'app_dep/core.pyc', 'winonly/__init__.pyc']),
    );
    expect(installed.filter((f) => f.endsWith('.py'))).toEqual(['app_dep/broken.py']);
    expect(installed.filter((f) => f.includes('.dist-info') || f.includes('__pycache__'))).toEqual([]);
    expect(run.warnings.join('\n')).toContain(
      '1 .py file(s) did not compile and were kept: app_dep/broken.py',
    );
    // The sourceless package imports (the .pyc came from this Python 3.11, the target version).
    const value = execFileSync(
      'python3',
      ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); import app_dep; print(app_dep.VALUE)', sp],
      {
        encoding: 'utf8',
      },
    );
    expect(value.trim()).toBe('42');
    expect(Number(run.outputs['size-after'])).toBeLessThan(Number(run.outputs['size-before']));
  });

  test('a wheel with an entry outside its folder is refused and nothing is installed', async () => {
    const run = await install({ requirements: 'app-dep\nevil', cleanup: 'none' });
    expect(expectOneError(run)).toBe(
      "evil-1.0-py3-none-any.whl has an unsafe entry '../evil-escaped.txt' ('..' segment); nothing was extracted",
    );
    expect(listFiles(site(run))).toEqual([]);
    expect(listFiles(dirname(run.runnerTemp)).filter((f) => f.includes('evil-escaped'))).toEqual([]);
    expect(existsSync(join(dirname(site(run)), 'evil-escaped.txt'))).toBe(false);
  });

  test('a wheel with a symbolic link is refused', async () => {
    const run = await install({ requirements: 'linky', cleanup: 'none' });
    expect(expectOneError(run)).toBe(
      "linky-1.0-py3-none-any.whl has an unsafe entry 'linky/passwd' (symbolic link); nothing was extracted",
    );
    expect(listFiles(site(run))).toEqual([]);
  });

  test('hardening 6: a wheel over max-unpacked-files is refused, naming the input, and nothing is installed', async () => {
    const run = await install({ requirements: 'app-dep', cleanup: 'none', 'max-unpacked-files': '2' });
    expect(expectOneError(run)).toMatch(
      /^app_dep-1\.0-py3-none-any\.whl holds \d+ entries, beyond the limit of 2; raise it with input 'max-unpacked-files'; nothing was extracted$/,
    );
    expect(listFiles(site(run))).toEqual([]);
  });
});

describe('bad input: one line naming the input, nothing downloaded', () => {
  test.each([
    [{ requirements: '' }, "Input 'requirements' and 'requirements-file' are both empty"],
    [{ requirements: '', 'requirements-file': 'missing.txt' }, "Input 'requirements-file' names no file: "],
    [
      { platform: 'linux_x86_64' },
      "Input 'platform' must be one of win_amd64, win32, win_arm64 (got 'linux_x86_64')",
    ],
    [{ engine: 'poetry' }, "Input 'engine' must be one of auto, uv, pip (got 'poetry')"],
    [{ cleanup: 'all' }, "Input 'cleanup' must be one of none, safe, aggressive (got 'all')"],
    [
      { 'python-version': '3' },
      "Input 'python-version' must be a Python version X.Y or X.Y.Z, e.g. 3.11 or ",
    ],
    [{ 'python-version': 'py311' }, "Input 'python-version' must be a Python version X.Y or X.Y.Z"],
    [{ 'python-version': '2.7' }, "Input 'python-version' must be 3.X or 3.X.Y, e.g. 3.11 (got '2.7')"],
    [
      { 'python-version': '3.12', 'python-version-file': '.python-version' },
      "Input 'python-version' and 'python-version-file' are both set",
    ],
    [{ 'python-version-file': 'missing/.python-version' }, "Input 'python-version-file' names no file: "],
    [{ implementation: 'pp' }, "Input 'implementation' must be cp"],
    [
      { constraints: 'numpy<<2' },
      "Input 'constraints' line 1 is not a project with a PEP 440 version specifier",
    ],
    [{ 'index-url': 'ftp://mirror/simple' }, "Input 'index-url' must be an http(s) URL"],
    [
      { remove: '../python311.dll', 'site-packages': 'sp' },
      "Input 'remove' patterns are relative to site-packages",
    ],
    [{ remove: 'numpy/linalg' }, "Input 'remove' needs site-packages"],
    [{ 'allow-sdist-fallback': 'maybe' }, "Input 'allow-sdist-fallback' must be true or false"],
  ])('%j', async (inputs, message) => {
    const before = index.requests.length;
    const run = await download({ requirements: 'app-dep', ...inputs });
    expect(expectOneError(run)).toContain(message);
    expect(index.requests.length).toBe(before);
    expect(listFiles(run.workspace)).toEqual([]);
  });

  test('cleanup aggressive without a Python of the target version fails before downloading', async () => {
    // PATH holds only a python3 of this machine's version (3.11 here), so no python3.9 anywhere.
    const bin = mkdtempSync(join(root, 'bin-'));
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
      encoding: 'utf8',
    }).trim();
    symlinkSync(python, join(bin, 'python3'));
    const before = index.requests.length;
    const run = await download(
      { requirements: 'app-dep', 'python-version': '3.9', 'site-packages': 'sp', cleanup: 'aggressive' },
      { env: { PATH: bin } },
    );
    expect(expectOneError(run)).toMatch(
      /^cleanup: aggressive compiles \.pyc files that only Python 3\.9 can load, and this runner has no Python 3\.9 \(python3 is 3\.\d+\.\d+\)/,
    );
    expect(index.requests.length).toBe(before);
    expect(listFiles(run.workspace)).toEqual([]);
  });
});

// Against the real PyPI: click needs colorama only on Windows (a real marker), PyYAML has cp311-win_amd64
// wheels, docopt has only an sdist (pure Python). In CI it always runs (CI reaches PyPI); elsewhere it
// is skipped when PyPI cannot be reached.
const pypiReachable = await fetch('https://pypi.org/simple/six/', {
  method: 'HEAD',
  signal: AbortSignal.timeout(5000),
})
  .then((r) => r.ok)
  .catch(() => false);
const smoke = pypiReachable || process.env.CI === 'true' ? test : test.skip;

describe('PyPI smoke test', () => {
  smoke.each(['uv', 'pip'] as Engine[])('engine %s: real wheels for cp311-win_amd64', async (engine) => {
    // A runner behind a TLS-inspecting proxy hands its CA to uv and node through these (the harness
    // starts from a clean environment, so they are passed on as a job's environment would carry them).
    const tls = Object.fromEntries(
      ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS']
        .filter((name) => process.env[name])
        .map((name) => [name, process.env[name] as string]),
    );
    const run = await download(
      {
        'index-url': '',
        requirements: 'click==8.1.7\nPyYAML==6.0.2\ndocopt==0.6.2\nsix',
        engine,
        'site-packages': 'python/Lib/site-packages',
      },
      { env: tls },
    );
    expectSuccess(run);
    const byName = Object.fromEntries(wheelsOf(run).map((w) => [w.name, w]));
    expect(Object.keys(byName).sort()).toEqual(['click', 'colorama', 'docopt', 'pyyaml', 'six']);
    expect(byName.pyyaml.file).toBe('PyYAML-6.0.2-cp311-cp311-win_amd64.whl');
    expect(byName.docopt).toMatchObject({ file: 'docopt-0.6.2-py2.py3-none-any.whl', built: true });
    expect(listFiles(join(run.workspace, 'python', 'Lib', 'site-packages'))).toEqual(
      expect.arrayContaining(['yaml/__init__.py', 'colorama/__init__.py', 'docopt.py', 'six.py']),
    );
  });
});

describe.each(['uv', 'pip'] as Engine[])('hardening 3: index credentials (engine %s)', (engine) => {
  // As typed in the URLs (percent-encoded) and as the servers get them (decoded): all must stay hidden.
  const secrets = ['ix%2Fpa%24%24w0rd', 'ix/pa$$w0rd', 'xtr4%2Bt0k%40en', 'xtr4+t0k@en'];
  let primary: PackageIndex;
  let extra: PackageIndex;

  beforeAll(async () => {
    const extraDir = mkdtempSync(join(root, 'extra-index-'));
    writeWheel(extraDir, { name: 'extra-only', version: '1.0', files: { 'extra_only/__init__.py': '' } });
    primary = await startIndex(join(root, 'index'), { password: secrets[0] });
    extra = await startIndex(extraDir, { user: 'bot', password: secrets[2] });
  });
  afterAll(async () => {
    await primary?.close();
    await extra?.close();
  });

  test('hardening 3: index-url and extra-index-url with user:password@ reach both indexes and show nowhere: log, summary, outputs, tool cache, runner temp, workspace, uv and pip caches', async () => {
    const caches = {
      UV_CACHE_DIR: mkdtempSync(join(root, 'uv-cache-')),
      PIP_CACHE_DIR: mkdtempSync(join(root, 'pip-cache-')),
    };
    forgetWheels();
    const run = await download(
      {
        requirements: 'app-dep\nextra-only',
        engine,
        'index-url': primary.privateUrl,
        'extra-index-url': extra.privateUrl,
        'site-packages': 'dist/python/Lib/site-packages',
      },
      { env: caches },
    );
    expectSuccess(run);
    expect(files(run)).toEqual([
      'app_dep-1.0-py3-none-any.whl',
      'extra_only-1.0-py3-none-any.whl',
      'winonly-1.0-cp311-cp311-win_amd64.whl',
    ]);
    expect(primary.requests.some((p) => p.startsWith('/private/files/'))).toBe(true);
    expect(extra.requests.some((p) => p.startsWith('/private/files/extra_only'))).toBe(true);
    const folders = [toolCache, run.toolCache, run.runnerTemp, run.workspace, ...Object.values(caches)];
    expect(leaks(run, secrets, folders)).toEqual([]);
  });

  test('hardening 3: a failing resolution against indexes with credentials shows them nowhere either', async () => {
    const run = await download({
      requirements: 'no-such-project-anywhere',
      engine,
      'index-url': primary.privateUrl,
      'extra-index-url': extra.privateUrl,
    });
    expectOneError(run);
    expect(leaks(run, secrets, [run.toolCache, run.runnerTemp, run.workspace])).toEqual([]);
  });
});

describe('hardening 3: a refused index URL', () => {
  test.each([
    // Not a URL at all: a password holding a slash.
    [{ 'index-url': 'https://ci:pa/ss-w0rd@host/simple' }, 'index-url', ['pa/ss-w0rd']],
    // A token as the user name, no password (how some hosted indexes spell it).
    [
      { 'extra-index-url': 'ftp://s3cr3t-t0ken-only@mirror/simple' },
      'extra-index-url',
      ['s3cr3t-t0ken-only'],
    ],
    [
      { 'extra-index-url': 'https://ok.example/simple\nftp://ci:s3cr%24t-pw@mirror/simple' },
      'extra-index-url',
      ['s3cr%24t-pw', 's3cr$t-pw'],
    ],
  ])('hardening 3: %j is refused without showing its credentials', async (inputs, input, secrets) => {
    const run = await download({ requirements: 'app-dep', ...inputs });
    expect(expectOneError(run)).toContain(`Input '${input}' must be an http(s) URL`);
    expect(leaks(run, secrets, [run.runnerTemp, run.workspace])).toEqual([]);
  });
});

describe('hardening 9: cleanup aggressive never deletes a source that did not compile', () => {
  beforeAll(() => {
    // A module with a syntax error and a .pyc shipped beside it (bytes of some other build).
    writeWheel(join(root, 'index'), {
      name: 'shipspyc',
      version: '1.0',
      files: {
        'shipspyc/__init__.py': 'VALUE = 1\n',
        'shipspyc/broken.py': 'def oops(:\n',
        'shipspyc/broken.pyc': Buffer.alloc(64, 3),
      },
    });
  });

  test('hardening 9: a .py that fails to compile stays even with a shipped .pyc beside it, and the warnings say so truly', async () => {
    const run = await download({
      requirements: 'shipspyc',
      'site-packages': 'dist/python/Lib/site-packages',
      cleanup: 'aggressive',
    });
    expectSuccess(run);
    const installed = listFiles(join(run.workspace, 'dist', 'python', 'Lib', 'site-packages'));
    expect(installed).toEqual(
      expect.arrayContaining(['shipspyc/__init__.pyc', 'shipspyc/broken.py', 'shipspyc/broken.pyc']),
    );
    expect(installed).not.toContain('shipspyc/__init__.py');
    const warnings = run.warnings.join('\n');
    expect(warnings).toMatch(/compileall reported files it could not compile .*; their \.py files stay/);
    expect(warnings).toContain('1 .py file(s) did not compile and were kept: shipspyc/broken.py');
  });
});

describe('hardening 14: folders whose names start with two dots', () => {
  test('hardening 14: wheel-dir ..wheels and site-packages ..site/... inside the workspace are accepted', async () => {
    const run = await download({
      requirements: 'winonly',
      'wheel-dir': '..wheels',
      'site-packages': '..site/Lib/site-packages',
      cleanup: 'none',
    });
    expectSuccess(run);
    expect(run.outputs['wheel-dir']).toBe(join(run.workspace, '..wheels'));
    expect(listFiles(join(run.workspace, '..wheels'))).toEqual(['winonly-1.0-cp311-cp311-win_amd64.whl']);
    expect(listFiles(join(run.workspace, '..site', 'Lib', 'site-packages'))).toContain('winonly/__init__.py');
  });

  test('hardening 14: a wheel-dir ..wheels inside site-packages is not a separate folder', async () => {
    const before = index.requests.length;
    const run = await download({
      requirements: 'winonly',
      'site-packages': 'sp',
      'wheel-dir': 'sp/..wheels',
    });
    expect(expectOneError(run)).toContain("Input 'site-packages' and wheel-dir must be separate folders");
    expect(index.requests.length).toBe(before);
    expect(listFiles(run.workspace)).toEqual([]);
  });
});
