// Issue 14 (hardening) for fetch-embedded-python, through its bundle: mirror credentials never shown or
// stored (item 3), and a tool cache entry used only for the mirror it came from and only while it is
// what was cached (item 5).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildMsi,
  LIB_FILES,
  type Mirror,
  missingTools,
  publishEmbedZip,
  startMirror,
  TCLTK_FILES,
} from '@forge-actions/testing/embed-mirror';
import { leaks } from '@forge-actions/testing/leaks';
import { type RunResult, runAction } from '@forge-actions/testing/run-action';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

const inCi = process.env.CI === 'true';
const missing = missingTools(['wixl', 'msiextract']);
const tkinterReady = missing.length === 0;

/** The run succeeded; shows its log when it did not. */
function expectSuccess(run: RunResult): void {
  if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  expect(run.errors).toEqual([]);
}

function requireTkinterTools(): boolean {
  if (tkinterReady) return true;
  const note = `${missing.join(' and ')} missing: apt-get install msitools wixl`;
  if (inCi) throw new Error(note);
  console.warn(`SKIPPED: tkinter part: ${note}`);
  return false;
}

describe('hardening 3: mirror credentials', () => {
  // As typed in the URL (percent-encoded) and as the server gets them (decoded): both must stay hidden.
  const user = 'deploy-bot';
  const typed = 'm1rr0r%2Fpa%24%24w0rd';
  const decoded = 'm1rr0r/pa$$w0rd';
  let mirror: Mirror;
  let withCredentials: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'private-mirror-'));
    await publishEmbedZip(root, '3.11.9', 'amd64');
    if (tkinterReady) {
      buildMsi(join(root, '3.11.9', 'amd64', 'tcltk.msi'), 'tcltk', TCLTK_FILES);
      buildMsi(join(root, '3.11.9', 'amd64', 'lib.msi'), 'lib', LIB_FILES);
    }
    mirror = await startMirror(root, { auth: { user, password: decoded } });
    withCredentials = mirror.url.replace('http://', `http://${user}:${typed}@`);
  });
  afterAll(async () => {
    await mirror?.close();
  });

  test('hardening 3: user:password@ in mirror reaches the mirror as Basic auth and shows nowhere: log, summary, outputs, tool cache, runner temp, workspace', async () => {
    const tkinter = requireTkinterTools();
    const toolCache = mkdtempSync(join(tmpdir(), 'private-tool-cache-'));
    const inputs = { 'python-version': '3.11.9', mirror: withCredentials, tkinter: String(tkinter) };
    const env = { RUNNER_TOOL_CACHE: toolCache };

    const first = await runAction('fetch-embedded-python', { inputs, env });
    expectSuccess(first);
    expect(first.outputs['cache-hit']).toBe('false');
    // Every request carried the credentials (none was refused), the zip and the MSIs were fetched.
    expect(mirror.requests.filter((r) => r.startsWith('401'))).toEqual([]);
    expect(mirror.requests).toContain('/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip');
    expect(existsSync(join(first.workspace, 'dist', 'python', 'python.exe'))).toBe(true);
    // The log and the summary name the mirror without them.
    expect(first.stdout).toContain(`Downloading ${mirror.url}/3.11.9/python-3.11.9-embed-amd64.zip`);
    expect(first.summary).toContain(`${mirror.url}/3.11.9/python-3.11.9-embed-amd64.zip`);
    const origin = JSON.parse(
      readFileSync(join(toolCache, 'python-embed', '3.11.9', 'amd64', 'origin.json'), 'utf8'),
    );
    expect(origin.zip.url).toBe(`${mirror.url}/3.11.9/python-3.11.9-embed-amd64.zip`);
    const folders = (run: RunResult) => [toolCache, run.runnerTemp, run.workspace, run.toolCache];
    expect(leaks(first, [typed, decoded], folders(first))).toEqual([]);

    // The same mirror again (same credentials): a cache hit, and still nothing shows.
    const before = mirror.requests.length;
    const second = await runAction('fetch-embedded-python', { inputs, env });
    expectSuccess(second);
    expect(second.outputs['cache-hit']).toBe('true');
    expect(mirror.requests.slice(before)).toEqual([]);
    expect(leaks(second, [typed, decoded], folders(second))).toEqual([]);
  });

  test('hardening 3: a 404 from a mirror with credentials names the URL without them', async () => {
    const run = await runAction('fetch-embedded-python', {
      inputs: { 'python-version': '3.11.8', mirror: withCredentials },
    });
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^No embeddable Python at ${mirror.url.replace(/\./g, '\\.')}/3\\.11\\.8/python-3\\.11\\.8-embed-amd64\\.zip \\(404\\)`,
      ),
    );
    expect(leaks(run, [typed, decoded], [run.toolCache, run.runnerTemp, run.workspace])).toEqual([]);
  });

  test('hardening 3: wrong credentials fail with one line that shows neither them nor the right ones', async () => {
    const wrong = mirror.url.replace('http://', `http://${user}:n0t-th3-pa%24%24@`);
    const run = await runAction('fetch-embedded-python', {
      inputs: { 'python-version': '3.11.9', mirror: wrong },
    });
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('401');
    expect(
      leaks(run, ['n0t-th3-pa%24%24', 'n0t-th3-pa$$'], [run.toolCache, run.runnerTemp, run.workspace]),
    ).toEqual([]);
  });
});

