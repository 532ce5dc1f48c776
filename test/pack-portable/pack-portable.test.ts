// pack-portable through its bundle: byte-identical archives from trees made in different orders with
// different timestamps and permissions, checked with the system's unzip and tar.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { missingTools } from '@forge-actions/testing/embed-mirror';
import { GIT_ENV } from '@forge-actions/testing/git';
import { type RunResult, runAction } from '@forge-actions/testing/run-action';
import { describe, expect, test } from '@jest/globals';

const inCi = process.env.CI === 'true';
const missing = missingTools(['unzip', 'tar', 'git']);
const EPOCH = '1700000000';

/** A portable app's files: python/, app/, scripts/ with an executable, and an empty folder. */
const FILES: Array<[string, string, number]> = [
  ['python/python.exe', 'MZ', 0o644],
  ['python/python311._pth', 'python311.zip\r\n.\r\nimport site\r\n', 0o600],
  ['python/Lib/site-packages/pkg/__init__.py', '', 0o664],
  ['app/src/main.py', 'print("hi")\n', 0o644],
  ['scripts/run.sh', '#!/bin/sh\nexec python3 app/src/main.py\n', 0o700],
  ['scripts/App.vbs', 'CreateObject("WScript.Shell").Run "python\\pythonw.exe", 0\r\n', 0o666],
  ['README.txt', 'portable\n', 0o640],
];

/**
 * Writes the tree into a fresh folder: `reverse` creates files in the opposite order, `mtime` dates
 * every file and folder differently; modes are as listed (umask-like noise included).
 */
