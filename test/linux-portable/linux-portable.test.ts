// linux-portable as a runner runs it, and its tarball run where a user would run it: unpacked into
// another folder, that folder renamed, with the build machine's Python out of reach.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Mirror, missingTools, startMirror } from '@forge-actions/testing/embed-mirror';
import { type PackageIndex, startIndex, writeWheel } from '@forge-actions/testing/package-index';
import { runAction } from '@forge-actions/testing/run-action';
import {
  type StandaloneTarball,
  standaloneMissing,
  standaloneTarball,
} from '@forge-actions/testing/standalone-python';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

const inCi = process.env.CI === 'true';
const missing = [...standaloneMissing(), ...missingTools(['unshare', 'mount', 'tar', 'systemd-analyze'])];
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
const TAG = 'v1.0.0';

/** The app: it imports a dependency installed from a wheel and tells where its Python lives. */
const APP = {
  'myapp/__init__.py': '',
  'myapp/__main__.py': [
    'import sys',
    'import greet',
    'print(greet.hello(), "|", sys.prefix, "|", " ".join(sys.argv[1:]))',
    '',
  ].join('\n'),
};

let tarball: StandaloneTarball;
let mirror: Mirror;
let index: PackageIndex;
/** The parent of the CPython prefix the test tarball was made from: hidden when the result runs. */
let original: string;

function workspace(app: Record<string, string> = APP): string {
  const dir = mkdtempSync(join(tmpdir(), 'linux-portable-ws-'));
  for (const [path, text] of Object.entries(app)) {
    mkdirSync(dirname(join(dir, 'src', path)), { recursive: true });
    writeFileSync(join(dir, 'src', path), text);
  }
  return dir;
}

