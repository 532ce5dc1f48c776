import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, actProject, runWorkflow } from '@forge-actions/testing/act';
import {
  buildMsi,
  LIB_FILES,
  type Mirror,
  missingTools,
  publishEmbedZip,
  publishFile,
  startMirror,
  TCLTK_FILES,
} from '@forge-actions/testing/embed-mirror';
import { type PackageIndex, startIndex, writeWheel } from '@forge-actions/testing/package-index';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

// The composite run by a real runner (act, on the host) against a local python.org mirror.
let mirror: Mirror;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'portable-mirror-'));
  await publishEmbedZip(root, '3.11.9', 'amd64');
  mirror = await startMirror(root);
});
afterAll(async () => {
  await mirror?.close();
});

/**
 * A push workflow whose job copies `folders` in (what actions/checkout would do), then runs
 * windows-portable with the app in src/app and `version` (a `with:` line); its other `with:` lines follow.
 */
function portableStep(folders: string, version = 'python-version: 3.11.9'): string[] {
  return [
    'on: push',
    'jobs:',
    '  windows:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - run: cp -r ${folders} .`,
    '      - id: portable',
    '        uses: ./actions/windows-portable',
    '        with:',
    `          ${version}`,
    '          app-dir: src/app',
  ];
}

function project(): string {
  const source = actProject([
    ...portableStep('"$SOURCE/actions" "$SOURCE/src" "$SOURCE/launchers"'),
    '          scripts-dir: launchers',
    '          output: build/App-{version}-win-x64.zip',
    '          version: 1.0.0',
    `          mirror: ${mirror.url}`,
    `      - run: echo "RESULT \${{ steps.portable.outputs.archive }} \${{ steps.portable.outputs.size }}"`,
    // act removes its workspace when the job ends: keep the archive to look into.
    `      - run: cp "\${{ steps.portable.outputs.archive }}" "$SOURCE/built.zip"`,
  ]);
  mkdirSync(join(source, 'src', 'app'), { recursive: true });
  writeFileSync(join(source, 'src', 'app', 'main.py'), 'print("hello")\n');
  mkdirSync(join(source, 'launchers'));
  // Written by an editor that defaults to UTF-8 and LF: both break wscript.exe.
  writeFileSync(
    join(source, 'launchers', 'start-hidden.vbs'),
    '\' Start \u2014 hidden\nWshShell.Run "python.exe", 0\n',
  );
  return source;
}

describe('windows-portable run by act', () => {
  (act ? test : test.skip)('embedded Python, the app and normalised launchers, in one archive', async () => {
    const source = project();
    const stdout = await runWorkflow(source);
    const result = /\| RESULT (\S+) (\d+)/.exec(stdout);
    expect(result).not.toBeNull();
    expect(result?.[1].endsWith('/build/App-1.0.0-win-x64.zip')).toBe(true);
    const archive = join(source, 'built.zip');
    expect(String(statSync(archive).size)).toBe(result?.[2]);
    const names = execFileSync('unzip', ['-Z1', archive], { encoding: 'utf8' }).trim().split('\n');
    for (const name of [
      'python/python.exe',
      'python/python311.zip',
      'app/main.py',
      'scripts/start-hidden.vbs',
    ]) {
      expect(names).toContain(`App-1.0.0-win-x64/${name}`);
    }
    const read = (name: string) =>
      execFileSync('unzip', ['-p', archive, `App-1.0.0-win-x64/${name}`], { encoding: 'latin1' });
    expect(read('scripts/start-hidden.vbs')).toBe('\' Start - hidden\r\nWshShell.Run "python.exe", 0\r\n');
    const pth = read('python/python311._pth');
    expect(pth).toContain('Lib\\site-packages\r\n');
    expect(pth).toContain('../app\r\n');
    expect(pth).toMatch(/^import site\r$/m);
  });
});

describe('hardening 3: credentials passed through by the composite', () => {
  const mirrorPassword = { typed: 'p0rt%2Fm1rr0r', decoded: 'p0rt/m1rr0r' };
  const indexPassword = { typed: 'p0rt%24ind3x', decoded: 'p0rt$ind3x' };
  let privateMirror: Mirror;
  let index: PackageIndex;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'portable-private-'));
    await publishEmbedZip(root, '3.11.9', 'amd64');
    privateMirror = await startMirror(root, { auth: { user: 'ci', password: mirrorPassword.decoded } });
    const wheels = mkdtempSync(join(tmpdir(), 'portable-index-'));
    writeWheel(wheels, { name: 'portable-dep', version: '1.0', files: { 'portable_dep/__init__.py': '' } });
    index = await startIndex(wheels, { password: indexPassword.typed });
  });
  afterAll(async () => {
    await privateMirror?.close();
    await index?.close();
  });

  (act ? test : test.skip)(
    'hardening 3: mirror and index-url with user:password@ reach the mirror and the index, and neither password shows in the run or the archive',
    async () => {
      const source = actProject([
        ...portableStep('"$SOURCE/actions" "$SOURCE/src"'),
        '          output: build/App-win-x64.zip',
        '          requirements: portable-dep',
        '          engine: pip',
        `          mirror: ${privateMirror.url.replace('http://', `http://ci:${mirrorPassword.typed}@`)}`,
        `          index-url: ${index.privateUrl}`,
        `      - run: cp "\${{ steps.portable.outputs.archive }}" "$SOURCE/built.zip"`,
      ]);
      mkdirSync(join(source, 'src', 'app'), { recursive: true });
      writeFileSync(join(source, 'src', 'app', 'main.py'), 'print("hello")\n');
      const stdout = await runWorkflow(source);
      expect(privateMirror.requests).toContain('/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip');
      expect(privateMirror.requests.filter((r) => r.startsWith('401'))).toEqual([]);
      expect(index.requests.some((p) => p.startsWith('/private/files/portable_dep'))).toBe(true);
      const names = execFileSync('unzip', ['-Z1', join(source, 'built.zip')], { encoding: 'utf8' });
      expect(names).toContain('App-win-x64/python/Lib/site-packages/portable_dep/__init__.py');
      const archive = readFileSync(join(source, 'built.zip'));
      for (const secret of [
        mirrorPassword.typed,
        mirrorPassword.decoded,
        indexPassword.typed,
        indexPassword.decoded,
      ]) {
        expect(stdout).not.toContain(secret);
        expect(archive.includes(Buffer.from(secret))).toBe(false);
      }
    },
  );
});