describe('hardening 5: the tool cache is keyed on what was fetched, and checked on a hit', () => {
  let mirrorA: Mirror;
  let mirrorB: Mirror;

  beforeAll(async () => {
    const rootA = mkdtempSync(join(tmpdir(), 'mirror-a-'));
    const rootB = mkdtempSync(join(tmpdir(), 'mirror-b-'));
    await publishEmbedZip(rootA, '3.11.9', 'amd64', { files: { 'python.exe': 'MZ python.exe of mirror A' } });
    await publishEmbedZip(rootB, '3.11.9', 'amd64', { files: { 'python.exe': 'MZ python.exe of mirror B' } });
    if (tkinterReady) {
      buildMsi(join(rootA, '3.11.9', 'amd64', 'tcltk.msi'), 'tcltk', {
        ...TCLTK_FILES,
        'DLLs/_tkinter.pyd': 'MZ _tkinter of mirror A',
      });
      buildMsi(join(rootA, '3.11.9', 'amd64', 'lib.msi'), 'lib', LIB_FILES);
      buildMsi(join(rootB, '3.11.9', 'amd64', 'tcltk.msi'), 'tcltk', {
        ...TCLTK_FILES,
        'DLLs/_tkinter.pyd': 'MZ _tkinter of mirror B',
      });
      buildMsi(join(rootB, '3.11.9', 'amd64', 'lib.msi'), 'lib', LIB_FILES);
    }
    mirrorA = await startMirror(rootA);
    mirrorB = await startMirror(rootB);
  });
  afterAll(async () => {
    await mirrorA?.close();
    await mirrorB?.close();
  });

  const fetchFrom = (mirror: Mirror, toolCache: string, inputs: Record<string, string> = {}) =>
    runAction('fetch-embedded-python', {
      inputs: { 'python-version': '3.11.9', mirror: mirror.url, ...inputs },
      env: { RUNNER_TOOL_CACHE: toolCache },
    });
  const pythonExe = (run: RunResult) =>
    readFileSync(join(run.workspace, 'dist', 'python', 'python.exe'), 'utf8');
  const entry = (toolCache: string) => join(toolCache, 'python-embed', '3.11.9', 'amd64');

  test('hardening 5: a cache seeded from mirror A is no hit for mirror B; B twice is a hit; A again gets A', async () => {
    const toolCache = mkdtempSync(join(tmpdir(), 'keyed-tool-cache-'));
    const a = await fetchFrom(mirrorA, toolCache);
    expectSuccess(a);
    expect(pythonExe(a)).toBe('MZ python.exe of mirror A');

    const beforeB = mirrorB.requests.length;
    const b = await fetchFrom(mirrorB, toolCache);
    expectSuccess(b);
    expect(b.outputs['cache-hit']).toBe('false');
    expect(pythonExe(b)).toBe('MZ python.exe of mirror B');
    expect(mirrorB.requests.slice(beforeB)).toEqual(['/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip']);
    expect(b.stdout).toContain(`came from ${mirrorA.url}/3.11.9/python-3.11.9-embed-amd64.zip`);

    const again = mirrorB.requests.length;
    const b2 = await fetchFrom(mirrorB, toolCache);
    expectSuccess(b2);
    expect(b2.outputs['cache-hit']).toBe('true');
    expect(pythonExe(b2)).toBe('MZ python.exe of mirror B');
    expect(mirrorB.requests.slice(again)).toEqual([]);

    const a2 = await fetchFrom(mirrorA, toolCache);
    expectSuccess(a2);
    expect(a2.outputs['cache-hit']).toBe('false');
    expect(pythonExe(a2)).toBe('MZ python.exe of mirror A');
  });

  test('hardening 5: a tampered cache entry (a file changed, same size; a file added) is not trusted and is fetched again', async () => {
    const toolCache = mkdtempSync(join(tmpdir(), 'tampered-tool-cache-'));
    expectSuccess(await fetchFrom(mirrorA, toolCache));
    const cachedExe = join(entry(toolCache), 'payload', 'python.exe');
    const genuine = readFileSync(cachedExe, 'utf8');
    // Same length: a size check alone would not see it.
    writeFileSync(cachedExe, genuine.replace('mirror A', 'EVIL!!!!'));
    expect(readFileSync(cachedExe).length).toBe(Buffer.byteLength(genuine));

    const before = mirrorA.requests.length;
    const run = await fetchFrom(mirrorA, toolCache);
    expectSuccess(run);
    expect(run.outputs['cache-hit']).toBe('false');
    expect(pythonExe(run)).toBe('MZ python.exe of mirror A');
    expect(mirrorA.requests.slice(before)).toEqual(['/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip']);
    expect(run.stdout).toMatch(/python-embed 3\.11\.9 amd64 .*does not match .*downloading again/);
    // The entry was replaced by the genuine payload: the next run is a hit again.
    expect(readFileSync(cachedExe, 'utf8')).toBe(genuine);
    const hit = await fetchFrom(mirrorA, toolCache);
    expectSuccess(hit);
    expect(hit.outputs['cache-hit']).toBe('true');

    // A file slipped in beside the genuine ones.
    writeFileSync(join(entry(toolCache), 'payload', 'sitecustomize.py'), 'import os\n');
    const added = await fetchFrom(mirrorA, toolCache);
    expectSuccess(added);
    expect(added.outputs['cache-hit']).toBe('false');
    expect(existsSync(join(added.workspace, 'dist', 'python', 'sitecustomize.py'))).toBe(false);
  });

  test('hardening 5: an entry without a usable record (an older version of the action, or edited) is not trusted', async () => {
    const toolCache = mkdtempSync(join(tmpdir(), 'unrecorded-tool-cache-'));
    expectSuccess(await fetchFrom(mirrorA, toolCache));
    // As an earlier version wrote it: the zip only, no digest of the extracted tree.
    const originFile = join(entry(toolCache), 'origin.json');
    const origin = JSON.parse(readFileSync(originFile, 'utf8'));
    writeFileSync(originFile, JSON.stringify({ zip: origin.zip }));
    const run = await fetchFrom(mirrorA, toolCache);
    expectSuccess(run);
    expect(run.outputs['cache-hit']).toBe('false');
    expect(run.stdout).toMatch(/python-embed 3\.11\.9 amd64 .*downloading again/);
  });

  test('hardening 5: the tkinter entry is keyed on the mirror too', async () => {
    if (!requireTkinterTools()) return;
    const toolCache = mkdtempSync(join(tmpdir(), 'tk-keyed-tool-cache-'));
    const tkinter = (run: RunResult) =>
      readFileSync(join(run.workspace, 'dist', 'python', '_tkinter.pyd'), 'utf8');
    const a = await fetchFrom(mirrorA, toolCache, { tkinter: 'true' });
    expectSuccess(a);
    expect(tkinter(a)).toBe('MZ _tkinter of mirror A');
    const b = await fetchFrom(mirrorB, toolCache, { tkinter: 'true' });
    expectSuccess(b);
    expect(b.outputs['cache-hit']).toBe('false');
    expect(tkinter(b)).toBe('MZ _tkinter of mirror B');
    expect(pythonExe(b)).toBe('MZ python.exe of mirror B');
    const before = mirrorB.requests.length;
    const b2 = await fetchFrom(mirrorB, toolCache, { tkinter: 'true' });
    expectSuccess(b2);
    expect(b2.outputs['cache-hit']).toBe('true');
    expect(mirrorB.requests.slice(before)).toEqual([]);

    // Tampered tkinter files are not trusted either.
    writeFileSync(
      join(toolCache, 'python-embed-tkinter', '3.11.9', 'amd64', 'payload', '_tkinter.pyd'),
      'MZ _tkinter of mirror X',
    );
    const b3 = await fetchFrom(mirrorB, toolCache, { tkinter: 'true' });
    expectSuccess(b3);
    expect(b3.outputs['cache-hit']).toBe('false');
    expect(tkinter(b3)).toBe('MZ _tkinter of mirror B');
    expect(b3.stdout).toMatch(/python-embed-tkinter 3\.11\.9 amd64 .*does not match .*downloading again/);
  });
});

