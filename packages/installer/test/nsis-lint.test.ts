import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { type LintFinding, lintNsisScript } from '../src/nsis-lint.js';

/** Writes the files (a name ending in `/` makes a folder), lints installer.nsi; files relative. */
function findings(files: Record<string, string>, defines?: Record<string, string>): LintFinding[] {
  const dir = mkdtempSync(join(tmpdir(), 'nsis-lint-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(name.endsWith('/') ? path : dirname(path), { recursive: true });
    if (!name.endsWith('/')) writeFileSync(path, content);
  }
  return lintNsisScript({ script: join(dir, 'installer.nsi'), defines }).map((f) => ({
    ...f,
    file: f.file.slice(dir.length + 1),
  }));
}

/** The findings as rule@file:line. */
const lint = (files: Record<string, string>, defines?: Record<string, string>) =>
  findings(files, defines).map((f) => `${f.rule}@${f.file}:${f.line}`);

/** The folders the file-r-merge findings ask to clear, as file:line folder. */
const uncleared = (files: Record<string, string>, defines?: Record<string, string>) =>
  findings(files, defines).map((f) => `${f.file}:${f.line} ${/RMDir \/r "([^"]+)"/.exec(f.message)?.[1]}`);

const DIST = { 'dist/app/main.py': '', 'dist/python/python.exe': '', 'dist/README.txt': '' };
const section = (...lines: string[]) =>
  ['Section "Core"', '  SetOutPath "$INSTDIR"', ...lines.map((l) => `  ${l}`), 'SectionEnd'].join('\n');
/** A section extracting into a folder of its own, $INSTDIR\app. */
const appSection = (...lines: string[]) =>
  ['Section "App"', ...lines.map((l) => `  ${l}`), 'SectionEnd'].join('\n');

const SEED = readFileSync(new URL('./fixtures/seed-section-6.nsi', import.meta.url), 'utf8');
const SEED_PAYLOAD = {
  'dist/app/python/python.exe': '',
  'dist/app/app/main.py': '',
  'dist/app/scripts/start-hidden.vbs': '',
  'dist/app/Demo.exe': '',
  'dist/app/VERSION': '',
};
const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;

describe('file-r-merge on the seed section-6 installer', () => {
  test('with its RMDir /r lines the script is clean', () => {
    expect(lint({ ...SEED_PAYLOAD, 'installer.nsi': SEED })).toEqual([]);
  });

  test('without them each payload folder is a finding at the File /r line', () => {
    const merged = SEED.replace(/^RMDir \/r .*\n/gm, '');
    const line = lineOf(merged, 'File /r');
    expect(uncleared({ ...SEED_PAYLOAD, 'installer.nsi': merged })).toEqual([
      `installer.nsi:${line} $INSTDIR\\app`,
      `installer.nsi:${line} $INSTDIR\\python`,
      `installer.nsi:${line} $INSTDIR\\scripts`,
    ]);
  });

  test('a folder the next version adds to the payload is a finding until it is cleared too', () => {
    const payload = { ...SEED_PAYLOAD, 'dist/app/lib/helper.dll': '' };
    expect(uncleared({ ...payload, 'installer.nsi': SEED })).toEqual([
      `installer.nsi:${lineOf(SEED, 'File /r')} $INSTDIR\\lib`,
    ]);
    const fixed = SEED.replace(
      'RMDir /r "$INSTDIR\\scripts"',
      'RMDir /r "$INSTDIR\\scripts"\nRMDir /r $INSTDIR\\lib',
    );
    expect(lint({ ...payload, 'installer.nsi': fixed })).toEqual([]);
  });
});

describe('file-r-merge into a folder of its own', () => {
  const FILES_ONLY = { 'dist/app/main.py': '', 'dist/app/VERSION': '' };
  const merge = appSection('SetOutPath "$INSTDIR\\app"', 'File /r "dist\\app\\*.*"');

  test('is a finding whatever the payload holds: files only, or nothing found here', () => {
    expect(uncleared({ ...FILES_ONLY, 'installer.nsi': merge })).toEqual(['installer.nsi:3 $INSTDIR\\app']);
    expect(uncleared({ 'installer.nsi': merge })).toEqual(['installer.nsi:3 $INSTDIR\\app']);
  });

  test('the message says why and how to fix it', () => {
    const [finding] = findings({ ...FILES_ONLY, 'installer.nsi': merge });
    expect(finding).toMatchObject({ file: 'installer.nsi', line: 3, rule: 'file-r-merge' });
    expect(finding.message).toMatch(
      /^File \/r merges into \$INSTDIR\\app, which this section does not clear first:/,
    );
    expect(finding.message).toContain('stay behind on upgrade');
    expect(finding.message).toMatch(
      /clear the folder first with RMDir \/r "\$INSTDIR\\app" before SetOutPath, keeping user data elsewhere$/,
    );
  });

  test('a package that became a module: clearing only the folders the new payload has is not enough', () => {
    // The old version shipped the package demo\ (its __init__.py would shadow the new demo.py);
    // the new payload has demo.py and vendor\, so no folder of it names demo.
    const payload = { 'dist/site-packages/demo.py': '', 'dist/site-packages/vendor/x.py': '' };
    const script = appSection(
      'SetOutPath "$INSTDIR\\python\\Lib\\site-packages"',
      'RMDir /r "$INSTDIR\\python\\Lib\\site-packages\\vendor"',
      'File /r "dist\\site-packages\\*.*"',
    );
    expect(uncleared({ ...payload, 'installer.nsi': script })).toEqual([
      'installer.nsi:4 $INSTDIR\\python\\Lib\\site-packages',
    ]);
  });

  test('an RMDir /r of the folder or of a parent before it clears it, however it is spelled', () => {
    for (const rmdir of [
      'RMDir /r "$INSTDIR\\app"',
      "rmdir /R /REBOOTOK '$instdir/App/'",
      'RMDIR /r `$INSTDIR\\.\\app`',
      'RMDir /r "$INSTDIR"',
      'RMDir /r "$INSTDIR\\"',
      'RMDir /r $INSTDIR/',
    ]) {
      const script = appSection(rmdir, 'SetOutPath "$INSTDIR\\app\\"', 'FILE /R "dist\\app\\*.*"');
      expect([rmdir, lint({ ...FILES_ONLY, 'installer.nsi': script })]).toEqual([rmdir, []]);
    }
    const parent = appSection(
      'RMDir /r "$INSTDIR\\python"',
      'SetOutPath "$INSTDIR\\python\\Lib\\site-packages"',
      'File /r "dist\\site-packages\\*.*"',
    );
    expect(lint({ 'installer.nsi': parent })).toEqual([]);
  });

  test('an RMDir /r of a sibling or of a folder inside does not clear it', () => {
    for (const rmdir of [
      'RMDir /r "$INSTDIR\\ap"',
      'RMDir /r "$INSTDIR\\application"',
      'RMDir /r "$INSTDIR\\app\\demo"',
      'RMDir "$INSTDIR\\app"',
    ]) {
      const script = appSection(rmdir, 'SetOutPath "$INSTDIR\\app"', 'File /r "dist\\app\\*.*"');
      expect([rmdir, lint({ ...FILES_ONLY, 'installer.nsi': script })]).toEqual([
        rmdir,
        ['file-r-merge@installer.nsi:4'],
      ]);
    }
  });

  test('an RMDir /r in another section, after the File, or commented out does not count', () => {
    const other = [appSection('RMDir /r "$INSTDIR\\app"'), merge].join('\n');
    expect(lint({ ...FILES_ONLY, 'installer.nsi': other })).toEqual(['file-r-merge@installer.nsi:6']);
    const after = appSection(
      'SetOutPath "$INSTDIR\\app"',
      'File /r "dist\\app\\*.*"',
      'RMDir /r "$INSTDIR\\app"',
    );
    expect(lint({ ...FILES_ONLY, 'installer.nsi': after })).toEqual(['file-r-merge@installer.nsi:3']);
    const commented = appSection(
      '; RMDir /r "$INSTDIR\\app"',
      '# RMDir /r "$INSTDIR\\app"',
      '/* RMDir /r "$INSTDIR\\app" */',
      'SetOutPath "$INSTDIR\\app" ; RMDir /r "$INSTDIR\\app"',
      'File /r "dist\\app\\*.*"',
    );
    expect(lint({ ...FILES_ONLY, 'installer.nsi': commented })).toEqual(['file-r-merge@installer.nsi:6']);
  });

  test('$OUTDIR and defines are resolved in SetOutPath and RMDir', () => {
    const script = [
      '!define APPDIR "$INSTDIR\\app"',
      appSection(
        'SetOutPath "$INSTDIR"',
        'RMDir /r "$OUTDIR\\app"',
        `SetOutPath "\${APPDIR}"`,
        `File /r "\${SRC}\\*.*"`,
      ),
    ].join('\n');
    expect(lint({ ...FILES_ONLY, 'installer.nsi': script }, { SRC: 'dist\\app' })).toEqual([]);
    const sibling = script.replace('RMDir /r "$OUTDIR\\app"', 'RMDir /r "$OUTDIR\\python"');
    expect(uncleared({ ...FILES_ONLY, 'installer.nsi': sibling }, { SRC: 'dist\\app' })).toEqual([
      'installer.nsi:6 $INSTDIR\\app',
    ]);
  });

  test('$PLUGINSDIR is a new folder on every run, so nothing merges there', () => {
    const script = appSection(
      'InitPluginsDir',
      'SetOutPath "$PLUGINSDIR\\tools"',
      'File /r "dist\\app\\*.*"',
    );
    expect(lint({ ...FILES_ONLY, 'installer.nsi': script })).toEqual([]);
  });
});

describe('file-r-merge into $INSTDIR, where user data lives', () => {
  test('each top-level payload folder not cleared on its own is a finding of its own', () => {
    expect(uncleared({ ...DIST, 'installer.nsi': section('File /r "dist\\*.*"') })).toEqual([
      'installer.nsi:3 $INSTDIR\\app',
      'installer.nsi:3 $INSTDIR\\python',
    ]);
    expect(
      uncleared({ ...DIST, 'installer.nsi': section('RMDir /r "$INSTDIR\\app"', 'File /r "dist\\*.*"') }),
    ).toEqual(['installer.nsi:4 $INSTDIR\\python']);
    const both = section(
      'RMDir /r "$INSTDIR\\app"',
      'RMDir /r /REBOOTOK "$INSTDIR\\Python\\"',
      'File /r "dist\\*.*"',
    );
    expect(lint({ ...DIST, 'installer.nsi': both })).toEqual([]);
    expect(lint({ ...DIST, 'installer.nsi': section('RMDir /r "$INSTDIR"', 'File /r dist/*.*') })).toEqual(
      [],
    );
  });

  test('the message names the folder and both fixes', () => {
    const [finding] = findings({
      ...DIST,
      'installer.nsi': section('RMDir /r "$INSTDIR\\app"', 'File /r "dist\\*.*"'),
    });
    expect(finding.message).toMatch(
      /^File \/r merges the payload folder python into \$INSTDIR without clearing \$INSTDIR\\python first in this section:/,
    );
    expect(finding.message).toMatch(
      /clear each payload folder \(RMDir \/r "\$INSTDIR\\python"\) before extracting, or keep a manifest of the installed files and remove those the new payload lacks$/,
    );
  });

  test('a files-only payload merges no folder; a folder inside a cleared one does not count', () => {
    expect(lint({ 'dist/README.txt': '', 'installer.nsi': section('File /r "dist\\*.*"') })).toEqual([]);
    const inside = section(
      'RMDir /r "$INSTDIR\\python\\Lib"',
      'RMDir /r "$INSTDIR\\app"',
      'File /r "dist\\*.*"',
    );
    expect(uncleared({ ...DIST, 'installer.nsi': inside })).toEqual(['installer.nsi:5 $INSTDIR\\python']);
  });

  test('a folder source lands as $INSTDIR\\name, found here or not; a plain file or File without /r is not a merge', () => {
    expect(uncleared({ ...DIST, 'installer.nsi': section('File /r "dist\\app"') })).toEqual([
      'installer.nsi:3 $INSTDIR\\app',
    ]);
    expect(uncleared({ 'installer.nsi': section('File /r "build\\python"') })).toEqual([
      'installer.nsi:3 $INSTDIR\\python',
    ]);
    expect(
      lint({ ...DIST, 'installer.nsi': section('RMDir /r "$INSTDIR\\app"', 'File /r "dist\\app"') }),
    ).toEqual([]);
    expect(
      lint({ ...DIST, 'installer.nsi': section('File /r "dist\\README.txt"', 'File "dist\\*.*"') }),
    ).toEqual([]);
  });

  test('payload folders that cannot be listed: one finding at the File line, unless $INSTDIR is cleared', () => {
    const [finding, ...rest] = findings({
      'installer.nsi': section('RMDir /r "$INSTDIR\\app"', 'File /r "build\\dist\\*.*"'),
    });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ file: 'installer.nsi', line: 4, rule: 'file-r-merge' });
    expect(finding.message).toMatch(
      /^File \/r merges the folders of build\\dist\\\*\.\* into \$INSTDIR, but they could not be listed here .*RMDir \/r "\$INSTDIR\\<folder>"/,
    );
    expect(lint({ 'installer.nsi': section('RMDir /r "$INSTDIR"', 'File /r "build\\dist\\*.*"') })).toEqual(
      [],
    );
  });

  test('without a SetOutPath the output folder is unknown and read as $INSTDIR, never to be cleared whole', () => {
    const script = ['Section "Core"', '  File /r "dist\\*.*"', 'SectionEnd'].join('\n');
    expect(uncleared({ ...DIST, 'installer.nsi': script })).toEqual([
      'installer.nsi:2 $OUTDIR\\app',
      'installer.nsi:2 $OUTDIR\\python',
    ]);
  });

  test('/x and /nonfatal are options, not sources', () => {
    const script = section(
      'SetOutPath "$INSTDIR\\python"',
      'RMDir /r "$INSTDIR\\python\\Lib"',
      'File /r /nonfatal /x *.pyc "dist\\python\\Lib"',
    );
    expect(lint({ ...DIST, 'dist/python/Lib/': '', 'installer.nsi': script })).toEqual([]);
  });

  test('defines from -D and !define resolve the source folder', () => {
    const script = [
      '!define DIST "dist"',
      section('RMDir /r "$INSTDIR\\app"', `File /r "\${DIST}\\\${SUB}\\*.*"`),
    ].join('\n');
    // ${SUB} = '.' resolves to dist\, whose python folder is not cleared.
    expect(uncleared({ ...DIST, 'installer.nsi': script }, { SUB: '.' })).toEqual([
      'installer.nsi:5 $INSTDIR\\python',
    ]);
  });

  test('macros are checked where they are inserted, with that section’s RMDir', () => {
    const script = [
      '!macro Payload',
      '  File /r "dist\\*.*"',
      '!macroend',
      section('RMDir /r "$INSTDIR\\app"', 'RMDir /r "$INSTDIR\\python"', '!insertmacro Payload'),
      section('!insertmacro Payload'),
    ].join('\n');
    expect(lint({ ...DIST, 'installer.nsi': script })).toEqual([
      'file-r-merge@installer.nsi:2',
      'file-r-merge@installer.nsi:2',
    ]);
  });

  test('functions count as their own block; local !include files are followed, system ones skipped', () => {
    const script = [
      '!include "MUI2.nsh"',
      '!include /NONFATAL "nsis\\payload.nsh"',
      'Function Install',
      '  SetOutPath $INSTDIR',
      '  !include "nsis\\files.nsh"',
      'FunctionEnd',
    ].join('\n');
    expect(
      lint({
        ...DIST,
        'installer.nsi': script,
        'nsis/payload.nsh': section('File /r "dist\\app"'),
        'nsis/files.nsh': '; the payload\nFile /r "dist\\python"\n',
      }),
    ).toEqual(['file-r-merge@nsis/payload.nsh:3', 'file-r-merge@nsis/files.nsh:2']);
  });

  test('continued lines are read as makensis reads them', () => {
    const script = section('File /r \\', '  "dist\\*.*" # trailing comment');
    expect(lint({ ...DIST, 'installer.nsi': script })).toEqual([
      'file-r-merge@installer.nsi:3',
      'file-r-merge@installer.nsi:3',
    ]);
  });
});

describe('finish-page-parameters', () => {
  test('MUI_FINISHPAGE_RUN_PARAMETERS is reported; MUI_FINISHPAGE_RUN_FUNCTION is the fix', () => {
    const bad = [
      '!define MUI_FINISHPAGE_RUN "$INSTDIR\\app.exe"',
      '!define /ifndef MUI_FINISHPAGE_RUN_PARAMETERS "--tray"',
    ];
    expect(lint({ 'installer.nsi': bad.join('\n') })).toEqual(['finish-page-parameters@installer.nsi:2']);
    const good = ['!define MUI_FINISHPAGE_RUN ""', '!define MUI_FINISHPAGE_RUN_FUNCTION LaunchApp'];
    expect(lint({ 'installer.nsi': good.join('\n') })).toEqual([]);
    expect(lint({ 'installer.nsi': '; !define MUI_FINISHPAGE_RUN_PARAMETERS "x"\n' })).toEqual([]);
  });
});
