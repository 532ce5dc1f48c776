// The zip writer's own paths: more files read whole than it reads ahead, more entries than the classic
// end record counts (Zip64), and files that cannot be read when their turn comes (the archive fails
// instead of hanging or ending short).
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { deflateRawSync } from 'node:zlib';
import { zipEntries } from '@forge-actions/testing/zip-entries';
import { describe, expect, test } from '@jest/globals';
import yauzl from 'yauzl';
import type { PackEntry } from '../src/pack-entry.js';
import { zipArchive } from '../src/zip-writer.js';

const MTIME = new Date(Date.UTC(2024, 0, 2, 3, 4, 6));
const MIB = 1024 * 1024;

function fileEntry(absolute: string, name: string, size: number): PackEntry {
  return { kind: 'file', name, mode: 0o644, absolute, size, stats: undefined as never };
}

describe('zipArchive', () => {
  test('100 files of 1 MiB (past the read-ahead bounds): every one in order, deflated as zlib does', async () => {
    const root = mkdtempSync(join(tmpdir(), 'zip-writer-'));
    const entries: PackEntry[] = [];
    for (let i = 0; i < 100; i++) {
      const path = join(root, `f${String(i).padStart(3, '0')}.txt`);
      writeFileSync(path, Buffer.alloc(MIB, `${i} line of text\n`));
      entries.push(fileEntry(path, `f${String(i).padStart(3, '0')}.txt`, MIB));
    }
    const { output, filled } = zipArchive(entries, { level: 6, mtime: MTIME });
    const zip = join(root, 'out.zip');
    await Promise.all([pipeline(output, createWriteStream(zip)), filled]);
    const raw = await zipEntries(zip);
    expect(raw.map(({ name }) => name)).toEqual(entries.map((entry) => entry.name));
    for (const { name, data } of raw) {
      expect(data.equals(deflateRawSync(readFileSync(join(root, name)), { level: 6 }))).toBe(true);
    }
  });

  test.each([6, 0])(
    'a file past 8 MiB streams (level %i): data descriptor, bytes as zlib makes them',
    async (level) => {
      const root = mkdtempSync(join(tmpdir(), 'zip-writer-'));
      const big = join(root, 'big.dat');
      writeFileSync(big, Buffer.alloc(9 * MIB + 7, 'streamed text, line after line\n'));
      writeFileSync(join(root, 'after.txt'), 'after');
      const entries = [
        fileEntry(big, 'big.dat', 9 * MIB + 7),
        fileEntry(join(root, 'after.txt'), 'after.txt', 5),
      ];
      const zip = join(root, 'out.zip');
      const { output, filled } = zipArchive(entries, { level, mtime: MTIME });
      await Promise.all([pipeline(output, createWriteStream(zip)), filled]);
      expect(execFileSync('unzip', ['-tq', zip], { encoding: 'utf8' })).toContain('No errors detected');
      const [streamed, after] = await zipEntries(zip);
      expect(streamed.flags & 0x08).toBe(0x08);
      expect(after.flags & 0x08).toBe(0);
      const content = readFileSync(big);
      expect(streamed.data.equals(level === 0 ? content : deflateRawSync(content, { level }))).toBe(true);
      expect(after.name).toBe('after.txt');
    },
  );

  test('70,000 entries: Zip64 end records, which unzip, 7z and yauzl read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'zip-writer-'));
    const entries: PackEntry[] = Array.from({ length: 70_000 }, (_, i) => ({
      kind: 'directory',
      name: `d${i}`,
      mode: 0o755,
    }));
    const zip = join(root, 'many.zip');
    const { output, filled } = zipArchive(entries, { level: 6, mtime: MTIME });
    await Promise.all([pipeline(output, createWriteStream(zip)), filled]);
    expect(execFileSync('unzip', ['-tq', zip], { encoding: 'utf8' })).toContain('No errors detected');
    expect(execFileSync('7z', ['t', zip], { encoding: 'utf8' })).toContain('Folders: 70000');
    const read = await yauzl.openPromise(zip, { lazyEntries: true });
    expect(read.entryCount).toBe(70_000);
    read.close();
  });

  test.each([
    ['read whole', 10],
    ['streamed', 9 * MIB],
  ])('a file gone when its turn comes (%s) fails the archive, naming it', async (_, size) => {
    const root = mkdtempSync(join(tmpdir(), 'zip-writer-'));
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, 'a', 'here.txt'), 'here');
    const gone = join(root, 'a', 'gone.bin');
    const { output, filled } = zipArchive(
      [fileEntry(join(root, 'a', 'here.txt'), 'a/here.txt', 4), fileEntry(gone, 'a/gone.bin', size)],
      { level: 6, mtime: MTIME },
    );
    const outcome = Promise.all([buffer(output), filled]);
    await expect(outcome).rejects.toThrow(gone);
  });
});
