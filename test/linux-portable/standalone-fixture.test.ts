// The python-build-standalone-shaped tarball the linux-portable tests download: made from this machine's
// CPython, it must run from wherever it is extracted, with the original prefix out of reach.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, realpathSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { sha256File } from '@forge-actions/system';
import { missingTools } from '@forge-actions/testing/embed-mirror';
import {
  type StandaloneTarball,
  standaloneMissing,
  standaloneTarball,
} from '@forge-actions/testing/standalone-python';
import { beforeAll, describe, expect, test } from '@jest/globals';

const inCi = process.env.CI === 'true';
const missing = [...standaloneMissing(), ...missingTools(['unshare', 'mount'])];

/** Nothing from the environment that could point Python or the loader elsewhere. */
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };

const run = (file: string, args: string[]) =>
  execFileSync(file, args, { encoding: 'utf8', env: ENV, stdio: 'pipe' });

/** Runs the copy's python3 in a mount namespace where a tmpfs hides `hidden` (the original prefix's parent). */
const runHidden = (hidden: string, python: string, args: string[]) =>
  run('unshare', [
    '-m',
    'sh',
    '-c',
    'mount -t tmpfs none "$1" && shift && exec "$@"',
    'sh',
    hidden,
    python,
    ...args,
  ]);

describe('standalone python fixture', () => {
  if (missing.length > 0) {
    const note = `${missing.join(', ')} missing (apt-get install patchelf util-linux; a CPython built --enable-shared, e.g. pyenv's)`;
    if (inCi)
      test('patchelf, ldd, unshare and a shared-libpython CPython are there', () =>
        expect(note).toBe('none'));
    else {
      console.warn(`SKIPPED: standalone python fixture: ${note}`);
      test.skip(note, () => {});
    }
    return;
  }

  let tarball: StandaloneTarball;
  /** The original prefix, e.g. /root/.pyenv/versions/3.11.7. */
  let original: string;
  /** {extract}/python, after the extract folder was renamed. */
  let python: string;
  let stdlib: string;

  beforeAll(async () => {
    tarball = await standaloneTarball();
    original = run('python3', ['-c', 'import sys; print(sys.base_prefix)']).trim();
    stdlib = `python${tarball.version.split('.').slice(0, 2).join('.')}`;
    const first = mkdtempSync(join(tmpdir(), 'standalone-'));
    run('tar', ['-xzf', tarball.path, '-C', first]);
    const moved = realpathSync(first).concat('-moved');
    renameSync(first, moved);
    python = join(moved, 'python');
  });

  test('the tarball: python-build-standalone name, every entry under python/, trimmed, pip alone in site-packages', async () => {
    expect(tarball.name).toBe(
      `cpython-${tarball.version}+20240107-x86_64-unknown-linux-gnu-install_only.tar.gz`,
    );
    expect(tarball.sha256).toBe(await sha256File(tarball.path));
    const entries = run('tar', ['-tzf', tarball.path]).trim().split('\n');
    expect(entries.filter((entry) => !entry.startsWith('python/'))).toEqual([]);
    expect(entries).toEqual(
      expect.arrayContaining([
        'python/bin/python3',
        `python/bin/${stdlib}`,
        `python/lib/lib${stdlib}.so.1.0`,
        `python/lib/${stdlib}/os.py`,
        `python/lib/${stdlib}/site-packages/pip/__init__.py`,
      ]),
    );
    // pip stays whole (its RECORD lists every file); the rest loses what an app does not run.
    const trimmed =
      /^python\/(include|share)\/|\/(test|tests|idlelib|tkinter|turtledemo|__pycache__|config-[^/]*)\/|\.a$/;
    const pip = `python/lib/${stdlib}/site-packages/`;
    expect(entries.filter((entry) => !entry.startsWith(pip) && trimmed.test(entry))).toEqual([]);
    expect(readdirSync(join(python, 'bin')).sort()).toEqual(['python3', stdlib]);
    expect(readlinkSync(join(python, 'bin', 'python3'))).toBe(stdlib);
    const site = readdirSync(join(python, 'lib', stdlib, 'site-packages'));
    expect(site.filter((name) => !/^pip(-[^-]+\.dist-info)?$/.test(name))).toEqual([]);
    expect(site).toHaveLength(2);
  });

  test('runpaths are $ORIGIN-relative: bin → ../lib, libpython → itself, lib-dynload → ../..', () => {
    const rpaths = (files: string[]) =>
      run('patchelf', ['--print-rpath', ...files])
        .trim()
        .split('\n');
    expect(rpaths([join(python, 'bin', stdlib), join(python, 'lib', `lib${stdlib}.so.1.0`)])).toEqual([
      '$ORIGIN/../lib',
      '$ORIGIN',
    ]);
    const dynload = join(python, 'lib', stdlib, 'lib-dynload');
    const modules = readdirSync(dynload).filter((name) => name.endsWith('.so'));
    expect(modules.length).toBeGreaterThan(40);
    expect(new Set(rpaths(modules.map((name) => join(dynload, name))))).toEqual(new Set(['$ORIGIN/../..']));
  });

  test('ldd resolves libpython inside the extracted tree', () => {
    const ldd = run('ldd', [join(python, 'bin', stdlib)]);
    const line = ldd.split('\n').find((l) => l.includes(`lib${stdlib}.so.1.0`));
    // e.g. "libpython3.11.so.1.0 => {extract}/python/bin/../lib/libpython3.11.so.1.0 (0x...)"
    const resolved = line?.trim().split(/\s+/)[2] ?? 'not in ldd output';
    expect(normalize(resolved)).toBe(join(python, 'lib', `lib${stdlib}.so.1.0`));
    expect(ldd).not.toContain(original);
  });

  test('runs with the original prefix out of reach: stdlib, extension modules, sys.prefix and sys.path in the copy', () => {
    const script = [
      'import ctypes, json, os, sqlite3, ssl, sys',
      "print(json.dumps({'prefix': sys.prefix, 'path': sys.path, 'original': os.path.exists(sys.argv[1]),",
      "  'ssl': ssl.OPENSSL_VERSION, 'sqlite': sqlite3.sqlite_version, 'ctypes': ctypes.sizeof(ctypes.c_void_p),",
      "  'libpython': sorted({l.split()[-1] for l in open('/proc/self/maps') if 'libpython' in l})}))",
    ].join('\n');
    const out = JSON.parse(
      runHidden(dirname(original), join(python, 'bin', 'python3'), ['-c', script, original]),
    );
    expect(out.original).toBe(false);
    expect(out.prefix).toBe(python);
    // Not some other libpython of that name the loader found instead (Debian's, in /usr/lib).
    expect(out.libpython).toEqual([join(python, 'lib', `lib${stdlib}.so.1.0`)]);
    expect(out.ssl).toMatch(/^OpenSSL /);
    expect(out.sqlite).toMatch(/^3\./);
    expect(out.ctypes).toBe(8);
    const path: string[] = out.path;
    expect(path.filter((entry) => entry.startsWith(original))).toEqual([]);
    expect(path.filter((entry) => entry !== '' && !entry.startsWith(`${python}/`))).toEqual([]);
  });

  test('python3 -m pip works with the original prefix out of reach', () => {
    const out = runHidden(dirname(original), join(python, 'bin', 'python3'), ['-m', 'pip', '--version']);
    expect(out).toMatch(/^pip \d/);
    expect(out).toContain(` from ${python}/lib/${stdlib}/site-packages/pip `);
  });
});
