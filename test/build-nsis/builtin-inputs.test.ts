// template: builtin refuses bad input with one line naming the input, before makensis runs or anything is
// written; a good request writes the script (logged, lint-clean) and an installer holding the manifest.
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { lintNsisScript } from '../../packages/installer/src/nsis-lint.js';
import { annotations, build, describeWithTools, LAUNCHER, payloadOf, project, TOOLS } from './support.js';

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
    expect(payloadOf(r.outputs.installer)).toEqual(
      expect.arrayContaining([
        'app/demo/main.py',
        'install-manifest.txt',
        'python/python.exe',
        'scripts/start-hidden.vbs',
      ]),
    );
    const manifest = readFileSync(join(cwd, 'build', 'Demo App.install-manifest.txt'));
    expect(manifest.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    // Each folder after what it holds, so the installer can remove in one pass.
    expect(manifest.subarray(2).toString('utf16le').split('\r\n')).toEqual([
      'app\\demo\\__init__.py',
      'app\\demo\\main.py',
      'app\\demo\\',
      'app\\',
      'python\\python.exe',
      'python\\',
      'scripts\\start-hidden.vbs',
      'scripts\\',
      '',
    ]);
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
      'app-name': 'Demo',
      'dist-dir': 'dist',
      icon: 'app.ico',
      'install-scope': 'machine',
      shortcuts: 'desktop, autostart',
      'open-url': 'http://localhost:8765/',
      include: 'nsis/extra.nsh',
    });
    expect(r.errors).toEqual([]);
    expect(r.outputs.installer).toBe(join(cwd, 'build', 'Demo-setup.exe'));
    // The include is the user's: the lint reads it (File /r without RMDir /r).
    expect(annotations(r.stdout, 'warning').map((a) => `${a.file}:${a.line}`)).toEqual(['nsis/extra.nsh:3']);
    expect(payloadOf(r.outputs.installer)).toEqual(
      expect.arrayContaining(['icon.ico', 'scripts/start-hidden.vbs']),
    );
    const text = readFileSync(join(cwd, 'build', 'Demo.nsi'), 'utf8');
    expect(text).toContain('WriteRegStr HKLM ');
    expect(text).toContain('ExecShell "open" "http://localhost:8765/"');
    expect(text).toContain('File "..\\dist\\scripts\\start-hidden.vbs"');
    expect(text.trimEnd().split('\r\n').at(-1)).toBe('!include "..\\nsis\\extra.nsh"');
  });
});
