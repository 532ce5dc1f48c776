import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles, recordingLogger, writeTree } from '@forge-actions/testing/files';
import { describe, expect, test } from '@jest/globals';
import { cleanSitePackages, treeSize } from '../src/cleanup.js';
import { probePython } from '../src/python.js';

const SITE = {
  'app/__init__.py': 'from .core import VALUE\n',
  'app/core.py': 'VALUE = 42\n',
  'app/core.pyi': 'VALUE: int\n',
  'app/bad.py': 'def f(:\n',
  'app/__pycache__/core.cpython-311.pyc': 'x',
  'app/tests/test_core.py': '',
  'app/test/data.txt': '',
  'app/deep/tests/fixture.py': 'KEEP = 1\n',
  'app/assets/logo.png': 'PNG',
  'app-1.0.dist-info/METADATA':
    'Metadata-Version: 2.1\nName: app\nVersion: 1.0\nRequires-Dist: pytest; extra == "test"\n',
  'setuptools/__init__.py': '',
  'pkg_resources/__init__.py': '',
  '_distutils_hack/__init__.py': '',
  'distutils-precedence.pth': 'import _distutils_hack\n',
  'setuptools-70.0.0.dist-info/METADATA': 'Name: setuptools\n',
  'pip/__init__.py': '',
  'pip-24.0.dist-info/METADATA': 'Name: pip\n',
  'pipx/__init__.py': '',
  'pipx-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: pipx\nVersion: 1.0\n',
  'tests/conftest.py': '',
};

function site(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  writeTree(dir, { ...SITE, ...extra });
  return dir;
}

/** `cleanup: aggressive` on a site-packages folder with this machine's python3 compiling. */
async function aggressive(dir: string) {
  const python = await probePython('python3');
  if (!python) throw new Error('python3 is needed');
  const logger = recordingLogger();
  const result = await cleanSitePackages(dir, {
    level: 'aggressive',
    remove: [],
    compilePython: python,
    logger,
  });
  return { dir, python, logger, result, files: listFiles(dir) };
}

describe('cleanSitePackages', () => {
  test('none touches nothing but the remove globs', async () => {
    const dir = site();
    const logger = recordingLogger();
    const result = await cleanSitePackages(dir, {
      level: 'none',
      remove: ['app/assets', '**/*.png', 'nope/*'],
      logger,
    });
    expect(listFiles(dir)).toEqual(
      Object.keys(SITE)
        .filter((f) => !f.startsWith('app/assets'))
        .sort(),
    );
    expect(result.removed).toEqual({ remove: 1 });
    expect(logger.warnings).toEqual([`remove: 'nope/*' matched nothing in ${dir}`]);
  });

  test('safe: caches, package-level tests, stubs, build tools; look-alike names and deeper tests stay', async () => {
    const dir = site();
    const result = await cleanSitePackages(dir, { level: 'safe', remove: [], logger: recordingLogger() });
    expect(listFiles(dir)).toEqual([
      'app-1.0.dist-info/METADATA',
      'app/__init__.py',
      'app/assets/logo.png',
      'app/bad.py',
      'app/core.py',
      'app/deep/tests/fixture.py',
      'pipx-1.0.dist-info/METADATA',
      'pipx/__init__.py',
      'tests/conftest.py',
    ]);
    expect(result.removed).toEqual({ 'build tools': 7, tests: 2, __pycache__: 1, '.pyi': 1 });
  });

  test('safe keeps a build tool an installed distribution requires at run time', async () => {
    const dir = site({
      'legacy-2.0.dist-info/METADATA':
        'Metadata-Version: 2.1\nName: legacy\nVersion: 2.0\nRequires-Dist: setuptools>=40\n',
    });
    const logger = recordingLogger();
    const result = await cleanSitePackages(dir, { level: 'safe', remove: [], logger });
    expect(result.keptBuildOnly).toEqual(['setuptools']);
    expect(listFiles(dir)).toEqual(
      expect.arrayContaining([
        'setuptools/__init__.py',
        'pkg_resources/__init__.py',
        'distutils-precedence.pth',
      ]),
    );
    expect(listFiles(dir)).not.toContain('pip/__init__.py');
    expect(logger.infos).toContain('Kept setuptools: legacy requires it at run time');
  });

  test('aggressive never deletes a .py without compiling first', async () => {
    await expect(
      cleanSitePackages(site(), { level: 'aggressive', remove: [], logger: recordingLogger() }),
    ).rejects.toThrow('aggressive cleanup needs a Python of the target version');
  });

  test('aggressive: compileall -b, then only compiled sources go, dist-info too; the package imports', async () => {
    const { dir, python, logger, result, files } = await aggressive(site());
    expect(files.filter((f) => f.endsWith('.py'))).toEqual(['app/bad.py']);
    expect(files).toEqual(
      expect.arrayContaining(['app/__init__.pyc', 'app/core.pyc', 'app/deep/tests/fixture.pyc']),
    );
    expect(files.filter((f) => f.includes('.dist-info') || f.includes('__pycache__'))).toEqual([]);
    expect(result.uncompiled).toEqual(['app/bad.py']);
    expect(result.compiled).toBeGreaterThan(3);
    expect(logger.warnings).toContain('1 .py file(s) did not compile and were kept: app/bad.py');
    const out = execFileSync(
      python.executable,
      ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); import app; print(app.VALUE)', dir],
      {
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('42');
  });

  test('treeSize adds up file bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'size-'));
    writeTree(dir, { a: '12345', 'b/c': 'xyz', 'b/d/e': '' });
    expect(await treeSize(dir)).toBe(8);
  });
});

describe('hardening 9', () => {
  test('hardening 9: aggressive keeps a .py that did not compile though the wheel shipped a .pyc beside it; a shipped .pyc of a good source is replaced', async () => {
    const shippedBytes = Buffer.alloc(40, 9);
    const { dir, logger, result, files } = await aggressive(
      site({ 'app/bad.pyc': shippedBytes.toString('latin1'), 'app/core.pyc': 'stale bytes' }),
    );
    expect(files).toEqual(expect.arrayContaining(['app/bad.py', 'app/bad.pyc', 'app/core.pyc']));
    expect(files).not.toContain('app/core.py');
    expect(result.uncompiled).toEqual(['app/bad.py']);
    // The shipped .pyc of the source that failed is left as it was; the good source's was recompiled.
    expect(readFileSync(join(dir, 'app', 'bad.pyc'))).toEqual(
      Buffer.from(shippedBytes.toString('latin1'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'app', 'core.pyc'), 'latin1')).not.toBe('stale bytes');
    expect(logger.warnings).toContain('1 .py file(s) did not compile and were kept: app/bad.py');
    expect(logger.warnings.join('\n')).toMatch(/could not compile .*; their \.py files stay/);
  });
});
