import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import { describe, expect, test } from '@jest/globals';
import { selectFiles } from '../src/select-files.js';

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'select-'));
  const ws = join(root, 'ws');
  mkdirSync(join(ws, 'build', 'sub'), { recursive: true });
  writeFileSync(join(ws, 'build', 'App.zip'), 'zip');
  writeFileSync(join(ws, 'build', 'App-setup.exe'), 'exe');
  writeFileSync(join(ws, 'build', 'notes.txt'), 'txt');
  writeFileSync(join(ws, 'build', 'sub', 'App.tar.gz'), 'tgz');
  writeFileSync(join(root, 'secret.txt'), 'outside');
  return { root, ws };
}

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('selectFiles', () => {
  test('globs one a line, with exclusions, sorted, named by base name', async () => {
    const { ws } = workspace();
    const files = await selectFiles(['build/**/App*', '!build/**/*.exe'], ws, true);
    expect(files.map((f) => f.name)).toEqual(['App.zip', 'App.tar.gz']);
    expect(files[0]).toEqual({ name: 'App.zip', path: join(ws, 'build', 'App.zip'), size: 3 });
  });

  test('no match fails naming the input, unless allowed', async () => {
    const { ws } = workspace();
    expect((await inputError(selectFiles(['dist/*.whl'], ws, true))).message).toMatch(
      /^Input 'files' matched no files/,
    );
    expect(await selectFiles(['dist/*.whl'], ws, false)).toEqual([]);
  });

  test('patterns outside the workspace are refused before anything is read', async () => {
    const { ws, root } = workspace();
    for (const pattern of ['../secret.txt', '../*', join(root, 'secret.txt'), 'build/../../*']) {
      expect((await inputError(selectFiles([pattern], ws, true))).message).toContain(
        'points outside the workspace',
      );
    }
  });

  test('a symlink that leads out of the workspace is refused', async () => {
    const { ws, root } = workspace();
    symlinkSync(join(root, 'secret.txt'), join(ws, 'build', 'link.txt'));
    expect((await inputError(selectFiles(['build/*.txt'], ws, true))).message).toContain(
      'outside the workspace',
    );
  });

  test('two files with one base name would collide as assets', async () => {
    const { ws } = workspace();
    writeFileSync(join(ws, 'build', 'sub', 'App.zip'), 'other');
    expect((await inputError(selectFiles(['build/**/*.zip'], ws, true))).message).toContain(
      "both be uploaded as 'App.zip'",
    );
  });
});
