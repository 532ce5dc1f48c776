// fetch-embedded-python through its bundle, against a python.org-shaped mirror on 127.0.0.1 serving
// zips and MSIs built here. Every run gets its own workspace; runs that share a tool cache say so.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  buildMsi,
  defaultPth,
  LIB_FILES,
  type Mirror,
  missingTools,
  publishEmbedZip,
  publishFile,
  startMirror,
  TCLTK_FILES,
} from '@forge-actions/testing/embed-mirror';
import { listFiles } from '@forge-actions/testing/files';
import { leaks } from '@forge-actions/testing/leaks';
import { rawZip } from '@forge-actions/testing/raw-zip';
import { type RunResult, runAction } from '@forge-actions/testing/run-action';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

const inCi = process.env.CI === 'true';
const missing = missingTools(['wixl', 'msiextract']);

let mirror: Mirror;
let zip3119: string;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'python-mirror-'));
  mirror = await startMirror(root);
  zip3119 = await publishEmbedZip(root, '3.11.9', 'amd64');
  await publishEmbedZip(root, '3.11.8', 'amd64');
  await publishEmbedZip(root, '3.12.4', 'win32', { eol: '\n' });
  await publishEmbedZip(root, '3.13.0rc2', 'arm64');
  await publishEmbedZip(root, '3.11.7', 'amd64');
  publishFile(
    root,
    '3.11.5/python-3.11.5-embed-amd64.zip',
    rawZip([
      { name: 'python.exe', data: 'MZ' },
      { name: 'python311._pth', data: defaultPth('python311') },
      { name: '../evil', data: 'escaped' },
    ]),
  );
  publishFile(
    root,
    '3.11.4/python-3.11.4-embed-amd64.zip',
    rawZip([
      { name: 'python.exe', data: 'MZ' },
      { name: '/tmp/forge-actions-fetch-evil', data: 'escaped' },
    ]),
  );
  publishFile(root, '3.11.2/python-3.11.2-embed-amd64.zip', rawZip([{ name: 'python.exe', data: 'MZ' }]));
  publishFile(
    root,
    '3.11.3/python-3.11.3-embed-amd64.zip',
    rawZip([
      { name: 'Lib', data: '/etc', unixMode: 0o120777 },
      { name: 'python.exe', data: 'MZ' },
    ]),
  );
});