function makeTree(options: { reverse: boolean; mtime: number }): string {
  const root = mkdtempSync(join(tmpdir(), 'portable-src-'));
  const source = join(root, 'dist');
  const files = options.reverse ? [...FILES].reverse() : FILES;
  for (const [path, content, mode] of files) {
    const file = join(source, ...path.split('/'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
    chmodSync(file, mode);
    utimesSync(file, options.mtime, options.mtime);
  }
  mkdirSync(join(source, 'logs'));
  chmodSync(join(source, 'logs'), options.reverse ? 0o700 : 0o775);
  for (const dir of ['', 'python', 'app', 'scripts', 'logs'])
    utimesSync(join(source, dir), options.mtime, options.mtime);
  return root;
}

function pack(
  root: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<RunResult> {
  return runAction('pack-portable', {
    inputs: { source: 'dist', tag: 'v1.4.0', ...inputs },
    env: { SOURCE_DATE_EPOCH: EPOCH, ...env },
    cwd: root,
  });
}

function expectSuccess(run: RunResult): void {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  expect(run.errors).toEqual([]);
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('pack-portable', () => {
  if (missing.length > 0) {
    const note = `${missing.join(', ')} missing (apt-get install unzip tar git)`;
    if (inCi) test('unzip, tar and git are installed', () => expect(note).toBe('no missing tool'));
    else {
      console.warn(`SKIPPED: pack-portable tests: ${note}`);
      test.skip(note, () => {});
    }
    return;
  }

  test('zip: two runs over differently made trees give the same bytes; unzip accepts it', async () => {
    const a = makeTree({ reverse: false, mtime: 1_500_000_000 });
    const b = makeTree({ reverse: true, mtime: 1_600_000_000 });
    const runA = await pack(a, { output: 'build/App-{version}-win64.zip' });
    const runB = await pack(b, { output: 'build/App-{version}-win64.zip' });
    expectSuccess(runA);
    expectSuccess(runB);
    const zipA = join(a, 'build', 'App-1.4.0-win64.zip');
    const zipB = join(b, 'build', 'App-1.4.0-win64.zip');
    expect(runA.outputs).toEqual({
      archive: zipA,
      sha256: sha256(zipA),
      size: String(statSync(zipA).size),
      'vbs-fixed': '0',
    });
    expect(readFileSync(zipA).equals(readFileSync(zipB))).toBe(true);
    expect(runB.outputs.sha256).toBe(runA.outputs.sha256);

    expect(execFileSync('unzip', ['-t', zipA], { encoding: 'utf8' })).toContain('No errors detected');
    // zipinfo: permissions, then the name; sorted, all under the root folder, dated SOURCE_DATE_EPOCH (UTC).
    const listing = execFileSync('unzip', ['-Z', '-T', zipA], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    })
      .split('\n')
      .filter((line) => /^[-dl]r/.test(line))
      .map((line) => {
        const fields = line.trim().split(/\s+/);
        return `${fields[0]} ${fields[6]} ${fields[7]}`;
      });
    expect(listing).toEqual([
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/',
      '-rw-r--r-- 20231114.221320 App-1.4.0-win64/README.txt',
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/app/',
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/app/src/',
      '-rw-r--r-- 20231114.221320 App-1.4.0-win64/app/src/main.py',
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/logs/',
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/python/',
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/python/Lib/',
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/python/Lib/site-packages/',
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/python/Lib/site-packages/pkg/',
      '-rw-r--r-- 20231114.221320 App-1.4.0-win64/python/Lib/site-packages/pkg/__init__.py',
      '-rw-r--r-- 20231114.221320 App-1.4.0-win64/python/python.exe',
      '-rw-r--r-- 20231114.221320 App-1.4.0-win64/python/python311._pth',
      'drwxr-xr-x 20231114.221320 App-1.4.0-win64/scripts/',
      '-rw-r--r-- 20231114.221320 App-1.4.0-win64/scripts/App.vbs',
      '-rwxr-xr-x 20231114.221320 App-1.4.0-win64/scripts/run.sh',
    ]);
    // Contents survive byte for byte (CRLF included).
    const out = mkdtempSync(join(tmpdir(), 'unzipped-'));
    execFileSync('unzip', ['-q', zipA, '-d', out]);
    expect(readFileSync(join(out, 'App-1.4.0-win64', 'python', 'python311._pth'), 'utf8')).toBe(
      'python311.zip\r\n.\r\nimport site\r\n',
    );
    expect(runA.summary).toContain(runA.outputs.sha256);
  });

  test('tar.gz: the same bytes twice, root folder, fixed modes, no owner names', async () => {
    const a = makeTree({ reverse: true, mtime: 1_400_000_000 });
    const b = makeTree({ reverse: false, mtime: 1_650_000_000 });
    const inputs = { output: 'App-{tag}-linux-x64.tar.gz', 'root-dir': 'App' };
    const runA = await pack(a, inputs);
    const runB = await pack(b, inputs);
    expectSuccess(runA);
    expectSuccess(runB);
    const tgzA = join(a, 'App-v1.4.0-linux-x64.tar.gz');
    expect(runA.outputs.archive).toBe(tgzA);
    expect(readFileSync(tgzA).equals(readFileSync(runB.outputs.archive))).toBe(true);

    const names = execFileSync('tar', ['-tzf', tgzA], { encoding: 'utf8' }).trim().split('\n');
    expect(names[0]).toBe('App/');
    expect(names.every((name) => name.startsWith('App/'))).toBe(true);
    expect(names).toContain('App/scripts/run.sh');
    const verbose = execFileSync('tar', ['--numeric-owner', '-tvzf', tgzA], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    const line = (name: string) => verbose.split('\n').find((l) => l.endsWith(` ${name}`)) ?? '';
    expect(line('App/scripts/run.sh')).toMatch(/^-rwxr-xr-x 0\/0 .* 2023-11-14 22:13 App\/scripts\/run\.sh$/);
    expect(line('App/python/python311._pth')).toMatch(/^-rw-r--r-- 0\/0 /);
    expect(line('App/logs/')).toMatch(/^drwxr-xr-x 0\/0 /);
    // No user or group names at all (GNU tar shows names when the header has them).
    const named = execFileSync('tar', ['-tvzf', tgzA], { encoding: 'utf8' });
    expect(named).not.toMatch(/root|nobody|\d+\/\d+ .*\w+\/\w+ /);
    expect(named.split('\n')[0]).toMatch(/^drwxr-xr-x 0\/0 /);
  });

  test('vbs: launchers are rewritten as ASCII with CRLF before they are packed', async () => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    const launcher = join(root, 'dist', 'scripts', 'start-hidden.vbs');
    writeFileSync(launcher, "' Start the app \u2014 hidden\nWshShell.Run \u201cpython.exe\u201d, 0, False\n");
    const run = await pack(root, { output: 'App.zip', vbs: 'scripts/**/*.vbs' });
    expectSuccess(run);
    expect(run.outputs['vbs-fixed']).toBe('1');
    const fixed = '\' Start the app - hidden\r\nWshShell.Run "python.exe", 0, False\r\n';
    expect(readFileSync(launcher, 'latin1')).toBe(fixed);
    const packed = execFileSync('unzip', ['-p', join(root, 'App.zip'), 'App/scripts/start-hidden.vbs'], {
      encoding: 'latin1',
    });
    expect(packed).toBe(fixed);
    expect(run.warnings.some((w) => w.includes('start-hidden.vbs'))).toBe(true);
  });

  test('vbs: a pattern outside the workspace is refused before anything is written', async () => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    const run = await pack(root, { output: 'App.zip', vbs: '../../*.vbs' });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Input 'vbs' pattern '\.\.\/\.\.\/\*\.vbs' points outside the workspace/);
    expect(existsSync(join(root, 'App.zip'))).toBe(false);
  });

  test('without SOURCE_DATE_EPOCH the commit time is used', async () => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    const env = {
      ...GIT_ENV,
      GIT_COMMITTER_DATE: '@1234567890 +0000',
    };
    execFileSync('git', ['init', '-q'], { cwd: root, env });
    execFileSync('git', ['add', '.'], { cwd: root, env });
    execFileSync('git', ['commit', '-q', '-m', 'app'], { cwd: root, env });
    const run = await pack(root, { output: 'App.tar.gz', 'root-dir': '.' }, { SOURCE_DATE_EPOCH: '' });
    expectSuccess(run);
    expect(run.stdout).toContain('Timestamp 2009-02-13T23:31:30.000Z from commit');
    const verbose = execFileSync('tar', ['-tvzf', join(root, 'App.tar.gz')], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    expect(verbose.split('\n')[0]).toMatch(/ 2009-02-13 23:31 README\.txt$/);
  });

  test.each([
    [{ output: 'dist/App.zip' }, "Input 'output' must not lie inside the source folder"],
    [{ output: 'App-{sha}.zip' }, "Input 'output' has an unknown placeholder {sha}"],
    [{ output: 'App.7z' }, "Input 'output' must end in .zip, .tar.gz or .tgz, or set format"],
    [
      { output: 'App.zip', 'root-dir': '../App' },
      "Input 'root-dir' must be a relative folder name inside the archive",
    ],
    [{ output: 'App.zip', source: 'nope' }, "Input 'source' names no existing folder"],
  ])('bad input %j: one line, nothing written', async (inputs, message) => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    const run = await pack(root, inputs);
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(
      execFileSync('find', [root, '-name', '*.zip', '-o', '-name', '*.part'], { encoding: 'utf8' }),
    ).toBe('');
    expect(existsSync(join(root, 'build'))).toBe(false);
  });

  test('a node without zlib.crc32 (before 20.15): a zip is refused in one line, nothing written; a tar.gz packs', async () => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    const preload = join(root, 'no-crc32.cjs');
    writeFileSync(preload, "delete require('node:zlib').crc32;\n");
    const env = { NODE_OPTIONS: `--require ${preload}` };
    const zip = await pack(root, { output: 'build/App.zip' }, env);
    expect(zip.code).toBe(1);
    expect(zip.errors).toEqual([
      `Writing a zip needs Node 20.15 or later (zlib.crc32); this runner's node is ${process.version}`,
    ]);
    expect(existsSync(join(root, 'build'))).toBe(false);
    expectSuccess(await pack(root, { output: 'build/App.tar.gz' }, env));
  });

  test.each(['10', '-1', '6.5', 'best'])(
    "compression-level '%s': one line naming the input, nothing written",
    async (level) => {
      const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
      const run = await pack(root, { output: 'build/App.zip', 'compression-level': level });
      expect(run.code).toBe(1);
      expect(run.errors).toEqual([
        `Input 'compression-level' must be one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 (got '${level}')`,
      ]);
      expect(existsSync(join(root, 'build'))).toBe(false);
    },
  );

  test('compression-level: 0 stores every zip entry; 9 is gzip -9 for a tar.gz', async () => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    expectSuccess(await pack(root, { output: 'App.zip', 'compression-level': '0' }));
    // zipinfo's short listing: the method is the sixth column.
    const methods = execFileSync('unzip', ['-Z', '-s', join(root, 'App.zip')], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => /^-r/.test(line))
      .map((line) => line.trim().split(/\s+/)[5]);
    expect(methods).toHaveLength(7);
    expect(new Set(methods)).toEqual(new Set(['stor']));

    expectSuccess(await pack(root, { output: 'App.tar.gz', 'compression-level': '9' }));
    const gz = readFileSync(join(root, 'App.tar.gz'));
    expect(gzipSync(gunzipSync(gz), { level: 9 }).equals(gz)).toBe(true);
  });

  // Windows names: a zip is for Windows and refuses what Windows cannot extract; a tar.gz is for Linux
  // and packs the same tree.
  test.each([
    [['aux.txt'], "'aux.txt' (reserved Windows device name 'aux')"],
    [['scripts/CON'], "'scripts/CON' (reserved Windows device name 'CON')"],
    [['Lpt1.log'], "'Lpt1.log' (reserved Windows device name 'Lpt1')"],
    [['x.'], "'x.' (trailing dot"],
    [['notes '], "'notes ' (trailing space"],
    [['python/python.exe:x'], "'python/python.exe:x' (':' in a name"],
    [['A.txt', 'a.txt'], "'a.txt' (differs only in case from 'A.txt')"],
    [['Lib/x.py', 'lib/y.py'], "'lib' (differs only in case from 'Lib')"],
  ])(
    'hardening 7: a zip refuses %j, which Windows cannot extract; a tar.gz packs it',
    async (names, message) => {
      const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
      for (const name of names) {
        const file = join(root, 'dist', ...name.split('/'));
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, 'x');
      }
      const run = await pack(root, { output: 'App.zip' });
      expect(run.code).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toContain(message);
      expect(run.errors[0]).toMatch(/^.*dist holds names Windows cannot extract from a zip: /);
      expect(readdirSync(root).filter((name) => /\.zip|\.part/.test(name))).toEqual([]);

      const tgz = await pack(root, { output: 'App.tar.gz' });
      expectSuccess(tgz);
      const listed = execFileSync('tar', ['-tzf', join(root, 'App.tar.gz')], { encoding: 'utf8' }).split(
        '\n',
      );
      for (const name of names) expect(listed).toContain(`App/${name}`);
    },
  );

  test("hardening 7: a zip's root folder that Windows cannot hold is refused as input 'root-dir'", async () => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    const run = await pack(root, { output: 'App.zip', 'root-dir': 'App/aux' });
    expect(run.errors).toEqual([
      "Input 'root-dir' must be a folder name Windows can hold in a zip (reserved Windows device name 'aux'): 'App/aux'",
    ]);
    expect(existsSync(join(root, 'App.zip'))).toBe(false);
    expectSuccess(await pack(root, { output: 'App.tar.gz', 'root-dir': 'App/aux' }));
  });

  test.each(['zip', 'tar.gz'])(
    'hardening 7: %s: an absolute symlink is packed with a warning naming it; a relative one silently',
    async (format) => {
      const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
      symlinkSync('/usr/lib/python3', join(root, 'dist', 'python', 'syslib'));
      symlinkSync('../README.txt', join(root, 'dist', 'app', 'README.txt'));
      const run = await pack(root, { output: `App.${format}` });
      expectSuccess(run);
      const linkWarnings = run.warnings.filter((w) => w.includes('link'));
      expect(linkWarnings).toHaveLength(1);
      expect(linkWarnings[0]).toContain("'App/python/syslib'");
      expect(linkWarnings[0]).toContain('/usr/lib/python3');
    },
  );

  test('hardening 8: an output reached through a symlink into source is refused, run after run', async () => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    mkdirSync(join(root, 'dist', 'out'));
    symlinkSync(join(root, 'dist', 'out'), join(root, 'build'));
    for (let run = 0; run < 2; run++) {
      const result = await pack(root, { output: 'build/App.zip' });
      expect(result.code).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(
        /^Input 'output' must not lie inside the source folder .*dist \(through a symbolic link\): .*build\/App\.zip$/,
      );
      expect(readdirSync(join(root, 'dist', 'out'))).toEqual([]);
    }
  });

  test("hardening 14: a source folder named '..app' is packed; an output '..App.zip' inside source is refused", async () => {
    const root = makeTree({ reverse: false, mtime: 1_500_000_000 });
    mkdirSync(join(root, '..app'));
    writeFileSync(join(root, '..app', 'main.py'), 'print(1)\n');
    const run = await pack(root, { source: '..app', output: 'App.zip' });
    expectSuccess(run);
    const listed = execFileSync('unzip', ['-Z1', join(root, 'App.zip')], { encoding: 'utf8' });
    expect(listed.trim().split('\n')).toEqual(['App/', 'App/main.py']);
    // A name that merely starts with two dots is inside source: refused like dist/App.zip.
    const inside = await pack(root, { output: 'dist/..App.zip' });
    expect(inside.errors).toHaveLength(1);
    expect(inside.errors[0]).toContain("Input 'output' must not lie inside the source folder");
    expect(existsSync(join(root, 'dist', '..App.zip'))).toBe(false);
  });
});
