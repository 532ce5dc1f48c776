import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { extractTarGz } from '../src/extract-tar.js';

interface RawTarEntry {
  name: string;
  /** '0' file, '5' folder, '2' symbolic link, '1' hard link, '3' character device, '6' FIFO. */
  type?: string;
  data?: Buffer | string;
  mode?: number;
  linkname?: string;
}

/** A ustar archive written byte by byte, so entries a well-behaved packer refuses can be made. */
function rawTar(entries: RawTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? '');
    const header = Buffer.alloc(512);
    const field = (offset: number, length: number, value: string) =>
      header.write(value, offset, length, 'utf8');
    const octal = (offset: number, length: number, value: number) =>
      field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
    field(0, 100, entry.name);
    octal(100, 8, entry.mode ?? 0o644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, data.length);
    octal(136, 12, 0);
    field(148, 8, '        ');
    field(156, 1, entry.type ?? '0');
    field(157, 100, entry.linkname ?? '');
    field(257, 6, 'ustar\0');
    field(263, 2, '00');
    let sum = 0;
    for (const byte of header) sum += byte;
    field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function sandbox(entries: RawTarEntry[]) {
  const root = mkdtempSync(join(tmpdir(), 'extract-tar-'));
  const archive = join(root, 'python.tar.gz');
  writeFileSync(archive, rawTar(entries));
  return { root, archive, out: join(root, 'out') };
}

describe('extractTarGz', () => {
  test('a python-build-standalone-like tree: folders, files, executables, links inside the tree', async () => {
    const { archive, out } = sandbox([
      { name: 'python/', type: '5', mode: 0o755 },
      { name: 'python/bin/python3.11', data: 'ELF', mode: 0o755 },
      { name: 'python/bin/python3', type: '2', linkname: 'python3.11' },
      { name: './python/lib/libpython3.11.so', data: 'lib' },
      { name: 'python/lib/python3.11/os.py', data: 'import sys\n' },
      { name: 'python/lib/python3.11/config/libpython.so', type: '2', linkname: '../../libpython3.11.so' },
    ]);
    const result = await extractTarGz(archive, out);
    expect(result).toEqual({ files: 3, directories: 1, bytes: 17 });
    expect(readlinkSync(join(out, 'python/bin/python3'))).toBe('python3.11');
    expect(readFileSync(join(out, 'python/bin/python3'), 'utf8')).toBe('ELF');
    expect(statSync(join(out, 'python/bin/python3.11')).mode & 0o777).toBe(0o755);
    expect(statSync(join(out, 'python/lib/python3.11/os.py')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(out, 'python/lib/python3.11/config/libpython.so'), 'utf8')).toBe('lib');
  });

  test.each([
    ['a .. segment', [{ name: 'python/../../evil', data: 'x' }], /'\.\.' segment/],
    ['an absolute path', [{ name: '/tmp/evil', data: 'x' }], /absolute path/],
    ['a link to an absolute path', [{ name: 'python/etc', type: '2', linkname: '/etc' }], /absolute path/],
    [
      'a link out of the tree',
      [{ name: 'python/up', type: '2', linkname: '../../..' }],
      /out of the archive/,
    ],
    ['a hard link', [{ name: 'python/a', type: '1', linkname: 'python/b' }], /link entry/],
    ['a device', [{ name: 'python/dev', type: '3' }], /character-device entry/],
    ['a FIFO', [{ name: 'python/fifo', type: '6' }], /fifo entry/],
    [
      'a duplicate',
      [
        { name: 'python/a', data: '1' },
        { name: 'python/a', data: '2' },
      ],
      /duplicate entry/,
    ],
  ] as const)('%s is refused and nothing is left', async (_what, entries, reason) => {
    const { archive, out, root } = sandbox([{ name: 'python/ok', data: 'fine' }, ...entries]);
    await expect(extractTarGz(archive, out)).rejects.toThrow(reason);
    await expect(extractTarGz(archive, out)).rejects.toThrow(/nothing was extracted$/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(root, 'evil'))).toBe(false);
  });

  test('a link is made after every file, so no entry is written through it', async () => {
    const { archive, out } = sandbox([
      { name: 'python/lib', type: '2', linkname: 'real' },
      { name: 'python/lib/x', data: 'x' },
    ]);
    // Written as a plain folder first; the link then meets it and the whole extraction is refused.
    await expect(extractTarGz(archive, out)).rejects.toThrow(/EEXIST/);
    expect(existsSync(out)).toBe(false);
  });

  test('limits: entries, bytes and the ratio of the whole archive, naming the input that raises them', async () => {
    const many = sandbox([1, 2, 3].map((n) => ({ name: `f${n}`, data: 'x' })));
    await expect(
      extractTarGz(many.archive, many.out, {
        maxEntries: 2,
        limitInputs: { maxEntries: 'max-unpacked-files' },
      }),
    ).rejects.toThrow(/more than 2 entries; raise it with input 'max-unpacked-files'/);
    const big = sandbox([{ name: 'zeros', data: Buffer.alloc(4 * 1024 * 1024) }]);
    await expect(extractTarGz(big.archive, big.out, { maxBytes: 1024 * 1024 })).rejects.toThrow(
      /expands beyond the limit of 1.0 MiB \(stopped in 'zeros'\); raise it with the maxBytes option/,
    );
    await expect(extractTarGz(big.archive, big.out)).rejects.toThrow(/expands over 200:1/);
    expect(lstatSync(big.root).isDirectory()).toBe(true);
    expect(existsSync(big.out)).toBe(false);
  });

  test('not a tar.gz at all', async () => {
    const root = mkdtempSync(join(tmpdir(), 'extract-tar-'));
    writeFileSync(join(root, 'x.tar.gz'), 'not gzip');
    await expect(extractTarGz(join(root, 'x.tar.gz'), join(root, 'out'))).rejects.toThrow(
      /x\.tar\.gz is not a readable tar\.gz: .*nothing was extracted$/,
    );
  });
});