afterAll(async () => {
  await mirror?.close();
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function fetchPython(
  inputs: Record<string, string>,
  options: { toolCache?: string; cwd?: string } = {},
): Promise<RunResult> {
  return runAction('fetch-embedded-python', {
    inputs: { mirror: mirror.url, ...inputs },
    env: options.toolCache ? { RUNNER_TOOL_CACHE: options.toolCache } : {},
    cwd: options.cwd,
  });
}

/** The run succeeded; shows its log when it did not. */
function expectSuccess(run: RunResult): void {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  expect(run.errors).toEqual([]);
}

/** The run failed with exactly one one-line error, returned. */
function expectOneError(run: RunResult): string {
  expect(run.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).not.toContain('\n');
  return run.errors[0];
}

const newRequests = (before: number) => mirror.requests.slice(before);

describe('fresh fetch and cache hit', () => {
  const toolCache = mkdtempSync(join(tmpdir(), 'shared-tool-cache-'));
  let first: RunResult;

  beforeAll(async () => {
    first = await fetchPython({ 'python-version': '3.11.9', 'extra-paths': '../app/src' }, { toolCache });
  });

  test('downloads, extracts, patches and reports', () => {
    expectSuccess(first);
    const python = join(first.workspace, 'dist', 'python');
    expect(first.outputs).toEqual({
      'python-version': '3.11.9',
      'python-dir': python,
      'pth-file': join(python, 'python311._pth'),
      'site-packages-dir': join(python, 'Lib', 'site-packages'),
      'cache-hit': 'false',
    });
    for (const name of ['python.exe', 'python311.dll', 'python311.zip', 'python3.dll', 'vcruntime140.dll']) {
      expect(existsSync(join(python, name))).toBe(true);
    }
    expect(readFileSync(join(python, 'python311._pth'), 'utf8')).toBe(
      'python311.zip\r\n.\r\nLib\\site-packages\r\n../app/src\r\n\r\n# Uncomment to run site.main() automatically\r\nimport site\r\n',
    );
    expect(readdirSync(join(python, 'Lib', 'site-packages'))).toEqual([]);
    // Download progress in the log, the digest, and a summary table.
    expect(first.stdout).toMatch(/python-3\.11\.9-embed-amd64\.zip: 100% \(/);
    expect(first.stdout).toContain(`sha256 ${sha256(zip3119)}`);
    expect(first.summary).toContain('Embedded Python 3.11.9 (amd64)');
    expect(first.summary).toContain(sha256(zip3119));
  });

  test('caches under its own tool name with the arch, origin recorded', () => {
    expect(existsSync(join(toolCache, 'python-embed', '3.11.9', 'amd64.complete'))).toBe(true);
    expect(existsSync(join(toolCache, 'python-embed', '3.11.9', 'amd64', 'payload', 'python.exe'))).toBe(
      true,
    );
    // The cache keeps python.org's file: the patch happens in the destination only.
    expect(
      readFileSync(join(toolCache, 'python-embed', '3.11.9', 'amd64', 'payload', 'python311._pth'), 'utf8'),
    ).toBe(defaultPth('python311'));
    const origin = JSON.parse(
      readFileSync(join(toolCache, 'python-embed', '3.11.9', 'amd64', 'origin.json'), 'utf8'),
    );
    expect(origin.zip.sha256).toBe(sha256(zip3119));
    expect(existsSync(join(toolCache, 'Python'))).toBe(false);
  });

  test('a second run is a cache hit and downloads nothing', async () => {
    const before = mirror.requests.length;
    const second = await fetchPython(
      { 'python-version': '3.11.9', 'extra-paths': '../app/src' },
      { toolCache },
    );
    expectSuccess(second);
    expect(newRequests(before)).toEqual([]);
    expect(second.outputs['cache-hit']).toBe('true');
    const a = join(first.workspace, 'dist', 'python');
    const b = join(second.workspace, 'dist', 'python');
    expect(listFiles(b).sort()).toEqual(listFiles(a).sort());
    expect(readFileSync(join(b, 'python311._pth'))).toEqual(readFileSync(join(a, 'python311._pth')));
  });

  test('a hit copies the files out: none shared with the entry, so changing them leaves the entry a hit', async () => {
    const run = await fetchPython({ 'python-version': '3.11.9' }, { toolCache });
    expectSuccess(run);
    expect(run.outputs['cache-hit']).toBe('true');
    const python = join(run.workspace, 'dist', 'python');
    const cached = join(toolCache, 'python-embed', '3.11.9', 'amd64', 'payload');
    for (const name of readdirSync(cached)) {
      expect(statSync(join(python, name)).ino).not.toBe(statSync(join(cached, name)).ino);
    }
    writeFileSync(join(python, 'python.exe'), 'changed by a later step');
    const again = await fetchPython({ 'python-version': '3.11.9' }, { toolCache });
    expectSuccess(again);
    expect(again.outputs['cache-hit']).toBe('true');
    expect(readFileSync(join(again.workspace, 'dist', 'python', 'python.exe'), 'utf8')).toBe(
      readFileSync(join(cached, 'python.exe'), 'utf8'),
    );
  });

  test('a pinned sha256 that matches the cached zip is a hit too', async () => {
    const before = mirror.requests.length;
    const run = await fetchPython(
      { 'python-version': '3.11.9', sha256: sha256(zip3119).toUpperCase() },
      { toolCache },
    );
    expectSuccess(run);
    expect(run.outputs['cache-hit']).toBe('true');
    expect(newRequests(before)).toEqual([]);
  });

  test('patching again in place changes nothing (idempotent)', async () => {
    const cwd = first.workspace;
    const pth = join(cwd, 'dist', 'python', 'python311._pth');
    const once = readFileSync(pth);
    const again = await fetchPython(
      { 'python-version': '3.11.9', 'extra-paths': '../app/src' },
      { toolCache, cwd },
    );
    expectSuccess(again);
    expect(readFileSync(pth)).toEqual(once);
  });
});

describe('sha256', () => {
  test('a matching digest passes', async () => {
    const run = await fetchPython({ 'python-version': '3.11.9', sha256: sha256(zip3119) });
    expectSuccess(run);
    expect(run.outputs['cache-hit']).toBe('false');
  });

  test('a wrong digest fails, and nothing is cached or written', async () => {
    const wrong = '0'.repeat(64);
    const run = await fetchPython({ 'python-version': '3.11.8', sha256: wrong });
    const error = expectOneError(run);
    expect(error).toMatch(
      /^python-3\.11\.8-embed-amd64\.zip has sha256 [0-9a-f]{64}, not the expected 0{64}/,
    );
    expect(error).toContain('nothing was cached or written');
    expect(existsSync(join(run.workspace, 'dist'))).toBe(false);
    expect(listFiles(run.toolCache)).toEqual([]);
    expect(listFiles(run.runnerTemp)).toEqual([]);
  });

  test('a cached zip with another digest is fetched again, and the mismatch still fails', async () => {
    const toolCache = mkdtempSync(join(tmpdir(), 'tool-cache-'));
    expectSuccess(await fetchPython({ 'python-version': '3.11.8' }, { toolCache }));
    const before = mirror.requests.length;
    const run = await fetchPython({ 'python-version': '3.11.8', sha256: 'a'.repeat(64) }, { toolCache });
    expectOneError(run);
    expect(newRequests(before)).toEqual(['/ftp/python/3.11.8/python-3.11.8-embed-amd64.zip']);
    expect(existsSync(join(run.workspace, 'dist'))).toBe(false);
  });
});

describe('python-version X.Y: the newest release of the line whose folder lists the zip', () => {
  // A mirror behind Basic auth whose listings are python.org's shape: security-only releases (3.10.12,
  // 3.11.10) have a folder with a source tarball only, and 3.13.0/ holds nothing but a pre-release zip.
  const auth = { user: 'ci', password: 'l1st/ing' };
  let lines: Mirror;
  let mirrorUrl: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'python-lines-'));
    for (const version of ['3.10.11', '3.11.8', '3.11.9', '3.12.10', '3.13.0rc2']) {
      await publishEmbedZip(root, version, 'amd64');
    }
    for (const version of ['3.10.12', '3.11.10'])
      publishFile(root, `${version}/Python-${version}.tgz`, 'src');
    lines = await startMirror(root, { auth });
    mirrorUrl = lines.url.replace('http://', `http://${auth.user}:${encodeURIComponent(auth.password)}@`);
  });
  afterAll(async () => {
    await lines?.close();
  });

  const fetchLine = (inputs: Record<string, string>, cwd?: string) =>
    runAction('fetch-embedded-python', { inputs: { mirror: mirrorUrl, ...inputs }, cwd });

  test('3.11 is 3.11.9: 3.11.10 has no Windows zip; listings sent with the credentials', async () => {
    const before = lines.requests.length;
    const run = await fetchLine({ 'python-version': '3.11' });
    expectSuccess(run);
    expect(lines.requests.slice(before)).toEqual([
      '/ftp/python/',
      '/ftp/python/3.11.10/',
      '/ftp/python/3.11.9/',
      '/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip',
    ]);
    expect(run.outputs['python-version']).toBe('3.11.9');
    expect(existsSync(join(run.workspace, 'dist', 'python', 'python311._pth'))).toBe(true);
    expect(existsSync(join(run.toolCache, 'python-embed', '3.11.9', 'amd64.complete'))).toBe(true);
    expect(run.summary).toContain('Embedded Python 3.11.9 (amd64)');
    const secrets = [auth.password, encodeURIComponent(auth.password)];
    expect(leaks(run, secrets, [run.toolCache, run.runnerTemp, run.workspace])).toEqual([]);
  });

  test.each([
    ['3.9', 'amd64', 'the mirror has 3.10.11, 3.11.9, 3.12.10'],
    ['3.13', 'amd64', 'the mirror has 3.10.11, 3.11.9, 3.12.10'], // 3.13.0rc2 is no final release
    ['3.11', 'win32', 'the mirror has none for any release'],
  ])(
    '%s %s matches no zip: one line naming the input and the nearest releases that have one',
    async (version, arch, nearest) => {
      const before = lines.requests.length;
      const run = await fetchLine({ 'python-version': version, arch });
      expect(expectOneError(run)).toBe(
        `Input 'python-version' ${version} matches no release with python-${version}.x-embed-${arch}.zip on ${lines.url}: ${nearest}`,
      );
      expect(lines.requests.slice(before).filter((r) => r.endsWith('.zip') || r.startsWith('401'))).toEqual(
        [],
      );
      expect(existsSync(join(run.workspace, 'dist'))).toBe(false);
      expect(listFiles(run.toolCache)).toEqual([]);
    },
  );

  test('a full version makes no listing request', async () => {
    const before = lines.requests.length;
    expectSuccess(await fetchLine({ 'python-version': '3.12.10', cache: 'false' }));
    expect(lines.requests.slice(before)).toEqual(['/ftp/python/3.12.10/python-3.12.10-embed-amd64.zip']);
  });

  test('a mirror without folder listings: X.Y fails naming the input, saying a full version needs none', async () => {
    const run = await fetchPython({ 'python-version': '3.11', mirror: `${mirror.url}/no-such-folder` });
    expect(expectOneError(run)).toMatch(
      /^Input 'python-version' 3\.11 needs the mirror's folder listing to find the newest 3\.11\.x: GET \S+\/no-such-folder\/ answered 404; a full version X\.Y\.Z needs none$/,
    );
  });
});

