import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { type BuiltinTemplate, builtinScript } from '../src/builtin-script.js';
import { exeLauncherScript, hiddenLauncher } from '../src/launcher.js';
import { lintNsisScript } from '../src/nsis-lint.js';
import { isKept, listPayload, manifestBytes, postOrder } from '../src/payload.js';
import { payloadInclude } from '../src/payload-nsh.js';
import { inspectVbs } from '../src/vbs.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'builtin-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const manifestLines = (entries: ReturnType<typeof listPayload>) =>
  manifestBytes(entries).subarray(2).toString('utf16le').split('\r\n');

describe('payload', () => {
  test('the manifest lists each folder after what it holds, names by code unit, whatever the input order', () => {
    const dir = tree({ 'b.txt': '', 'a/z.py': '', 'a/B/c.py': '', 'a_b/x': '' });
    const entries = listPayload('dist-dir', dir);
    expect(manifestLines(entries.reverse())).toEqual([
      'a\\B\\c.py',
      'a\\B\\',
      'a\\z.py',
      'a\\',
      'a_b\\x',
      'a_b\\',
      'b.txt',
      '',
    ]);
    expect(postOrder(entries)).toEqual(postOrder(listPayload('dist-dir', dir)));
  });

  test.each([['a:b.py'], ['tail.'], ['cost$.txt'], ['q"uote']])('%s is refused naming dist-dir', (name) => {
    expect(() => listPayload('dist-dir', tree({ [`app/${name}`]: '' }))).toThrow(
      /^Input 'dist-dir' has 'app\//,
    );
  });

  test('names that differ only in case are one file on Windows: refused', () => {
    expect(() => listPayload('dist-dir', tree({ 'app/Main.py': '', 'app/main.py': '' }))).toThrow(
      /^Input 'dist-dir' has 'app\/Main.py' and 'app\/main.py'/,
    );
  });

  test('keep: a folder by prefix, a file by name, case-insensitively', () => {
    const keep = ['data/', 'config.yaml'];
    expect(['data', 'Data/x.db', 'CONFIG.yaml'].map((path) => isKept(path, keep))).toEqual([
      true,
      true,
      true,
    ]);
    expect(['database/x', 'config.yaml.bak', 'app/config.yaml'].map((path) => isKept(path, keep))).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('payloadInclude', () => {
  const dist = tree({ 'python/python.exe': 'MZ', 'app/demo/main.py': '', 'scripts/start-hidden.vbs': '' });
  const include = () =>
    payloadInclude({
      payload: postOrder(listPayload('dist-dir', dist)),
      keep: ['data/', 'config.yaml'],
      manifest: join(dist, '..', 'build', 'install-manifest.txt'),
      scriptDir: join(dist, '..', 'build'),
    });

  test('folders get SetOutPath, files a plain File each (no File /r), relative to the script', () => {
    const text = include();
    expect(text).not.toMatch(/File \/r/i);
    expect(text).toContain('SetOutPath "$INSTDIR\\app\\demo"\r\n  File "..\\');
    expect(text).toContain('File "/oname=install-manifest.txt" "install-manifest.txt"');
  });

  test('keep becomes skips in the removal: a folder by its prefix, a file by its name', () => {
    const text = include();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: NSIS LogicLib macros
    expect(text).toContain('StrCpy $2 $1 5\r\n    ${If} $2 == "data\\"\r\n      ${Continue}');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: NSIS LogicLib macros
    expect(text).toContain('${If} $1 == "config.yaml"\r\n      ${Continue}');
  });

  test('with the builtin script that includes it, passes the suite lint with no finding', () => {
    const dir = join(dist, '..', 'build');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Demo.payload.nsh'), include());
    const script = join(dir, 'Demo.nsi');
    writeFileSync(
      script,
      builtinScript({
        appName: 'Demo',
        version: '',
        publisher: '',
        scope: 'user',
        shortcuts: ['start-menu'],
        launcher: 'exe',
        openUrl: 'http://localhost:8765/',
        buildDir: dir,
        outFile: join(dir, 'Demo-setup.exe'),
      }),
    );
    expect(lintNsisScript({ script })).toEqual([]);
  });
});

describe('builtinScript', () => {
  const template = (extra: Partial<BuiltinTemplate> = {}): BuiltinTemplate => ({
    appName: 'Demo',
    version: '1.0.0',
    publisher: 'A "quoted" $name',
    scope: 'user',
    shortcuts: ['start-menu'],
    launcher: 'exe',
    buildDir: join(tmpdir(), 'build'),
    outFile: join(tmpdir(), 'dist', 'Demo-v1.0.0-setup.exe'),
    ...extra,
  });

  test('free text is escaped for NSIS; the payload comes from its include', () => {
    const text = builtinScript(template());
    expect(text).toContain('"Publisher" "A $\\"quoted$\\" $$name"');
    expect(text).toContain('!include "Demo.payload.nsh"');
    expect(text).toContain('OutFile "..\\dist\\Demo-v1.0.0-setup.exe"');
    expect(text).toContain('!insertmacro FORGE_INSTALL_PAYLOAD');
    expect(text).toContain('!insertmacro FORGE_UNINSTALL_PAYLOAD');
  });

  test('launcher exe: shortcuts, finish page and icon use <app-name>.exe; vbs: wscript.exe and the script', () => {
    const exe = builtinScript(template());
    expect(exe).toContain(
      'CreateShortcut "$SMPROGRAMS\\Demo.lnk" "$INSTDIR\\Demo.exe" "" "$INSTDIR\\Demo.exe" 0',
    );
    expect(exe).toContain('ExecShell "open" "$INSTDIR\\Demo.exe" ""');
    expect(exe).not.toContain('wscript');
    const vbs = builtinScript(template({ launcher: 'vbs' }));
    expect(vbs).toContain(
      'CreateShortcut "$SMPROGRAMS\\Demo.lnk" "$SYSDIR\\wscript.exe" \'"$INSTDIR\\scripts\\start-hidden.vbs"\'',
    );
    expect(vbs).toContain('"DisplayIcon" "$INSTDIR\\python\\python.exe"');
  });

  test('user scope: LOCALAPPDATA, HKCU, no admin; machine: PROGRAMFILES64, HKLM, admin, all users', () => {
    const user = builtinScript(template());
    expect(user).toMatch(/InstallDir "\$LOCALAPPDATA\\Demo"/);
    expect(user).toContain('RequestExecutionLevel user');
    expect(user).toContain('WriteRegStr HKCU ');
    const machine = builtinScript(template({ scope: 'machine', shortcuts: ['desktop', 'autostart'] }));
    expect(machine).toMatch(/InstallDir "\$PROGRAMFILES64\\Demo"/);
    expect(machine).toContain('RequestExecutionLevel admin');
    expect(machine).toContain('SetShellVarContext all');
    expect(machine).not.toContain('HKCU');
    expect(machine).toContain('CreateShortcut "$DESKTOP\\Demo.lnk"');
    expect(machine).toContain('CreateShortcut "$SMSTARTUP\\Demo.lnk"');
    expect(machine).not.toContain('CreateShortcut "$SMPROGRAMS');
  });
});

describe('exeLauncherScript', () => {
  const script = (module = 'my_app.main') =>
    exeLauncherScript({ appName: 'Demo', module, outFile: 'Demo.exe', buildDir: tmpdir() });

  test('silent, no admin; starts python.exe -m <module> with its own arguments, hidden, from its folder', () => {
    const text = script();
    expect(text).toContain('SilentInstall silent');
    expect(text).toContain('RequestExecutionLevel user');
    expect(text).toContain('SetOutPath "$EXEDIR"');
    expect(text).toContain('ExecShell "open" "$EXEDIR\\python\\python.exe" "-m my_app.main $0" SW_HIDE');
  });

  test('a module name that is not one is refused naming app-module', () => {
    expect(() => script('app" & evil')).toThrow(/^Input 'app-module' /);
  });
});

describe('hiddenLauncher', () => {
  test('runs python.exe -m <module> hidden; ASCII with CRLF as the vbs check wants it', () => {
    const launcher = hiddenLauncher('my_app.main');
    const report = inspectVbs(launcher);
    expect([report.changed, report.nonAscii, report.lineEnding, report.pythonw]).toEqual([
      false,
      [],
      undefined,
      [],
    ]);
    expect(launcher.toString('latin1')).toContain('\\python\\python.exe"" -m my_app.main", 0, False');
  });

  test('a module name that is not one is refused naming app-module', () => {
    expect(() => hiddenLauncher('app" & evil')).toThrow(/^Input 'app-module' /);
  });
});
