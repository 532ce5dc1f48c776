// template: builtin refuses bad input with one line naming the input, before makensis runs or anything is
// written; a good request writes the script (logged, lint-clean) and an installer holding the manifest.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { lintNsisScript } from '../../packages/installer/src/nsis-lint.js';
import {
  annotations,
  build,
  describeWithTools,
  extractFromInstaller,
  installerScript,
  LAUNCHER,
  payloadOf,
  peHeader,
  project,
  TOOLS,
} from './support.js';

/** A windows-portable layout: python/, app/ with a package, no scripts/ (the launcher is generated). */
const DIST = {
  'dist/python/python.exe': Buffer.from('MZ stub'),
  'dist/app/demo/__init__.py': '',
  'dist/app/demo/main.py': 'print("hello")\n',
};
const BUILTIN = {
  template: 'builtin',
  'app-name': 'Demo App',
  'dist-dir': 'dist',
  'app-module': 'demo.main',
};

describe('build-nsis template: builtin, bad input', () => {
  test.each([
    ['app-name', { 'app-name': '' }, {}],
    ['dist-dir', {}, { 'dist/python/python.exe': undefined }],
    ['icon', { icon: 'icon.png' }, { 'icon.png': Buffer.from('\x89PNG\r\n') }],
    ['icon', { icon: 'fake.ico' }, { 'fake.ico': Buffer.from('\x89PNG\r\n') }],
    ['keep', {}, { 'dist/config.yaml': 'port: 1\n' }],
    ['app-module', { 'app-module': 'demo/main' }, {}],
    ['app-module', { 'app-module': '' }, {}],
    ['launcher', { launcher: 'ps1' }, {}],
    ['dist-dir', { 'dist-dir': 'missing' }, {}],
    ['output', { output: 'dist/App-setup.zip' }, {}],
    ['output', { output: '../App-setup.exe' }, {}],
    ['output', { output: 'dist/App-setup.exe' }, {}],
    ['output', { output: 'out/App?.exe' }, {}],
    ['install-scope', { 'install-scope': 'everyone' }, {}],
    ['shortcuts', { shortcuts: 'start-menu\ntaskbar' }, {}],
    ['open-url', { 'open-url': 'javascript:alert(1)' }, {}],
  ] as Array<[string, Record<string, string>, Record<string, string | Buffer | undefined>]>)(
    '%s: one error line naming it, makensis never run, nothing written',
    async (input, inputs, files) => {
      const all: Record<string, string | Buffer> = {};
      for (const [name, content] of Object.entries({ ...DIST, ...files })) {
        if (content !== undefined) all[name] = content;
      }
      const cwd = project(all);
      const r = await build(cwd, { ...BUILTIN, ...inputs });
      expect(r.code).not.toBe(0);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(new RegExp(`^Input '${input}' `));
      expect(r.stdout).not.toMatch(/makensis -V3/);
      expect(readdirSync(cwd).filter((name) => name === 'build')).toEqual([]);
    },
  );
});