describe('python-version-file', () => {
  test('a .python-version with a comment and X.Y: the newest 3.11 with a zip', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ws-pyfile-'));
    writeFileSync(join(cwd, '.python-version'), '# pinned for the Windows build\n\n3.11\n');
    const run = await fetchPython({ 'python-version-file': '.python-version', cache: 'false' }, { cwd });
    expectSuccess(run);
    expect(run.outputs['python-version']).toBe('3.11.9');
    expect(existsSync(join(cwd, 'dist', 'python', 'python311._pth'))).toBe(true);
  });

  test('an exact version in the file downloads that release without listing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ws-pyfile-'));
    writeFileSync(join(cwd, '.python-version'), '3.11.8\r\n');
    const before = mirror.requests.length;
    const run = await fetchPython({ 'python-version-file': '.python-version', cache: 'false' }, { cwd });
    expectSuccess(run);
    expect(newRequests(before)).toEqual(['/ftp/python/3.11.8/python-3.11.8-embed-amd64.zip']);
    expect(run.outputs['python-version']).toBe('3.11.8');
  });

  test.each([
    [
      { 'python-version': '3.11.9', 'python-version-file': '.python-version' },
      "Input 'python-version' and 'python-version-file' are both set",
    ],
    [{ 'python-version-file': 'missing/.python-version' }, "Input 'python-version-file' names no file: "],
    [{ 'python-version-file': 'pyenv-venv' }, "Input 'python-version-file' line 1 of "],
    [{ 'python-version-file': 'pypy' }, "Input 'python-version-file' line 2 of "],
    [{}, "Input 'python-version' is required"],
  ])('%j fails before any request', async (inputs, message) => {
    const cwd = mkdtempSync(join(tmpdir(), 'ws-pyfile-bad-'));
    writeFileSync(join(cwd, '.python-version'), '3.11\n');
    writeFileSync(join(cwd, 'pyenv-venv'), '3.11.9/envs/tools\n');
    writeFileSync(join(cwd, 'pypy'), '# another interpreter\npypy3.10-7.3.12\n');
    const before = mirror.requests.length;
    const run = await fetchPython(inputs, { cwd });
    expect(expectOneError(run)).toContain(message);
    expect(newRequests(before)).toEqual([]);
    expect(listFiles(cwd)).toEqual(['.python-version', 'pyenv-venv', 'pypy']);
  });
});

