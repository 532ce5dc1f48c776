import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listFiles, recordingLogger, writeTree } from '@forge-actions/testing/files';
import { rawZip } from '@forge-actions/testing/raw-zip';
import { describe, expect, test } from '@jest/globals';
import { installWheels } from '../src/install.js';

function wheel(
  dir: string,
  file: string,
  entries: Record<string, string>,
  raw: Parameters<typeof rawZip>[0] = [],
) {
  const path = join(dir, file);
  writeFileSync(path, rawZip([...Object.entries(entries).map(([name, data]) => ({ name, data })), ...raw]));
  return path;
}

describe('installWheels', () => {
  test('root, purelib and platlib into site-packages; scripts, headers and data left out and named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'install-'));
    const a = wheel(dir, 'a-1.0-cp311-cp311-win_amd64.whl', {
      'a/__init__.py': 'A',
      'a-1.0.dist-info/METADATA': 'Name: a',
      'a-1.0.data/purelib/a_pure.py': 'P',
      'a-1.0.data/platlib/a/_native.pyd': 'MZ',
      'a-1.0.data/scripts/a-tool': '#!python',
      'a-1.0.data/headers/a.h': '',
      'a-1.0.data/data/share/a.txt': '',
    });
    const b = wheel(dir, 'b-2.0-py3-none-any.whl', { 'b.py': 'B', 'b-2.0.dist-info/METADATA': 'Name: b' });
    const site = join(dir, 'python', 'Lib', 'site-packages');
    const logger = recordingLogger();
    const result = await installWheels([a, b], site, logger);
    expect(listFiles(site)).toEqual([
      'a-1.0.dist-info/METADATA',
      'a/__init__.py',
      'a/_native.pyd',
      'a_pure.py',
      'b-2.0.dist-info/METADATA',
      'b.py',
    ]);
    expect(result).toEqual({
      files: 6,
      skipped: [
        'a-1.0-cp311-cp311-win_amd64.whl: a-1.0.data/data',
        'a-1.0-cp311-cp311-win_amd64.whl: a-1.0.data/headers',
        'a-1.0-cp311-cp311-win_amd64.whl: a-1.0.data/scripts',
      ].sort(),
    });
    // The staging folder beside site-packages is gone.
    expect(readdirSync(dirname(site))).toEqual(['site-packages']);
  });

  test('an unsafe wheel anywhere in the list: nothing at all is installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'install-'));
    const good = wheel(dir, 'good-1.0-py3-none-any.whl', { 'good.py': '' });
    const bad = wheel(dir, 'bad-1.0-py3-none-any.whl', { 'bad.py': '' }, [
      { name: 'bad/../../../x.py', data: 'x' },
    ]);
    const site = join(dir, 'site-packages');
    await expect(installWheels([good, bad], site, recordingLogger())).rejects.toThrow(
      "bad-1.0-py3-none-any.whl has an unsafe entry 'bad/../../../x.py' ('..' segment); nothing was extracted",
    );
    expect(listFiles(dir).filter((f) => !f.endsWith('.whl'))).toEqual([]);
    expect(existsSync(join(dir, 'x.py'))).toBe(false);
  });

  test('a file two wheels share is a warning and the later copy wins; an older copy is replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'install-'));
    const site = join(dir, 'site-packages');
    writeTree(site, { 'ns/shared.py': 'old', 'keep.txt': 'mine' });
    const one = wheel(dir, 'one-1.0-py3-none-any.whl', { 'ns/one.py': '', 'ns/shared.py': 'one' });
    const two = wheel(dir, 'two-1.0-py3-none-any.whl', { 'ns/two.py': '', 'ns/shared.py': 'two' });
    const logger = recordingLogger();
    await installWheels([one, two], site, logger);
    expect(readFileSync(join(site, 'ns', 'shared.py'), 'utf8')).toBe('two');
    expect(listFiles(site)).toEqual(['keep.txt', 'ns/one.py', 'ns/shared.py', 'ns/two.py']);
    expect(logger.warnings).toEqual([
      'one-1.0-py3-none-any.whl and two-1.0-py3-none-any.whl both install ns/shared.py; the copy of two-1.0-py3-none-any.whl is kept',
    ]);
  });
});
