import { createHash } from 'node:crypto';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { sha256File } from '../src/hash.js';

const dir = mkdtempSync(join(tmpdir(), 'hash-'));
const expected = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('a small file is hashed in process, a large one on worker threads, several at once', async () => {
  const small = join(dir, 'small');
  writeFileSync(small, 'abc');
  const large = [0, 1, 2, 3].map((i) => {
    const path = join(dir, `large-${i}`);
    writeFileSync(path, `head ${i}`);
    truncateSync(path, 9 * 1024 * 1024 + i);
    return path;
  });
  const digests = await Promise.all([small, ...large].map(sha256File));
  const zeros = (i: number) =>
    Buffer.concat([Buffer.from(`head ${i}`), Buffer.alloc(9 * 1024 * 1024 + i - 6)]);
  expect(digests).toEqual([expected(Buffer.from('abc')), ...[0, 1, 2, 3].map((i) => expected(zeros(i)))]);
});

test('a missing file fails with its code, as fs does', async () => {
  await expect(sha256File(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
});
