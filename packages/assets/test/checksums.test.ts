import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '@forge-actions/system';
import { describe, expect, test } from '@jest/globals';
import { formatChecksums, parseChecksums } from '../src/checksums.js';

describe('SHA256SUMS', () => {
  test('is accepted by sha256sum -c, and a changed file is caught', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sums-'));
    writeFileSync(join(dir, 'b file.zip'), 'bbb');
    writeFileSync(join(dir, 'a.exe'), 'a');
    const entries = await Promise.all(
      ['b file.zip', 'a.exe'].map(async (name) => ({ name, sha256: await sha256File(join(dir, name)) })),
    );
    const text = formatChecksums(entries);
    expect(text.split('\n')[0]).toBe(`${entries[1].sha256}  a.exe`);
    writeFileSync(join(dir, 'SHA256SUMS'), text);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toBe(
      'a.exe: OK\nb file.zip: OK\n',
    );
    writeFileSync(join(dir, 'a.exe'), 'changed');
    expect(() =>
      execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir, stdio: 'pipe' }),
    ).toThrow();
  });

  test('parses both modes and ignores other lines', () => {
    const a = 'A'.repeat(64);
    const b = 'b'.repeat(64);
    expect(parseChecksums(`${a}  x.zip\r\n${b} *y.bin\n# comment\nshort  z\n`)).toEqual(
      new Map([
        ['x.zip', 'a'.repeat(64)],
        ['y.bin', b],
      ]),
    );
  });

  test('sha256File matches sha256sum on a file of several chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hash-'));
    const path = join(dir, 'big.bin');
    writeFileSync(path, Buffer.alloc(3 * 1024 * 1024 + 17, 7));
    expect(await sha256File(path)).toBe(
      execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0],
    );
  });
});