describe('inputs passed through to fetch-embedded-python and download-win-wheels', () => {
  const missing = missingTools(['wixl', 'msiextract']);
  let lineMirror: Mirror;
  let zipSha256: string;
  let index: PackageIndex;

  beforeAll(async () => {
    if (missing.length > 0) return;
    // 3.11 is 3.11.9 here: 3.11.10 is security-only (a source tarball, no Windows zip).
    const root = mkdtempSync(join(tmpdir(), 'portable-lines-'));
    const zip = await publishEmbedZip(root, '3.11.9', 'amd64');
    zipSha256 = createHash('sha256').update(readFileSync(zip)).digest('hex');
    publishFile(root, '3.11.10/Python-3.11.10.tgz', 'src');
    buildMsi(join(root, '3.11.9', 'amd64', 'tcltk.msi'), 'tcltk', TCLTK_FILES);
    buildMsi(join(root, '3.11.9', 'amd64', 'lib.msi'), 'lib', LIB_FILES);
    lineMirror = await startMirror(root);
    const wheels = mkdtempSync(join(tmpdir(), 'portable-wheels-'));
    for (const tag of ['cp311-cp311-win_amd64', 'cp312-cp312-win_amd64']) {
      writeWheel(wheels, {
        name: 'portable-native',
        version: '1.0',
        tag,
        files: {
          'portable_native/__init__.py': `TAG = '${tag}'\n`,
          'portable_native/__pycache__/__init__.cpython-311.pyc': 'pyc',
          'portable_native/big-table.dat': 'big',
          'portable_native/small.dat': 'small',
        },
      });
    }
    index = await startIndex(wheels);
  });
  afterAll(async () => {
    await lineMirror?.close();
    await index?.close();
  });

  /** A project whose .python-version says 3.11 (after a comment); `with` lines are added to the step. */
  function lineProject(withLines: string[]): string {
    const source = actProject([
      ...portableStep(
        '"$SOURCE/actions" "$SOURCE/src" "$SOURCE/.python-version"',
        'python-version-file: .python-version',
      ),
      '          output: build/App-win-x64.zip',
      '          requirements: portable-native',
      '          engine: pip',
      `          index-url: ${index.url}`,
      `          mirror: ${lineMirror.url}`,
      ...withLines.map((line) => `          ${line}`),
      `      - run: cp "\${{ steps.portable.outputs.archive }}" "$SOURCE/built.zip"`,
    ]);
    mkdirSync(join(source, 'src', 'app'), { recursive: true });
    writeFileSync(join(source, 'src', 'app', 'main.py'), 'print("hello")\n');
    writeFileSync(join(source, '.python-version'), '# the Windows build\n3.11\n');
    return source;
  }

  const runnable = act && missing.length === 0 ? test : test.skip;
  if (act && missing.length > 0) {
    const note = `${missing.join(' and ')} missing: apt-get install msitools wixl`;
    if (process.env.CI === 'true') test('msitools and wixl are installed', () => expect(note).toBe('none'));
    else console.warn(`SKIPPED: windows-portable pass-through tests: ${note}`);
  }

  runnable(
    'python-version-file 3.11, tkinter, sha256, cleanup none and remove reach the inner actions',
    async () => {
      const source = lineProject([
        'tkinter: true',
        `sha256: ${zipSha256}`,
        'cleanup: none',
        'remove: portable_native/big-*.dat',
      ]);
      await runWorkflow(source);
      expect(lineMirror.requests).toContain('/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip');
      const names = execFileSync('unzip', ['-Z1', join(source, 'built.zip')], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((name) => name.replace(/^App-win-x64\//, ''));
      // tkinter from the MSIs, beside python.exe and under tcl/.
      for (const name of [
        'python/_tkinter.pyd',
        'python/tcl/tcl8.6/init.tcl',
        'python/Lib/tkinter/__init__.py',
      ]) {
        expect(names).toContain(name);
      }
      // The wheels for the Python fetched (3.11.9): cp311, not the newer cp312.
      const site = 'python/Lib/site-packages/portable_native';
      expect(
        execFileSync('unzip', ['-p', join(source, 'built.zip'), `App-win-x64/${site}/__init__.py`], {
          encoding: 'utf8',
        }),
      ).toContain('cp311-cp311-win_amd64');
      // cleanup none keeps __pycache__ (safe would remove it); remove deleted its glob only.
      expect(names).toContain(`${site}/__pycache__/__init__.cpython-311.pyc`);
      expect(names).toContain(`${site}/small.dat`);
      expect(names).not.toContain(`${site}/big-table.dat`);
    },
  );

  runnable('a sha256 that does not match fails the step, naming the input', async () => {
    const source = lineProject([`sha256: ${'0'.repeat(64)}`]);
    const failed = await runWorkflow(source).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(failed).toMatch(
      /python-3\.11\.9-embed-amd64\.zip has sha256 [0-9a-f]{64}, not the expected 0{64} \(input 'sha256'\)/,
    );
  });
});