describe('missing releases', () => {
  test('a 404 for a security-only release says which versions have Windows binaries', async () => {
    const run = await fetchPython({ 'python-version': '3.11.12' });
    expect(expectOneError(run)).toBe(
      `No embeddable Python at ${mirror.url}/3.11.12/python-3.11.12-embed-amd64.zip (404): 3.11.12 is a security-only release, which python.org publishes as source only: the last 3.11 with Windows binaries is 3.11.9`,
    );
    expect(existsSync(join(run.workspace, 'dist'))).toBe(false);
  });

  test('a 404 for arm64 before 3.11 says where arm64 starts', async () => {
    const run = await fetchPython({ 'python-version': '3.10.11', arch: 'arm64' });
    expect(expectOneError(run)).toContain('(404): arm64 embeddable zips start at Python 3.11');
  });
});

describe('hostile zips', () => {
  test.each([
    ['3.11.5', "'../evil' ('..' segment)"],
    ['3.11.4', "'/tmp/forge-actions-fetch-evil' (absolute path)"],
    ['3.11.3', "'Lib' (symbolic link)"],
  ])('%s is refused (%s) with nothing written anywhere', async (version, entry) => {
    const run = await fetchPython({ 'python-version': version });
    expect(expectOneError(run)).toBe(
      `python-${version}-embed-amd64.zip has an unsafe entry ${entry}; nothing was extracted`,
    );
    const runRoot = dirname(run.runnerTemp);
    expect(listFiles(runRoot).filter((f) => f.includes('evil') || f.endsWith('python.exe'))).toEqual([]);
    expect(existsSync('/tmp/forge-actions-fetch-evil')).toBe(false);
    expect(existsSync(join(run.workspace, 'dist'))).toBe(false);
    expect(listFiles(run.toolCache)).toEqual([]);
  });
});

