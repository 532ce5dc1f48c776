import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type RawEntry, rawZip } from '@forge-actions/testing/raw-zip';
import { describe, expect, test } from '@jest/globals';
import { ZipArchive } from 'archiver';
import { caseClashFinder, unsafeEntryName, windowsUnsafeName } from '../src/entry-names.js';
import { extractZip } from '../src/extract-zip.js';

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

describe('hardening: bounded extraction', () => {
  test('hardening 6: more bytes than maxBytes are refused before anything is written, naming how to raise it', async () => {
    const { root, zip, out } = sandbox([
      { name: 'a.bin', data: Buffer.alloc(400, 1) },
      { name: 'b.bin', data: Buffer.alloc(400, 2) },
      { name: 'c.bin', data: Buffer.alloc(400, 3) },
    ]);
    const before = listAll(root);
    await expect(
      extractZip(zip, out, { maxBytes: 1000, limitInputs: { maxBytes: 'max-extracted-size' } }),
    ).rejects.toThrow(
      "test.zip expands to 1.2 KiB, beyond the limit of 1000 B; raise it with input 'max-extracted-size'; nothing was extracted",
    );
    expect(listAll(root)).toEqual(before);
    // Within the limit it extracts.
    expect((await extractZip(zip, out, { maxBytes: 1200 })).bytes).toBe(1200);
  });

  test('hardening 6: more entries than maxEntries are refused, nothing written', async () => {
    const { root, zip, out } = sandbox(
      Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: String(i) })),
    );
    const before = listAll(root);
    await expect(extractZip(zip, out, { maxEntries: 3 })).rejects.toThrow(
      /^test\.zip holds 5 entries, beyond the limit of 3; raise it with .*maxEntries.*; nothing was extracted$/,
    );
    expect(listAll(root)).toEqual(before);
  });

  test('hardening 6: a zip bomb (20 MiB of zeros deflated to ~20 KiB) is refused by its ratio; small well-compressed files pass', async () => {
    const { root, zip, out } = sandbox([
      { name: 'python.exe', data: 'MZ' },
      { name: 'bomb.bin', data: Buffer.alloc(20 * 1024 * 1024), deflate: true },
    ]);
    expect(statSync(zip).size).toBeLessThan(64 * 1024);
    const before = listAll(root);
    await expect(extractZip(zip, out)).rejects.toThrow(
      /^test\.zip has an entry 'bomb\.bin' that expands \d+:1 \(20\.0 MiB from [\d.]+ KiB\), beyond the limit of 200:1 for entries over 1\.0 MiB; raise it with .*; nothing was extracted$/,
    );
    expect(listAll(root)).toEqual(before);

    // Below the 1 MiB floor a very high ratio is normal (a blank file, a sparse table): extracted.
    const small = sandbox([{ name: 'zeros.bin', data: Buffer.alloc(512 * 1024), deflate: true }]);
    expect(await extractZip(small.zip, small.out)).toEqual({ files: 1, directories: 0, bytes: 512 * 1024 });
    // And the ratio limit can be raised.
    expect((await extractZip(zip, join(root, 'raised'), { maxRatio: 2000 })).bytes).toBe(
      20 * 1024 * 1024 + 2,
    );
  });

  test('hardening 6: a bomb whose header claims 100 bytes is stopped by the bytes really inflated; nothing is kept', async () => {
    const { root, zip, out } = sandbox([
      { name: 'python.exe', data: 'MZ' },
      { name: 'liar.bin', data: Buffer.alloc(20 * 1024 * 1024), deflate: true, size: 100 },
    ]);
    const before = listAll(root);
    await expect(extractZip(zip, out)).rejects.toThrow(
      "test.zip is damaged: entry 'liar.bin' holds more than its stated 100 bytes; nothing was extracted",
    );
    expect(listAll(root)).toEqual(before);
  });

  test('hardening 6: a failure after some files were written removes what this extraction wrote, and only that', async () => {
    const { zip, out } = sandbox([
      { name: 'python.exe', data: 'MZ' },
      { name: 'Lib/os.py', data: 'import sys\n' },
      { name: 'DLLs/deep/x.pyd', data: 'x' },
      { name: 'python311.dll', data: 'MZ dll', crc: 12345 },
    ]);
    mkdirSync(join(out, 'Lib'), { recursive: true });
    writeFileSync(join(out, 'keep.txt'), 'mine');
    await expect(extractZip(zip, out)).rejects.toThrow("entry 'python311.dll' fails its CRC-32 check");
    expect(listAll(out)).toEqual(['Lib/', 'keep.txt']);
  });
});

