import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, actProject, runWorkflow } from '@forge-actions/testing/act';
import { type Mirror, publishEmbedZip, startMirror } from '@forge-actions/testing/embed-mirror';
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

/** A push workflow whose job copies `folders` in (what actions/checkout would do), then runs windows-portable with the app in src/app; its other `with:` lines follow. */
function portableStep(folders: string): string[] {
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
    '          python-version: 3.11.9',
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
