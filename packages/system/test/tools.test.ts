import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { checkFolder, ensureTool, runCommand, which } from '../src/index.js';

const silent = { info: () => undefined, warning: () => undefined, debug: () => undefined };
const request = { program: 'msiextract', aptPackage: 'msitools', installInput: 'tkinter', logger: silent };

describe('ensureTool', () => {
  test('a program on PATH is found, nothing installed', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'tools-'));
    writeFileSync(join(bin, 'msiextract'), '#!/bin/sh\n');
    chmodSync(join(bin, 'msiextract'), 0o755);
    expect(await ensureTool({ ...request, install: true, path: bin, uid: 1000 })).toBe(
      join(bin, 'msiextract'),
    );
  });

  test('install: false says which package to put in the job image', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-tools-'));
    await expect(ensureTool({ ...request, install: false, path: empty })).rejects.toThrow(
      'msiextract is not installed (Debian/Ubuntu package msitools) and tkinter is false; install msitools in the job image or set tkinter: true',
    );
  });

  test('without apt-get: one line says what to install', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-tools-'));
    await expect(ensureTool({ ...request, install: true, path: empty, uid: 0 })).rejects.toThrow(
      'msiextract is not installed and cannot be installed here (there is no apt-get); install the package msitools in the job image',
    );
  });

  test('not root and no password-less sudo: one line says so', async () => {
    const apt = which('apt-get');
    expect(apt).toBeDefined();
    const bin = mkdtempSync(join(tmpdir(), 'apt-only-'));
    symlinkSync(apt as string, join(bin, 'apt-get'));
    await expect(ensureTool({ ...request, install: true, path: bin, uid: 1000 })).rejects.toThrow(
      '(not root and no password-less sudo)',
    );
  });
});

describe('runCommand', () => {
  test('lines of both streams, the exit code, and 127 for a program that does not exist', async () => {
    expect(await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'])).toEqual({
      code: 3,
      stdout: ['out'],
      stderr: ['err'],
    });
    expect((await runCommand('no-such-program-here', [])).code).toBe(127);
  });
});

describe('checkFolder', () => {
  test('a folder, or a path that does not exist yet, is fine; a file on the way names the input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'folders-'));
    writeFileSync(join(dir, 'file'), '');
    expect(() => checkFolder('destination', join(dir, 'new', 'deeper'))).not.toThrow();
    expect(() => checkFolder('destination', dir)).not.toThrow();
    expect(() => checkFolder('destination', join(dir, 'file'))).toThrow(
      `Input 'destination' names a file, not a folder: ${join(dir, 'file')}`,
    );
    expect(() => checkFolder('wheel-dir', join(dir, 'file', 'sub'))).toThrow(
      /^Input 'wheel-dir' lies below a file/,
    );
  });
});
