// packArchive's compression levels in both formats, checked against the system's unzip and zlib itself.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { missingTools } from '@forge-actions/testing/embed-mirror';
import { zipEntries } from '@forge-actions/testing/zip-entries';
import { describe, expect, test } from '@jest/globals';
import { packArchive } from '../src/pack.js';

const inCi = process.env.CI === 'true';
const missing = missingTools(['unzip', '7z']);
const MTIME = new Date(Date.UTC(2023, 10, 14, 22, 13, 20));

/** Text that deflates differently at levels 1, 6 and 9. */
function text(seed: number, size: number): Buffer {
  const words = ['import', 'value', 'return', 'self', 'path', 'data', 'error', 'None', 'print', 'class'];
  let state = seed;
  const out: string[] = [];
  for (let length = 0; length < size; ) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const word = `${words[state % words.length]}${state % 7 === 0 ? '\n' : ' '}`;
    out.push(word);
    length += word.length;
  }
  return Buffer.from(out.join('')).subarray(0, size);
}

/** Random bytes from a seed: data deflate cannot shrink. */
function noise(seed: number, size: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < size; i++)
    chunks.push(createHash('sha256').update(`${seed}/${i}`).digest());
  return Buffer.concat(chunks).subarray(0, size);
}

/**
 * A tree with what the writer treats differently: many small text files, random ones (stored), an
 * empty one, files past the 1 MiB read-whole limit (streamed), a link and an empty folder.
 */
function makeTree(): string {
  const source = join(mkdtempSync(join(tmpdir(), 'pack-')), 'app');
  for (let i = 0; i < 120; i++) {
    const dir = join(source, `lib${i % 5}`, `pkg${i % 7}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `m${i}.py`), i % 4 === 0 ? noise(i, 3_000 + i * 97) : text(i, 200 + i * 97));
  }
  writeFileSync(join(source, 'empty.txt'), '');
  writeFileSync(join(source, 'big-text.dat'), text(7, 1024 * 1024 + 5));
  writeFileSync(join(source, 'big-noise.dat'), noise(8, 1024 * 1024 + 3));
  symlinkSync('lib0/pkg0/m0.py', join(source, 'link.py'));
  mkdirSync(join(source, 'logs'));
  return source;
}

function output(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'pack-out-')), name);
}

describe('packArchive', () => {
  if (missing.length > 0) {
    const note = `${missing.join(', ')} missing (apt-get install unzip 7zip)`;
    if (inCi) test('unzip and 7z are installed', () => expect(note).toBe('no missing tool'));
    else {
      console.warn(`SKIPPED: packArchive tests: ${note}`);
      test.skip(note, () => {});
    }
    return;
  }

  test.each([0, 1, 9])('zip: level %i', async (level) => {
    const source = makeTree();
    const archive = output('App.zip');
    await packArchive({ source, output: archive, format: 'zip', rootDir: '', mtime: MTIME, level });
    const raw = new Map((await zipEntries(archive)).map((entry) => [entry.name, entry]));
    for (const name of ['lib1/pkg1/m1.py', 'big-text.dat']) {
      const content = readFileSync(join(source, name));
      const expected = level === 0 ? content : deflateRawSync(content, { level });
      expect(raw.get(name)?.data.equals(expected)).toBe(true);
      expect(raw.get(name)?.method).toBe(level === 0 ? 0 : 8);
    }
    expect(execFileSync('unzip', ['-t', archive], { encoding: 'utf8' })).toContain('No errors detected');
  });

  test.each([
    [undefined, 6],
    [1, 1],
    [9, 9],
  ])('tar.gz: level %p deflates as gzip -%i', async (level, gzipLevel) => {
    const source = makeTree();
    const archive = output('App.tar.gz');
    await packArchive({ source, output: archive, format: 'tar.gz', rootDir: 'App', mtime: MTIME, level });
    const gz = readFileSync(archive);
    expect(gzipSync(gunzipSync(gz), { level: gzipLevel }).equals(gz)).toBe(true);
  });
});
