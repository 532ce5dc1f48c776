// build-nsis as a runner runs it: the bundled dist/index.js, real makensis (Debian's NSIS 3.08), real
// files, 7z to read the installer back, the runner's output, summary and annotation channels.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import {
  annotations,
  build,
  demoProject,
  describeWithTools,
  extractFromInstaller,
  installerScript,
  LAUNCHER,
  payloadOf,
  peHeader,
  TOOLS,
} from './support.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const EM_DASH_LAUNCHER_LF = '\' Start the app \u2014 hidden\nWshShell.Run "python.exe -m demo", 0, False\n';

/** No installer was written and the launchers are as they were. */
function expectUntouched(cwd: string, launchers: Record<string, string | Buffer>) {
  expect(readdirSync(join(cwd, 'build'))).toEqual([]);
  for (const [name, content] of Object.entries(launchers)) {
    expect(readFileSync(join(cwd, name))).toEqual(Buffer.from(content));
  }
}

describeWithTools('build-nsis', { makensis: TOOLS.makensis, '7z': TOOLS['7z'], file: TOOLS.file }, () => {
  test('builds a PE32+ installer holding the payload; outputs, summary and the fixed launcher inside', async () => {
    const cwd = demoProject({ 'dist/scripts/start-hidden.vbs': EM_DASH_LAUNCHER_LF });
    const r = await build(cwd, { version: '1.2.3', defines: 'APPNAME=Demo App\nPUBLISHER=Example Ltd' });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);

    const installer = join(cwd, 'build', 'Demo App-1.2.3-setup.exe');
    expect(r.outputs.installer).toBe(installer);
    const bytes = readFileSync(installer);
    expect(r.outputs.sha256).toBe(sha256(bytes));
    expect(r.outputs.size).toBe(String(bytes.length));
    expect(r.outputs['vbs-fixed']).toBe('1');

    expect(peHeader(installer)).toEqual({ magic: 0x20b, machine: 0x8664 });
    expect(execFileSync('file', ['-b', installer], { encoding: 'utf8' })).toMatch(
      /^PE32\+ executable .*x86-64/,
    );
    expect(payloadOf(installer)).toEqual([
      'app/demo/__init__.py',
      'app/demo/main.py',
      'python/python.exe',
      'scripts/start-hidden.vbs',
    ]);
    // The launcher was fixed before makensis ran, so the installer ships the ASCII + CRLF version.
    const shipped = extractFromInstaller(installer, 'scripts/start-hidden.vbs');
    expect(shipped.toString('latin1')).toBe(
      '\' Start the app - hidden\r\nWshShell.Run "python.exe -m demo", 0, False\r\n',
    );

    expect(r.stdout).toContain('::group::makensis installer.nsi');
    expect(r.stdout).toMatch(
      /-V3 -XSetDateSave off -DVERSION=1\.2\.3 -DAPPNAME=Demo App -DPUBLISHER=Example Ltd .*installer\.nsi/,
    );
    expect(r.stdout).toContain('Output: "build/Demo App-1.2.3-setup.exe"');
    expect(r.summary).toContain('| installer | build/Demo App-1.2.3-setup.exe |');
    expect(r.summary).toContain(`| sha256 | \`${sha256(bytes)}\` |`);
    expect(r.summary).toContain('| VBS launchers | 1 checked, 1 fixed |');
    expect(r.summary).toContain('| signed | no |');
  });

  test('working-directory: the vbs globs and makensis start there; paths in the script are relative to it', async () => {
    const cwd = demoProject();
    const inner = demoProject({ 'dist/scripts/start-hidden.vbs': EM_DASH_LAUNCHER_LF });
    renameSync(inner, join(cwd, 'installer'));
    // The script one level down: makensis resolves File and OutFile against the script's folder.
    const script = installerScript()
      .replace('File /r "dist\\*.*"', 'File /r "..\\dist\\*.*"')
      .replace('OutFile "build\\', 'OutFile "..\\build\\');
    mkdirSync(join(cwd, 'installer', 'nsis'));
    writeFileSync(join(cwd, 'installer', 'nsis', 'app.nsi'), script);
    // A launcher outside working-directory is not ours to touch.
    writeFileSync(join(cwd, 'other.vbs'), EM_DASH_LAUNCHER_LF);
    const r = await build(cwd, {
      'working-directory': 'installer',
      script: 'nsis/app.nsi',
      version: '2.0.0',
    });
    expect(r.errors).toEqual([]);
    expect(r.outputs.installer).toBe(join(cwd, 'installer', 'build', 'Demo-2.0.0-setup.exe'));
    expect(payloadOf(r.outputs.installer)).toContain('scripts/start-hidden.vbs');
    expect(r.outputs['vbs-fixed']).toBe('1');
    expect(readFileSync(join(cwd, 'other.vbs'), 'utf8')).toBe(EM_DASH_LAUNCHER_LF);
    expect(annotations(r.stdout, 'warning').map((a) => a.file)).toEqual([
      'installer/dist/scripts/start-hidden.vbs',
    ]);
  });

  test('vbs-policy fix: ASCII + CRLF byte for byte, one warning per non-ASCII line, count of files changed', async () => {
    const utf8 = [
      "\ufeff' Launcher \u2014 starts the \u201cdemo\u201d app\u2026",
      'MsgBox "Say \u201chi\u201d\u00a0now"',
      'WshShell.Run \u201cpython.exe -m demo\u201d, 0, False',
      'x = "caf\u00e9"',
      '',
    ].join('\n');
    // Windows-1252 ("ANSI") with an en dash, curly quotes and CR-only line endings.
    const ansi = Buffer.from([
      ...Buffer.from("' a "),
      0x96,
      ...Buffer.from(' b\r'),
      ...Buffer.from('y = '),
      0x93,
      ...Buffer.from('q'),
      0x94,
      ...Buffer.from('\r'),
    ]);
    const cwd = demoProject({
      'dist/scripts/start-hidden.vbs': utf8,
      'dist/scripts/ansi.vbs': ansi,
      'dist/scripts/clean.vbs': LAUNCHER,
      'tools/lf-only.vbs': 'WScript.Echo "x"\nWScript.Echo "y"\n',
    });
    const r = await build(cwd);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs['vbs-fixed']).toBe('3');

    expect(readFileSync(join(cwd, 'dist/scripts/start-hidden.vbs'))).toEqual(
      Buffer.from(
        [
          '\' Launcher - starts the "demo" app...',
          'MsgBox "Say ""hi"" now"',
          'WshShell.Run "python.exe -m demo", 0, False',
          'x = "caf"',
          '',
        ].join('\r\n'),
        'latin1',
      ),
    );
    expect(readFileSync(join(cwd, 'dist/scripts/ansi.vbs'))).toEqual(Buffer.from('\' a - b\r\ny = "q"\r\n'));
    expect(readFileSync(join(cwd, 'tools/lf-only.vbs'))).toEqual(
      Buffer.from('WScript.Echo "x"\r\nWScript.Echo "y"\r\n'),
    );
    expect(readFileSync(join(cwd, 'dist/scripts/clean.vbs'))).toEqual(Buffer.from(LAUNCHER));

    const warnings = annotations(r.stdout, 'warning');
    expect(warnings.map((w) => `${w.file}:${w.line}`)).toEqual([
      'dist/scripts/ansi.vbs:1',
      'dist/scripts/ansi.vbs:2',
      'dist/scripts/start-hidden.vbs:1',
      'dist/scripts/start-hidden.vbs:2',
      'dist/scripts/start-hidden.vbs:3',
      'dist/scripts/start-hidden.vbs:4',
    ]);
    expect(warnings[2].message).toContain("'\u2014' (U+2014) → '-'");
    expect(warnings[2].message).toContain("'\ufeff' (U+FEFF) removed");
    expect(warnings[5].message).toContain("'\u00e9' (U+00E9) removed");
    expect(r.stdout).toContain('dist/scripts/clean.vbs: already ASCII with CRLF');

    // A second run finds nothing left to fix.
    const again = await build(cwd);
    expect(again.outputs['vbs-fixed']).toBe('0');
    expect(annotations(again.stdout, 'warning')).toEqual([]);
  });

  test('vbs-policy error: fails at the first bad line, nothing written or built', async () => {
    const launchers = {
      'dist/scripts/a-clean.vbs': LAUNCHER,
      'dist/scripts/b-bad.vbs': 'WScript.Echo "ok"\r\n\' second line \u2013 dash\r\n',
    };
    const cwd = demoProject(launchers);
    const r = await build(cwd, { 'vbs-policy': 'error' });
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(
      /^dist\/scripts\/b-bad\.vbs:2: non-ASCII character '\u2013' \(U\+2013\) → '-'; .*vbs-policy: fix/,
    );
    expect(annotations(r.stdout, 'error')[0]).toMatchObject({ file: 'dist/scripts/b-bad.vbs', line: 2 });
    expectUntouched(cwd, launchers);

    const lf = { 'dist/scripts/lf.vbs': 'WScript.Echo "a"\r\nWScript.Echo "b"\nWScript.Echo "c"\r\n' };
    const cwd2 = demoProject(lf);
    const r2 = await build(cwd2, { 'vbs-policy': 'error' });
    expect(r2.errors).toEqual([
      expect.stringMatching(/^dist\/scripts\/lf\.vbs:2: line ends with LF instead of CRLF;/),
    ]);
    expectUntouched(cwd2, lf);

    const ok = await build(demoProject(), { 'vbs-policy': 'error' });
    expect(ok.code).toBe(0);
    expect(ok.outputs['vbs-fixed']).toBe('0');
  });

  test('vbs globs: excludes; explicit patterns that match nothing warn; leaving the workspace fails', async () => {
    const bad = "' \u2014\r\n";
    const cwd = demoProject({ 'dist/scripts/skip-me.vbs': bad });
    const r = await build(cwd, { vbs: 'dist/**/*.vbs\n!dist/scripts/skip-me.vbs' });
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'dist/scripts/skip-me.vbs'), 'utf8')).toBe(bad);

    const none = await build(demoProject(), { vbs: 'launchers/*.vbs' });
    expect(none.code).toBe(0);
    expect(none.warnings).toEqual([expect.stringMatching(/^vbs matched no files \(launchers\/\*\.vbs\)/)]);

    const outside = await build(demoProject(), { vbs: '../**/*.vbs' });
    expect(outside.errors).toEqual([
      expect.stringMatching(/^Input 'vbs' pattern '\.\.\/\*\*\/\*\.vbs' points outside/),
    ]);

    const elsewhere = join(mkdtempSync(join(tmpdir(), 'elsewhere-')), 'shared.vbs');
    writeFileSync(elsewhere, bad);
    const linked = demoProject();
    symlinkSync(elsewhere, join(linked, 'dist/scripts/shared.vbs'));
    const link = await build(linked);
    expect(link.errors).toEqual([
      "Input 'vbs' 'dist/scripts/shared.vbs' is a link to a file outside the workspace",
    ]);
    expect(readFileSync(elsewhere, 'utf8')).toBe(bad);
  });

  test('lint warn: each rule reported at its file and line, the installer still built', async () => {
    const script = installerScript({
      head: '!define MUI_FINISHPAGE_RUN_PARAMETERS "--tray"',
      core: ['  RMDir /r "$INSTDIR\\app"', '  File /r "dist\\*.*"'].join('\n'),
    });
    const cwd = demoProject(
      { 'dist/scripts/start-pythonw.vbs': 'WshShell.Run "pythonw.exe -m demo", 0, False\r\n' },
      script,
    );
    const r = await build(cwd);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(existsSync(r.outputs.installer)).toBe(true);
    const warnings = annotations(r.stdout, 'warning');
    expect(warnings.map((w) => `${w.file}:${w.line}`)).toEqual([
      'installer.nsi:9',
      'installer.nsi:18',
      'installer.nsi:18',
      'dist/scripts/start-pythonw.vbs:1',
    ]);
    expect(warnings[0].message).toMatch(
      /MUI_FINISHPAGE_RUN_PARAMETERS .*MUI_FINISHPAGE_RUN_FUNCTION.*\[finish-page-parameters\]$/,
    );
    // One warning per payload folder without an RMDir /r: python and scripts, not app.
    expect(warnings[1].message).toMatch(
      /^installer\.nsi:18: File \/r merges the payload folder python into \$INSTDIR without clearing .*\(RMDir \/r "\$INSTDIR\\python"\) before extracting, or keep a manifest .*\[file-r-merge\]$/,
    );
    expect(warnings[2].message).toContain('(RMDir /r "$INSTDIR\\scripts") before extracting');
    expect(warnings[3].message).toMatch(/launches pythonw\.exe.*\[vbs-pythonw\]$/);
    expect(r.summary).toContain('| lint findings | 4 |');

    const off = await build(cwd, { lint: 'off' });
    expect(off.code).toBe(0);
    expect(annotations(off.stdout, 'warning')).toEqual([]);
  });

  test('lint error: fails at the first finding before any launcher is rewritten or anything built', async () => {
    const launchers = { 'dist/scripts/start-hidden.vbs': EM_DASH_LAUNCHER_LF };
    const cwd = demoProject(launchers, installerScript({ core: '  File /r "dist\\*.*"' }));
    const r = await build(cwd, { lint: 'error' });
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(
      /^Lint \(lint: error\) failed at installer\.nsi:17: File \/r merges the payload folder app into \$INSTDIR .*\(and 2 more lint finding\(s\), see the warnings\)$/,
    );
    expect(annotations(r.stdout, 'error')[0]).toMatchObject({ file: 'installer.nsi', line: 17 });
    expectUntouched(cwd, launchers);
  });

  test('a makensis error is one line naming the script and line, annotated there; the output is in a group', async () => {
    const cwd = demoProject({}, installerScript({ core: '  File /r "dist\\*.*"\n  Bogus "x"' }));
    const r = await build(cwd, { lint: 'off' });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual(['makensis failed at installer.nsi:18: Invalid command: "Bogus"']);
    expect(annotations(r.stdout, 'error')[0]).toMatchObject({ file: 'installer.nsi', line: 18 });
    expect(r.stdout).toContain('Error in script "');
    expect(r.outputs).toEqual({});
  });

  test('a makensis error in an included file names that file', async () => {
    const cwd = demoProject(
      { 'include/payload.nsh': '; the payload\n  DetailPrint\n' },
      installerScript({ core: '  !include "include\\payload.nsh"' }),
    );
    const r = await build(cwd);
    expect(r.errors).toEqual([
      'makensis failed at include/payload.nsh:2: DetailPrint expects 1 parameters, got 0.',
    ]);
  });

  test('an OutFile folder that does not exist is explained', async () => {
    const cwd = demoProject();
    rmdirSync(join(cwd, 'build'));
    const r = await build(cwd);
    expect(r.errors).toEqual([
      "makensis failed at installer.nsi: Can't open output file (does the OutFile folder exist? makensis does not create it)",
    ]);
  });

  test('warnings-as-errors: a makensis warning is annotated; with true it fails the build at its line', async () => {
    const script = installerScript({ head: '!warning "check the payload"' });
    const r = await build(demoProject({}, script));
    expect(r.code).toBe(0);
    expect(annotations(r.stdout, 'warning')).toEqual([
      { file: 'installer.nsi', line: 9, message: 'makensis: !warning: check the payload' },
    ]);
    expect(r.summary).toContain('| makensis warnings | 1 |');

    const cwd = demoProject({}, script);
    const strict = await build(cwd, { 'warnings-as-errors': 'true' });
    expect(strict.code).toBe(1);
    expect(strict.errors).toEqual([
      'makensis failed at installer.nsi:9: warning treated as error (warnings-as-errors: true): !warning: check the payload',
    ]);
    expect(strict.stdout).toMatch(/makensis -V3 -WX /);
    expect(readdirSync(join(cwd, 'build'))).toEqual([]);
  });

  test.each([
    [{ script: 'missing.nsi' }, /^Input 'script' 'missing\.nsi' does not exist in /],
    [{ defines: 'APPNAME=Demo\nNOEQUALS' }, /^Input 'defines' line 2 must be KEY=VALUE \(got 'NOEQUALS'\)$/],
    [{ defines: 'BAD NAME=1' }, /^Input 'defines' has 'BAD NAME', which is not a define name/],
    [
      { defines: 'VERSION=1.0', version: '2.0' },
      /^Input 'defines' sets VERSION, which the 'version' input already passes/,
    ],
    [{ 'vbs-policy': 'strip' }, /^Input 'vbs-policy' must be one of fix, error \(got 'strip'\)$/],
    [{ lint: 'strict' }, /^Input 'lint' must be one of warn, error, off \(got 'strict'\)$/],
    [{ 'warnings-as-errors': 'yes' }, /^Input 'warnings-as-errors' must be true or false/],
    [{ 'working-directory': 'nowhere' }, /^Input 'working-directory' 'nowhere' is not a folder/],
    [{ 'sign-pfx': 'not base64!' }, /^Input 'sign-pfx' is not valid base64/],
    [
      { 'sign-pfx': Buffer.from('hello world!').toString('base64') },
      /^Input 'sign-pfx' is base64 but not a PKCS#12/,
    ],
    [
      { 'sign-timestamp-url': 'timestamp.example' },
      /^Input 'sign-timestamp-url' must be an http:\/\/ or https:\/\/ URL$/,
    ],
  ])('bad input %j: one line naming the input, nothing written or built', async (inputs, message) => {
    const launchers = { 'dist/scripts/start-hidden.vbs': EM_DASH_LAUNCHER_LF };
    const cwd = demoProject(launchers);
    const r = await build(cwd, inputs);
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(message);
    expect(r.stdout).not.toContain('makensis -V3');
    expectUntouched(cwd, launchers);
    expect(r.outputs).toEqual({});
  });

  test('install: false without makensis fails naming the package; install: true without apt-get says why', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'no-tools-'));
    const launchers = { 'dist/scripts/start-hidden.vbs': EM_DASH_LAUNCHER_LF };
    const cwd = demoProject(launchers);
    const off = await build(cwd, { install: 'false' }, { env: { PATH: emptyPath } });
    expect(off.errors).toEqual([
      'makensis is not installed (Debian/Ubuntu package nsis) and install is false; install nsis in the job image or set install: true',
    ]);
    const on = await build(cwd, { install: 'true' }, { env: { PATH: emptyPath } });
    expect(on.errors).toEqual([
      'makensis is not installed and cannot be installed here (there is no apt-get); install the package nsis in the job image',
    ]);
    expectUntouched(cwd, launchers);
  });

  test('reproducible: the same payload with other file times makes the same installer (false: it does not)', async () => {
    const cwd = demoProject();
    const touchAll = (seconds: number) => {
      for (const file of ['dist/app/demo/main.py', 'dist/python/python.exe', 'dist/scripts/start-hidden.vbs'])
        utimesSync(join(cwd, file), seconds, seconds);
    };
    const hashes = async (inputs: Record<string, string>) => {
      const seen: string[] = [];
      for (const seconds of [1_600_000_000, 1_700_000_000]) {
        touchAll(seconds);
        seen.push((await build(cwd, { version: '1.0.0', ...inputs })).outputs.sha256);
      }
      return seen;
    };
    const [a, b] = await hashes({});
    expect(a).toBe(b);
    const [c, d] = await hashes({ reproducible: 'false' });
    expect(c).not.toBe(d);
  });

  test('the installer size and hash match the file on disk after a rebuild with another version', async () => {
    const cwd = demoProject();
    const first = await build(cwd, { version: '1.0.0' });
    const second = await build(cwd, { version: '1.0.1' });
    expect(first.outputs.installer).not.toBe(second.outputs.installer);
    for (const run of [first, second]) {
      expect(run.outputs.size).toBe(String(statSync(run.outputs.installer).size));
      expect(run.outputs.sha256).toBe(sha256(readFileSync(run.outputs.installer)));
    }
  });
});