describe('not an embeddable Python', () => {
  test('a zip without a ._pth fails and is not cached', async () => {
    const run = await fetchPython({ 'python-version': '3.11.2' });
    expect(expectOneError(run)).toBe(
      'python-3.11.2-embed-amd64.zip holds no python311._pth; is the mirror serving an embeddable Python?',
    );
    expect(listFiles(run.toolCache)).toEqual([]);
    expect(existsSync(join(run.workspace, 'dist'))).toBe(false);
  });
});

describe('._pth patch', () => {
  test('LF files keep LF; running twice changes nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ws-lf-'));
    const inputs = {
      'python-version': '3.12.4',
      arch: 'win32',
      destination: 'out/py',
      'extra-paths': '..\\app',
    };
    expectSuccess(await fetchPython(inputs, { cwd }));
    const pth = join(cwd, 'out', 'py', 'python312._pth');
    const once = readFileSync(pth, 'utf8');
    expect(once).toBe(
      'python312.zip\n.\nLib\\site-packages\n..\\app\n\n# Uncomment to run site.main() automatically\nimport site\n',
    );
    expectSuccess(await fetchPython(inputs, { cwd }));
    expect(readFileSync(pth, 'utf8')).toBe(once);
  });

  test('site-packages false: no folder, no import site, empty output', async () => {
    const run = await fetchPython({ 'python-version': '3.11.7', 'site-packages': 'false', cache: 'false' });
    expectSuccess(run);
    const python = join(run.workspace, 'dist', 'python');
    expect(run.outputs['site-packages-dir']).toBe('');
    expect(existsSync(join(python, 'Lib'))).toBe(false);
    expect(readFileSync(join(python, 'python311._pth'), 'utf8')).toBe(defaultPth('python311'));
    expect(listFiles(run.toolCache)).toEqual([]);
  });
});

describe('placement', () => {
  // A fresh destination takes the staged folder by rename; across file systems that fails (EXDEV)
  // and the files are copied instead.
  const otherFs = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
  (otherFs ? test : test.skip)(
    'a runner temp on another file system still works (copy, not rename)',
    async () => {
      const runnerTemp = mkdtempSync('/dev/shm/fetch-embedded-python-');
      try {
        const run = await runAction('fetch-embedded-python', {
          inputs: { mirror: mirror.url, 'python-version': '3.11.7' },
          env: { RUNNER_TEMP: runnerTemp },
        });
        expectSuccess(run);
        expect(readFileSync(join(run.workspace, 'dist', 'python', 'python311._pth'), 'utf8')).toContain(
          'import site\r\n',
        );
        expect(readdirSync(runnerTemp)).toEqual([]);
      } finally {
        rmSync(runnerTemp, { recursive: true, force: true });
      }
    },
  );
});

