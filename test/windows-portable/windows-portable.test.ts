import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type Mirror, publishEmbedZip, startMirror } from '../fetch-embedded-python/fixtures.js';
import { REPO_ROOT } from '../support/run-action.js';
import { GO_BIN, requireTool } from '../support/tools.js';

// The composite run by a real runner (act, on the host) against a local python.org mirror.
const act = requireTool('act', 'runs the composite actions as a runner does', [GO_BIN]);
let mirror: Mirror;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'portable-mirror-'));
  await publishEmbedZip(root, '3.11.9', 'amd64');
  mirror = await startMirror(root);
});
afterAll(async () => {
  await mirror?.close();
});

function project(): string {
  const source = mkdtempSync(join(tmpdir(), 'portable-project-'));
  cpSync(join(REPO_ROOT, 'actions'), join(source, 'actions'), { recursive: true });
  mkdirSync(join(source, 'src', 'app'), { recursive: true });
  writeFileSync(join(source, 'src', 'app', 'main.py'), 'print("hello")\n');
  mkdirSync(join(source, 'launchers'));
  // Written by an editor that defaults to UTF-8 and LF: both break wscript.exe.
  writeFileSync(
    join(source, 'launchers', 'start-hidden.vbs'),
    '\' Start \u2014 hidden\nWshShell.Run "python.exe", 0\n',
  );
  mkdirSync(join(source, '.github', 'workflows'), { recursive: true });
  writeFileSync(
    join(source, '.github', 'workflows', 'build.yml'),
    [
      'on: push',
      'jobs:',
      '  windows:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: cp -r "$SOURCE/actions" "$SOURCE/src" "$SOURCE/launchers" .  # what actions/checkout would do',
      '      - id: portable',
      '        uses: ./actions/windows-portable',
      '        with:',
      '          python-version: 3.11.9',
      '          app-dir: src/app',
      '          scripts-dir: launchers',
      '          output: build/App-{version}-win-x64.zip',
      '          version: 1.0.0',
      `          mirror: ${mirror.url}`,
      `      - run: echo "RESULT \${{ steps.portable.outputs.archive }} \${{ steps.portable.outputs.size }}"`,
      // act removes its workspace when the job ends: keep the archive to look into.
      `      - run: cp "\${{ steps.portable.outputs.archive }}" "$SOURCE/built.zip"`,
      '',
    ].join('\n'),
  );
  return source;
}

describe('windows-portable run by act', () => {
  (act ? test : test.skip)('embedded Python, the app and normalised launchers, in one archive', async () => {
    const source = project();
    const { stdout } = await promisify(execFile)(
      act as string,
      [
        'push',
        '-P',
        'ubuntu-latest=-self-hosted',
        '-W',
        '.github/workflows/build.yml',
        '--env',
        `SOURCE=${source}`,
      ],
      { cwd: source, maxBuffer: 16 * 1024 * 1024 },
    );
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