describeWithTools('build-nsis template: builtin', { makensis: TOOLS.makensis, '7z': TOOLS['7z'] }, () => {
  test('writes the script next to the installer (logged, lint-clean) and ships a sorted manifest', async () => {
    const cwd = project(DIST);
    const r = await build(cwd, { ...BUILTIN, version: '1.0.0', publisher: 'Example & $Co' });
    expect(r.errors).toEqual([]);
    expect(r.outputs.installer).toBe(join(cwd, 'build', 'Demo App-1.0.0-setup.exe'));
    const script = join(cwd, 'build', 'Demo App.nsi');
    expect(r.stdout).toContain('build/Demo App.nsi');
    expect(lintNsisScript({ script })).toEqual([]);
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('!define MUI_FINISHPAGE_RUN_FUNCTION LaunchApp');
    expect(text).not.toContain('MUI_FINISHPAGE_RUN_PARAMETERS');
    expect(text).toContain('"Example & $$Co"');
    const payload = payloadOf(r.outputs.installer);
    expect(payload).toEqual(
      expect.arrayContaining([
        'Demo App.exe',
        'app/demo/main.py',
        'install-manifest.txt',
        'python/python.exe',
      ]),
    );
    expect(payload.filter((path) => path.endsWith('.vbs'))).toEqual([]);
    // launcher: exe (the default) is an amd64 program of its own, packed as makensis wrote it.
    const launcher = join(cwd, 'build', 'Demo App.exe');
    expect(peHeader(launcher)).toEqual({ magic: 0x20b, machine: 0x8664 });
    expect(extractFromInstaller(r.outputs.installer, 'Demo App.exe')).toEqual(readFileSync(launcher));
    const manifest = readFileSync(join(cwd, 'build', 'Demo App.install-manifest.txt'));
    expect(manifest.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    // Each folder after what it holds, so the installer can remove in one pass.
    expect(manifest.subarray(2).toString('utf16le').split('\r\n')).toEqual([
      'Demo App.exe',
      'app\\demo\\__init__.py',
      'app\\demo\\main.py',
      'app\\demo\\',
      'app\\',
      'python\\python.exe',
      'python\\',
      '',
    ]);
  });

  test("launcher exe carries the app's icon (the images of the .ico are the program's icon resources)", async () => {
    const cwd = project(DIST);
    copyFileSync('/usr/share/nsis/Contrib/Graphics/Icons/llama-blue.ico', join(cwd, 'app.ico'));
    const r = await build(cwd, { ...BUILTIN, icon: 'app.ico' });
    expect(r.errors).toEqual([]);
    const icon = readFileSync(join(cwd, 'app.ico'));
    // 7z writes an icon resource as a one-image .ico (6-byte header, one 16-byte entry, the image).
    const image = (exe: string) =>
      execFileSync('7z', ['e', '-tPE', '-so', exe, '.rsrc/ICON/1.ico']).subarray(6 + 16);
    const mine = image(join(cwd, 'build', 'Demo App.exe'));
    expect(mine.length).toBeGreaterThan(1000);
    expect(icon.includes(mine)).toBe(true);
    // Without the input, NSIS' own icon: not app.ico's image.
    const plain = project(DIST);
    expect((await build(plain, BUILTIN)).errors).toEqual([]);
    expect(icon.includes(image(join(plain, 'build', 'Demo App.exe')))).toBe(false);
  });

  test("machine scope, icon, desktop + autostart, open-url, dist-dir's own launcher, an include (linted)", async () => {
    const cwd = project({
      ...DIST,
      'dist/scripts/start-hidden.vbs': LAUNCHER,
      'nsis/extra.nsh':
        'Section "Extra"\r\n  SetOutPath "$INSTDIR\\extra"\r\n  File /r "..\\dist\\app"\r\nSectionEnd\r\n',
    });
    copyFileSync('/usr/share/nsis/Contrib/Graphics/Icons/box-install.ico', join(cwd, 'app.ico'));
    const r = await build(cwd, {
      template: 'builtin',
      output: 'out/Demo-v2-setup.exe',
      'app-name': 'Demo',
      'dist-dir': 'dist',
      launcher: 'vbs',
      icon: 'app.ico',
      'install-scope': 'machine',
      shortcuts: 'desktop, autostart',
      'open-url': 'http://localhost:8765/',
      include: 'nsis/extra.nsh',
    });
    expect(r.errors).toEqual([]);
    expect(r.outputs.installer).toBe(join(cwd, 'out', 'Demo-v2-setup.exe'));
    // The include is the user's: the lint reads it (File /r without RMDir /r).
    expect(annotations(r.stdout, 'warning').map((a) => `${a.file}:${a.line}`)).toEqual(['nsis/extra.nsh:3']);
    expect(payloadOf(r.outputs.installer)).toEqual(
      expect.arrayContaining(['icon.ico', 'scripts/start-hidden.vbs']),
    );
    const text = readFileSync(join(cwd, 'build', 'Demo.nsi'), 'utf8');
    expect(text).toContain('WriteRegStr HKLM ');
    expect(text).toContain('ExecShell "open" "http://localhost:8765/"');
    expect(readFileSync(join(cwd, 'build', 'Demo.payload.nsh'), 'utf8')).toContain(
      'File "..\\dist\\scripts\\start-hidden.vbs"',
    );
    expect(text.trimEnd().split('\r\n').at(-1)).toBe('!include "..\\nsis\\extra.nsh"');
  });
});

describeWithTools(
  'build-nsis template: script with dist-dir',
  { makensis: TOOLS.makensis, '7z': TOOLS['7z'] },
  () => {
    /** A hand-written script that installs dist-dir through the payload include instead of File /r. */
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an NSIS define
    const handWritten = (include = '!include "${FORGE_PAYLOAD_NSH}"') =>
      installerScript({
        head: `${include}\nSection "Uninstall"\n  !insertmacro FORGE_UNINSTALL_PAYLOAD\n  Delete "$INSTDIR\\uninstall.exe"\nSectionEnd`,
        core: '  !insertmacro FORGE_INSTALL_PAYLOAD\n  WriteUninstaller "$INSTDIR\\uninstall.exe"',
      });

    test('the script includes FORGE_PAYLOAD_NSH: every file listed and packed, no File /r, lint-clean', async () => {
      const cwd = project({ ...DIST, 'installer.nsi': handWritten() });
      const r = await build(cwd, { 'dist-dir': 'dist', version: '1.0.0' });
      expect(r.errors).toEqual([]);
      expect(r.warnings).toEqual([]);
      expect(r.stdout).toContain('build/forge-payload.nsh: written');
      expect(payloadOf(r.outputs.installer)).toEqual(
        expect.arrayContaining(['app/demo/main.py', 'install-manifest.txt', 'python/python.exe']),
      );
      const manifest = readFileSync(join(cwd, 'build', 'install-manifest.txt'));
      expect(manifest.subarray(2).toString('utf16le')).toContain('app\\demo\\main.py\r\n');
      expect(readFileSync(join(cwd, 'build', 'forge-payload.nsh'), 'utf8')).toContain(
        'File "dist\\app\\demo\\main.py"',
      );
    });

    test('defines may not set FORGE_PAYLOAD_NSH itself', async () => {
      const cwd = project({ ...DIST, 'installer.nsi': handWritten() });
      const r = await build(cwd, { 'dist-dir': 'dist', defines: 'FORGE_PAYLOAD_NSH=mine.nsh' });
      expect(r.errors).toEqual([
        "Input 'defines' sets FORGE_PAYLOAD_NSH, which build-nsis passes itself for dist-dir",
      ]);
      expect(readdirSync(cwd).filter((name) => name === 'build')).toEqual([]);
    });

    test('a script that does not include it is refused naming dist-dir, before anything is written', async () => {
      const cwd = project({ ...DIST, 'installer.nsi': handWritten('; no include') });
      const r = await build(cwd, { 'dist-dir': 'dist' });
      expect(r.errors).toEqual([
        `Input 'dist-dir' is given, but the script does not !include "\${FORGE_PAYLOAD_NSH}" (the file that installs it)`,
      ]);
      expect(readdirSync(cwd).filter((name) => name === 'build')).toEqual([]);
    });
  },
);