describe('pre-releases', () => {
  test('3.13.0rc2: file name with rc2 in the 3.13.0 folder, cached as 3.13.0-rc.2', async () => {
    const before = mirror.requests.length;
    const run = await fetchPython({ 'python-version': '3.13.0rc2', arch: 'arm64' });
    expectSuccess(run);
    expect(newRequests(before)).toEqual(['/ftp/python/3.13.0/python-3.13.0rc2-embed-arm64.zip']);
    expect(existsSync(join(run.toolCache, 'python-embed', '3.13.0-rc.2', 'arm64.complete'))).toBe(true);
    expect(existsSync(join(run.workspace, 'dist', 'python', 'python313._pth'))).toBe(true);
  });
});

describe('bad input: one line naming the input, nothing downloaded or written', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ws-bad-'));
  writeFileSync(join(cwd, 'a-file'), 'x');

  test.each([
    [{ 'python-version': '3.11.x' }, "Input 'python-version' must be a Python version X.Y or X.Y.Z"],
    [{ 'python-version': 'latest' }, "Input 'python-version' must be a Python version X.Y or X.Y.Z"],
    [{ 'python-version': '3.4' }, "Input 'python-version' 3.4 has no Windows embeddable zip"],
    [
      { 'python-version': '3.11.9', arch: 'x64' },
      "Input 'arch' must be one of amd64, win32, arm64 (got 'x64')",
    ],
    [{ 'python-version': '3.11.9', destination: 'a-file' }, "Input 'destination' names a file, not a folder"],
    [{ 'python-version': '3.11.9', destination: 'a-file/python' }, "Input 'destination' lies below a file"],
    [
      { 'python-version': '3.11.9', 'extra-paths': 'C:\\app\\src' },
      "Input 'extra-paths' line 1 ('C:\\app\\src') is an absolute path",
    ],
    [
      { 'python-version': '3.11.9', 'extra-paths': '../app\n/opt/app' },
      "Input 'extra-paths' line 2 ('/opt/app') is an absolute path",
    ],
    [
      { 'python-version': '3.11.9', 'extra-paths': '../../elsewhere' },
      "Input 'extra-paths' line 1 ('../../elsewhere') leads outside the app",
    ],
    [
      { 'python-version': '3.11.9', 'extra-paths': 'app\rsrc' },
      "Input 'extra-paths' line 1 ('app\\rsrc') holds a line break",
    ],
    [
      { 'python-version': '3.11.9', sha256: 'abc' },
      "Input 'sha256' must be 64 hexadecimal digits (got 'abc')",
    ],
    [
      { 'python-version': '3.11.9', mirror: 'ftp://example.invalid' },
      "Input 'mirror' must be an http(s) URL",
    ],
    [{ 'python-version': '3.11.9', tkinter: 'yes' }, "Input 'tkinter' must be true or false (got 'yes')"],
  ])('%j', async (inputs, message) => {
    const before = mirror.requests.length;
    const run = await fetchPython(inputs, { cwd });
    expect(expectOneError(run)).toContain(message);
    expect(newRequests(before)).toEqual([]);
    expect(readdirSync(cwd)).toEqual(['a-file']);
    expect(listFiles(run.toolCache)).toEqual([]);
    expect(listFiles(run.runnerTemp)).toEqual([]);
  });
});

