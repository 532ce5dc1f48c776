import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from '@jest/globals';
import { ZipArchive } from 'archiver';
import { unsafeEntryName } from '../src/entry-names.js';
import { extractZip } from '../src/extract-zip.js';
import { type RawEntry, rawZip } from './raw-zip.js';

/** A sandbox with the zip in `zip/`, extraction into `root/out`, and `root/` watched for strays. */
function sandbox(entries: RawEntry[]) {
  const root = mkdtempSync(join(tmpdir(), 'extract-zip-'));
  const zip = join(root, 'test.zip');
  writeFileSync(zip, rawZip(entries));
  return { root, zip, out: join(root, 'box', 'out') };
}

/** Every path below `dir`, relative, sorted. */
function listAll(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? [`${rel}/`, ...listAll(join(dir, e.name), rel)] : [rel];
    })
    .sort();
}

describe('unsafeEntryName', () => {
  test.each([
    ['../evil', "'..' segment"],
    ['a/../../evil', "'..' segment"],
    ['/etc/passwd', 'absolute path'],
    ['//server/share/x', 'absolute path'],
    ['C:/Windows/evil.dll', 'drive letter'],
    ['c:evil', 'drive letter'],
    ['..\\evil', 'backslash in the name'],
    ['a\\..\\..\\evil', 'backslash in the name'],
    ['\\\\server\\share', 'backslash in the name'],
    ['a\u0000b', 'control character in the name'],
    ['', 'empty name'],
  ])('%j is refused (%s)', (name, reason) => {
    expect(unsafeEntryName(name)).toBe(reason);
  });

  test.each(['python.exe', 'Lib/site-packages/', 'a/..b/c', 'a/b..', './x', 'dir/file.txt'])(
    '%j is fine',
    (name) => {
      expect(unsafeEntryName(name)).toBeUndefined();
    },
  );
});

describe('extractZip', () => {
  test('extracts files and folders with their bytes', async () => {
    const { zip, out } = sandbox([
      { name: 'python.exe', data: 'MZ' },
      { name: 'Lib/', unixMode: 0o040755 },
      { name: 'Lib/site.py', data: 'import os\n' },
      { name: 'run.sh', data: '#!/bin/sh\n', unixMode: 0o100755 },
      { name: 'Lib/empty.py', data: '' },
    ]);
    const result = await extractZip(zip, out);
    expect(result).toEqual({ files: 4, directories: 1, bytes: 2 + 10 + 10 });
    expect(listAll(out)).toEqual(['Lib/', 'Lib/empty.py', 'Lib/site.py', 'python.exe', 'run.sh']);
    expect(readFileSync(join(out, 'Lib', 'empty.py'), 'utf8')).toBe('');
    expect(readFileSync(join(out, 'Lib', 'site.py'), 'utf8')).toBe('import os\n');
    expect(statSync(join(out, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(statSync(join(out, 'python.exe')).mode & 0o111).toBe(0);
  });

  test('inflates deflated entries (as archiver and python.org write them), large and empty', async () => {
    const root = mkdtempSync(join(tmpdir(), 'extract-zip-'));
    const zip = join(root, 'deflated.zip');
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const text = 'import site\n'.repeat(50_000);
    const archive = new ZipArchive({ zlib: { level: 6 } });
    const written = pipeline(archive, createWriteStream(zip));
    archive.append(big, { name: 'python311.dll' });
    archive.append(text, { name: 'Lib/site.py' });
    archive.append('', { name: 'empty.txt' });
    await archive.finalize();
    await written;
    const out = join(root, 'out');
    expect(await extractZip(zip, out)).toEqual({ files: 3, directories: 0, bytes: big.length + text.length });
    expect(readFileSync(join(out, 'python311.dll')).equals(big)).toBe(true);
    expect(readFileSync(join(out, 'Lib', 'site.py'), 'utf8')).toBe(text);
    expect(readFileSync(join(out, 'empty.txt'), 'utf8')).toBe('');
  });

  test.each([
    ['a parent-folder entry', '../evil'],
    ['a deep parent-folder entry', 'ok/../../evil'],
    ['an absolute path', '/tmp/forge-actions-evil'],
    ['a drive letter', 'C:/evil.txt'],
    ['a backslash parent', '..\\evil'],
  ])('refuses %s and writes nothing at all', async (_what, evil) => {
    // The hostile entry comes last: a writer that checks as it goes would already have written the others.
    const { root, zip, out } = sandbox([
      { name: 'python.exe', data: 'MZ' },
      { name: 'Lib/os.py', data: 'x' },
      { name: evil, data: 'pwned' },
    ]);
    const before = listAll(root);
    await expect(extractZip(zip, out)).rejects.toThrow(/has an unsafe entry .*; nothing was extracted/);
    expect(listAll(root)).toEqual(before);
    expect(existsSync('/tmp/forge-actions-evil')).toBe(false);
  });

  test('refuses a symbolic link entry', async () => {
    const { zip, out } = sandbox([
      { name: 'lib', data: '/etc', unixMode: 0o120777 },
      { name: 'lib/passwd', data: 'x' },
    ]);
    await expect(extractZip(zip, out)).rejects.toThrow(
      "unsafe entry 'lib' (symbolic link); nothing was extracted",
    );
    expect(existsSync(out)).toBe(false);
  });

  test('refuses duplicate names', async () => {
    const { zip, out } = sandbox([
      { name: 'a.txt', data: '1' },
      { name: 'a.txt', data: '2' },
    ]);
    await expect(extractZip(zip, out)).rejects.toThrow("'a.txt' (duplicate entry)");
    expect(existsSync(out)).toBe(false);
  });

  test('a damaged entry (CRC-32 mismatch) fails naming it', async () => {
    const { zip, out } = sandbox([
      { name: 'python.exe', data: 'MZ' },
      { name: 'python311.dll', data: 'MZ dll', crc: 12345 },
    ]);
    await expect(extractZip(zip, out)).rejects.toThrow(
      "test.zip is damaged: entry 'python311.dll' fails its CRC-32 check",
    );
  });

  test('a file that is no zip fails with one line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'extract-zip-'));
    const zip = join(root, 'python.zip');
    writeFileSync(zip, '<html>404</html>');
    await expect(extractZip(zip, join(root, 'out'))).rejects.toThrow(
      /^python\.zip is not a readable zip file: /,
    );
  });
});