const build = (cwd: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction('linux-portable', {
    cwd,
    inputs: {
      'app-dir': 'src',
      'app-module': 'myapp',
      output: 'dist/App-{tag}-linux-x64.tar.gz',
      requirements: 'greet',
      'index-url': index.url,
      ...inputs,
    },
    env: { GITHUB_REF: `refs/tags/${TAG}`, SOURCE_DATE_EPOCH: '1700000000', ...env },
  });

/** Unpacks the archive into a new folder, then renames that folder: nothing may point back at the build. */
function unpackElsewhere(archive: string): string {
  const first = mkdtempSync(join(tmpdir(), 'linux-portable-user-'));
  execFileSync('tar', ['-xzf', archive, '-C', first]);
  const moved = `${first}-renamed`;
  renameSync(first, moved);
  return join(moved, `App-${TAG}-linux-x64`);
}

/** Runs a program in a mount namespace where a tmpfs hides `hidden`. */
const runHidden = (hidden: string, program: string, args: string[]) =>
  spawnSync(
    'unshare',
    ['-m', 'sh', '-c', 'mount -t tmpfs none "$1" && shift && exec "$@"', 'sh', hidden, program, ...args],
    {
      encoding: 'utf8',
      env: ENV,
    },
  );

describe('linux-portable', () => {
  if (missing.length > 0) {
    const note = `${missing.join(', ')} missing (apt-get install patchelf util-linux systemd; a CPython built --enable-shared)`;
    if (inCi) test('its tools are there', () => expect(note).toBe('none'));
    else test.skip(note, () => {});
    return;
  }

  beforeAll(async () => {
    tarball = await standaloneTarball();
    original = dirname(
      execFileSync('python3', ['-c', 'import sys; print(sys.base_prefix)'], { encoding: 'utf8' }).trim(),
    );
    const root = mkdtempSync(join(tmpdir(), 'pbs-mirror-'));
    mkdirSync(join(root, 'standalone'));
    copyFileSync(tarball.path, join(root, 'standalone', tarball.name));
    // An older build of the same version, and a file that is no install_only archive: neither is chosen.
    copyFileSync(tarball.path, join(root, 'standalone', tarball.name.replace(/\+\d{8}-/, '+20230101-')));
    writeFileSync(join(root, 'standalone', tarball.name.replace('install_only', 'debug-full')), 'x');
    mirror = await startMirror(root);
    const wheels = mkdtempSync(join(tmpdir(), 'linux-portable-wheels-'));
    writeWheel(wheels, {
      name: 'greet',
      version: '1.0',
      files: { 'greet/__init__.py': 'def hello():\n    return "hello from greet"\n' },
    });
    index = await startIndex(wheels);
  });
  afterAll(async () => {
    await mirror?.close();
    await index?.close();
  });

  test('standalone from a mirror folder, python-version 3.11: the tarball runs unpacked elsewhere, the build Python out of reach', async () => {
    const cwd = workspace();
    const r = await build(cwd, {
      'python-dist-url': `${mirror.url}/standalone/`,
      'python-version': tarball.version.replace(/\.\d+$/, ''),
    });
    expect(r.errors).toEqual([]);
    const archive = join(cwd, 'dist', `App-${TAG}-linux-x64.tar.gz`);
    expect(r.outputs).toMatchObject({ archive, 'dist-dir': join(cwd, 'build', 'linux-portable') });
    expect(r.outputs.sha256).toBe(execFileSync('sha256sum', [archive], { encoding: 'utf8' }).split(' ')[0]);
    expect(mirror.requests).toContain(`/ftp/python/standalone/${tarball.name}`);
    expect(r.summary).toContain(tarball.name);

    const home = unpackElsewhere(archive);
    const ran = runHidden(original, join(home, 'run.sh'), ['--flag', 'two words']);
    expect([ran.status, ran.stderr]).toEqual([0, '']);
    expect(ran.stdout).toBe(`hello from greet | ${join(home, 'python')} | --flag two words\n`);
    // Nothing in the scripts names the build folder.
    for (const script of ['run.sh', 'install-service.sh', 'uninstall-service.sh'])
      expect(readFileSync(join(home, script), 'utf8')).not.toContain(cwd);
  });

  test('install-service.sh writes a unit systemd accepts: Type=simple, Restart=on-failure, RestartSec=5, run.sh where it is', async () => {
    const cwd = workspace();
    const r = await build(cwd, {
      'python-dist-url': `${mirror.url}/standalone/${tarball.name}`,
      sha256: tarball.sha256,
    });
    expect(r.errors).toEqual([]);
    const home = unpackElsewhere(r.outputs.archive);
    const unit = execFileSync(join(home, 'install-service.sh'), ['--print'], { encoding: 'utf8', env: ENV });
    expect(unit).toContain(`ExecStart="${home}/run.sh"`);
    for (const line of ['Type=simple', 'Restart=on-failure', 'RestartSec=5', `WorkingDirectory=${home}`])
      expect(unit.split('\n')).toContain(line);
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    writeFileSync(join(dir, 'myapp.service'), unit);
    const verified = spawnSync('systemd-analyze', ['verify', join(dir, 'myapp.service')], {
      encoding: 'utf8',
    });
    expect([verified.status, verified.stderr]).toEqual([0, '']);
  });

  test('the same inputs build the same bytes', async () => {
    const cwd = workspace();
    const inputs = { 'python-dist-url': `${mirror.url}/standalone/${tarball.name}` };
    const first = await build(cwd, inputs);
    const second = await build(cwd, inputs);
    expect(first.errors).toEqual([]);
    expect(second.outputs.sha256).toBe(first.outputs.sha256);
  });

  test('a second build takes the CPython from the tool cache: no download, the same archive', async () => {
    const cwd = workspace();
    const toolCache = mkdtempSync(join(tmpdir(), 'tool-cache-'));
    const inputs = { 'python-dist-url': `${mirror.url}/standalone/${tarball.name}`, sha256: tarball.sha256 };
    const first = await build(cwd, inputs, { RUNNER_TOOL_CACHE: toolCache });
    expect(first.errors).toEqual([]);
    const downloads = () => mirror.requests.filter((path) => path.endsWith(tarball.name)).length;
    const before = downloads();
    const second = await build(cwd, inputs, { RUNNER_TOOL_CACHE: toolCache });
    expect(second.errors).toEqual([]);
    expect(downloads()).toBe(before);
    expect(second.summary).toContain(`${tarball.name}, from the tool cache`);
    expect(second.outputs.sha256).toBe(first.outputs.sha256);
  });

  test('venv as the seed does: runs unpacked elsewhere; without its Python, run.sh says which to install', async () => {
    const cwd = workspace();
    const r = await build(cwd, { python: 'venv' });
    expect(r.errors).toEqual([]);
    const home = unpackElsewhere(r.outputs.archive);
    const ran = spawnSync(join(home, 'run.sh'), ['x'], { encoding: 'utf8', env: ENV });
    expect([ran.status, ran.stderr]).toEqual([0, '']);
    expect(ran.stdout).toMatch(/^hello from greet \| .* \| x\n$/);
    expect(readFileSync(join(home, 'run.sh'), 'utf8')).not.toContain('activate');

    const hidden = runHidden(original, join(home, 'run.sh'), []);
    expect(hidden.status).toBe(127);
    expect(hidden.stderr).toMatch(
      new RegExp(
        `^This build needs Python ${tarball.version.replace(/\./g, '\\.')} at ${original}/\\S+/bin/python3(\\.\\d+)? \\(its venv links to it\\): install Python 3\\.\\d+ there, or use a standalone build\\.\\n$`,
      ),
    );
  });

  test.each([
    [
      'python-dist-url names no standalone archive',
      () => ({ 'python-dist-url': `${mirror.url}/standalone/not-python.tar.gz` }),
      /^Input 'python-dist-url' is not a python-build-standalone install_only archive: not-python\.tar\.gz has no python\/bin\/python3$/,
    ],
    [
      'sha256 does not match',
      () => ({ 'python-dist-url': `${mirror.url}/standalone/${tarball.name}`, sha256: '0'.repeat(64) }),
      /has sha256 [0-9a-f]{64}, not the expected 0{64} \(input 'sha256'\); nothing was extracted$/,
    ],
    [
      'python-version the mirror lacks',
      () => ({ 'python-dist-url': `${mirror.url}/standalone/`, 'python-version': '3.9' }),
      /^Input 'python-version' 3\.9 is not on .*\/standalone\/; nearest there: 3\.\d+\.\d+$/,
    ],
    [
      'python-dist-url missing for standalone',
      () => ({}),
      /^Input 'python-dist-url' is required with python: standalone/,
    ],
    [
      'dist-dir holds the app',
      () => ({ 'python-dist-url': `${mirror.url}/standalone/`, 'dist-dir': '.' }),
      /^Input 'dist-dir' and app-dir must be separate folders/,
    ],
    [
      'app-module is no module name',
      () => ({ 'python-dist-url': `${mirror.url}/standalone/`, 'app-module': 'my-app' }),
      /^Input 'app-module' must be a dotted Python module name/,
    ],
  ])('%s: one line naming the input, no archive', async (_what, inputs, message) => {
    const cwd = workspace();
    if (_what.startsWith('python-dist-url names')) {
      const bad = mkdtempSync(join(tmpdir(), 'not-python-'));
      mkdirSync(join(bad, 'python', 'lib'), { recursive: true });
      execFileSync('tar', [
        '-czf',
        join(mirror.root, 'standalone', 'not-python.tar.gz'),
        '-C',
        bad,
        'python',
      ]);
    }
    const r = await build(cwd, inputs());
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(message);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    expect(spawnSync('ls', [join(cwd, 'dist')]).status).not.toBe(0);
  });

  test('an app-module that does not import fails with the import error, before packing', async () => {
    const cwd = workspace({ ...APP, 'myapp/__init__.py': 'import nothere\n' });
    const r = await build(cwd, { 'python-dist-url': `${mirror.url}/standalone/${tarball.name}` });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      `app-module myapp does not import in the built tree (${join(cwd, 'build', 'linux-portable')}): ModuleNotFoundError: No module named 'nothere'`,
    ]);
    expect(spawnSync('ls', [join(cwd, 'dist')]).status).not.toBe(0);
  });
});