describe('hardening: names Windows cannot hold', () => {
  test.each([
    ['python.exe:x', /alternate data stream/],
    ['Lib/os.py:Zone.Identifier', /alternate data stream/],
    ['CON', /reserved Windows device name 'CON'/],
    ['aux.txt', /reserved Windows device name 'aux'/],
    ['LPT1', /reserved Windows device name 'LPT1'/],
    ['Lib/COM1.py', /reserved Windows device name 'COM1'/],
    ['nul/x.py', /reserved Windows device name 'nul'/],
    ['Con.tar.gz', /reserved Windows device name 'Con'/],
    ['prn .txt', /reserved Windows device name 'prn'/],
    ['x.', /trailing dot/],
    ['Lib./os.py', /trailing dot/],
    ['x ', /trailing space/],
    ['dir /x', /trailing space/],
    ['what?.txt', /character '\?'/],
  ])('hardening 7: %j is refused by windowsUnsafeName (%s)', (name, reason) => {
    expect(windowsUnsafeName(name)).toMatch(reason);
  });

  test('hardening 7: look-alikes Windows accepts are extracted; one hostile name beside them refuses all', async () => {
    const fine = [
      'CONFIG.txt',
      'console.py',
      'auxiliary/x',
      'com10.py',
      'LPT.txt',
      '.gitignore',
      'a..b',
      'Lib/site-packages/',
      'nul_ext',
      'x.y.z',
    ];
    for (const name of [...fine, './x']) expect([name, windowsUnsafeName(name)]).toEqual([name, undefined]);
    const entries = fine.map((name) => ({ name, data: name.endsWith('/') ? '' : 'x' }));
    const ok = sandbox(entries);
    await extractZip(ok.zip, ok.out);
    expect(listAll(ok.out)).toContain('com10.py');
    const bad = sandbox([...entries, { name: 'aux.txt', data: 'x' }]);
    await expect(extractZip(bad.zip, bad.out)).rejects.toThrow(
      "'aux.txt' (reserved Windows device name 'aux')",
    );
  });

  test('hardening 7: caseClashFinder reports names and folders equal but for case', () => {
    const add = caseClashFinder();
    expect(add('Lib/')).toBeUndefined();
    expect(add('Lib/os.py')).toBeUndefined();
    expect(add('A.txt')).toBeUndefined();
    expect(add('a.txt')).toBe("differs only in case from 'A.txt'");
    expect(add('LIB/x.py')).toBe("folder 'LIB' differs only in case from 'Lib'");
    expect(add('Lib/os.py')).toBeUndefined();
  });

  test.each([
    ['an alternate data stream', 'python.exe:x', /'python\.exe:x' \(.*alternate data stream/],
    ['a reserved device name', 'aux.txt', /'aux\.txt' \(reserved Windows device name 'aux'\)/],
    [
      'a reserved device name without extension',
      'Lib/CON',
      /'Lib\/CON' \(reserved Windows device name 'CON'\)/,
    ],
    ['a reserved device folder', 'lpt1/x.py', /'lpt1\/x\.py' \(reserved Windows device name 'lpt1'\)/],
    ['a trailing dot', 'x.', /'x\.' \(trailing dot/],
    ['a trailing space', 'Lib /os.py', /'Lib \/os\.py' \(trailing space/],
  ])('hardening 7: extractZip refuses %s and writes nothing', async (_what, evil, message) => {
    const { root, zip, out } = sandbox([
      { name: 'python.exe', data: 'MZ' },
      { name: evil, data: 'x' },
    ]);
    const before = listAll(root);
    await expect(extractZip(zip, out)).rejects.toThrow(message);
    await expect(extractZip(zip, out)).rejects.toThrow(/nothing was extracted$/);
    expect(listAll(root)).toEqual(before);
  });

  test.each([
    [['A.txt', 'a.txt'], "'a.txt' (differs only in case from 'A.txt')"],
    [['Lib/os.py', 'lib/site.py'], "'lib/site.py' (folder 'lib' differs only in case from 'Lib')"],
    [['Lib/', 'LIB/'], "'LIB/' (differs only in case from 'Lib')"],
  ])('hardening 7: extractZip refuses names equal but for case %j', async (names, message) => {
    const { root, zip, out } = sandbox(names.map((name) => ({ name, data: name.endsWith('/') ? '' : 'x' })));
    const before = listAll(root);
    await expect(extractZip(zip, out)).rejects.toThrow(message);
    expect(listAll(root)).toEqual(before);
  });

  test('hardening 7: refused by default, extracted with windowsNames: false (what Linux accepts)', async () => {
    const { zip, out } = sandbox([
      { name: 'aux.txt', data: '1' },
      { name: 'A.txt', data: '2' },
      { name: 'a.txt', data: '3' },
    ]);
    await expect(extractZip(zip, out)).rejects.toThrow(/unsafe entry 'aux\.txt' .* and 1 more/);
    await extractZip(zip, out, { windowsNames: false });
    expect(listAll(out)).toEqual(['A.txt', 'a.txt', 'aux.txt']);
  });
});

describe('hardening: paths', () => {
  test("hardening 14: an entry in a folder named '..app' is inside the destination and extracted", async () => {
    const { zip, out } = sandbox([
      { name: '..app/main.py', data: 'print(1)\n' },
      { name: '..data', data: 'x' },
    ]);
    await extractZip(zip, out);
    expect(listAll(out)).toEqual(['..app/', '..app/main.py', '..data']);
  });
});