describe('hardening 6: what the zip may unpack to is capped, and inputs raise the caps', () => {
  // A compressible 3 MiB file packs to a few KiB: over 200:1, and over a 2 MiB total.
  let mirror: Mirror;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'bomb-mirror-'));
    await publishEmbedZip(root, '3.11.9', 'amd64', { files: { 'big.bin': 'a'.repeat(3 * 1024 * 1024) } });
    mirror = await startMirror(root);
  });
  afterAll(async () => {
    await mirror?.close();
  });

  const fetch = (more: Record<string, string>) =>
    runAction('fetch-embedded-python', {
      inputs: { 'python-version': '3.11.9', mirror: mirror.url, cache: 'false', ...more },
    });
  const refused = (run: RunResult, input: string) => {
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`raise it with input '${input}'`);
    expect(run.errors[0]).toContain('nothing was extracted');
    expect(existsSync(join(run.workspace, 'dist', 'python', 'python.exe'))).toBe(false);
  };

  test('hardening 6: the default ratio cap refuses the entry and names max-compression-ratio', async () => {
    refused(await fetch({}), 'max-compression-ratio');
  });

  test('hardening 6: with the ratio raised, a 2 MiB total cap refuses it and names max-unpacked-mib', async () => {
    refused(await fetch({ 'max-compression-ratio': '5000', 'max-unpacked-mib': '2' }), 'max-unpacked-mib');
  });

  test('hardening 6: an entry count cap names max-unpacked-files', async () => {
    refused(
      await fetch({ 'max-compression-ratio': '5000', 'max-unpacked-files': '3' }),
      'max-unpacked-files',
    );
  });

  test('hardening 6: raised caps let it through', async () => {
    const run = await fetch({ 'max-compression-ratio': '5000' });
    expectSuccess(run);
    expect(readFileSync(join(run.workspace, 'dist', 'python', 'big.bin')).length).toBe(3 * 1024 * 1024);
  });

  test('hardening 6: a cap that is not a whole number is a one-line input error', async () => {
    const before = mirror.requests.length;
    const run = await fetch({ 'max-unpacked-mib': '4G' });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual(["Input 'max-unpacked-mib' must be a whole number of at least 1 (got '4G')"]);
    expect(mirror.requests.slice(before)).toEqual([]);
  });
});