describe('tkinter from the release MSIs', () => {
  if (missing.length > 0) {
    const note = `${missing.join(' and ')} missing: apt-get install msitools wixl`;
    if (inCi) test('msitools and wixl are installed', () => expect(note).toBe('no missing tool'));
    else {
      console.warn(`SKIPPED: tkinter tests: ${note}`);
      test.skip(note, () => {});
    }
    return;
  }

  beforeAll(() => {
    buildMsi(join(mirror.root, '3.11.9', 'amd64', 'tcltk.msi'), 'tcltk', TCLTK_FILES);
    buildMsi(join(mirror.root, '3.11.9', 'amd64', 'lib.msi'), 'lib', LIB_FILES);
  });

  test('extracts with msiextract: DLLs beside python.exe, Tcl/Tk under tcl/ as CPython expects; a second run downloads nothing', async () => {
    const toolCache = mkdtempSync(join(tmpdir(), 'tk-tool-cache-'));
    const before = mirror.requests.length;
    const run = await fetchPython({ 'python-version': '3.11.9', tkinter: 'true' }, { toolCache });
    expectSuccess(run);
    expect(newRequests(before)).toEqual([
      '/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip',
      '/ftp/python/3.11.9/amd64/tcltk.msi',
      '/ftp/python/3.11.9/amd64/lib.msi',
    ]);
    const python = join(run.workspace, 'dist', 'python');
    expect(readFileSync(join(python, '_tkinter.pyd'), 'utf8')).toBe('MZ _tkinter');
    expect(readFileSync(join(python, 'tcl86t.dll'), 'utf8')).toBe('MZ tcl86t');
    expect(readFileSync(join(python, 'tk86t.dll'), 'utf8')).toBe('MZ tk86t');
    // CPython's layout: _tkinter sets TCL_LIBRARY to {prefix}\tcl\tcl8.6 on Windows.
    expect(readFileSync(join(python, 'tcl', 'tcl8.6', 'init.tcl'), 'utf8')).toBe('# init.tcl');
    expect(readFileSync(join(python, 'tcl', 'tcl8.6', 'encoding', 'cp1252.enc'), 'utf8')).toBe('cp1252');
    expect(readFileSync(join(python, 'tcl', 'tk8.6', 'ttk', 'ttk.tcl'), 'utf8')).toBe('# ttk');
    expect(readFileSync(join(python, 'tcl', 'tcl8', '8.5', 'msgcat-1.6.1.tm'), 'utf8')).toBe('# msgcat');
    expect(readFileSync(join(python, 'Lib', 'tkinter', '__init__.py'), 'utf8')).toBe('# tkinter');
    expect(readFileSync(join(python, 'Lib', 'tkinter', 'ttk.py'), 'utf8')).toBe('# ttk');
    // Only tkinter: not the rest of lib.msi, not the MSIs' own folders.
    expect(existsSync(join(python, 'Lib', 'os.py'))).toBe(false);
    expect(existsSync(join(python, 'DLLs'))).toBe(false);
    expect(existsSync(join(python, 'tcl8.6'))).toBe(false);
    expect(existsSync(join(python, 'Lib', 'site-packages'))).toBe(true);
    expect(run.summary).toContain('_tkinter.pyd');
    expect(existsSync(join(toolCache, 'python-embed-tkinter', '3.11.9', 'amd64.complete'))).toBe(true);

    const later = mirror.requests.length;
    const again = await fetchPython({ 'python-version': '3.11.9', tkinter: 'true' }, { toolCache });
    expectSuccess(again);
    expect(again.outputs['cache-hit']).toBe('true');
    expect(newRequests(later)).toEqual([]);
    expect(readFileSync(join(again.workspace, 'dist', 'python', 'tcl', 'tk8.6', 'tk.tcl'), 'utf8')).toBe(
      '# tk.tcl',
    );
  });

  test('an MSI without the tkinter pieces fails naming what is missing', async () => {
    buildMsi(join(mirror.root, '3.11.8', 'amd64', 'tcltk.msi'), 'tcltk', { 'DLLs/tcl86t.dll': 'MZ' });
    buildMsi(join(mirror.root, '3.11.8', 'amd64', 'lib.msi'), 'lib', { 'Lib/os.py': '#' });
    const run = await fetchPython({ 'python-version': '3.11.8', tkinter: 'true' });
    expect(expectOneError(run)).toBe(
      'tcltk.msi and lib.msi hold no _tkinter.pyd, tk86t.dll, tcl8.6/, tk8.6/, Lib/tkinter/; cannot add tkinter',
    );
    expect(listFiles(run.toolCache).filter((f) => f.includes('tkinter'))).toEqual([]);
  });

  test('a release without MSIs is a 404 that says so', async () => {
    const run = await fetchPython({ 'python-version': '3.11.7', tkinter: 'true' });
    expect(expectOneError(run)).toMatch(
      /^No tcltk\.msi at .*\/3\.11\.7\/amd64\/tcltk\.msi \(404\): tkinter comes from/,
    );
  });
});

afterAll(() => {
  rmSync('/tmp/forge-actions-fetch-evil', { force: true });
});
