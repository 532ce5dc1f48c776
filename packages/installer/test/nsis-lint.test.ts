import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { lintNsisScript } from '../src/nsis-lint.js';

/** Writes the files (empty string for a folder marker `dir/`), lints installer.nsi, returns rule@line. */
function lint(files: Record<string, string>, defines?: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'nsis-lint-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(name.endsWith('/') ? path : dirname(path), { recursive: true });
    if (!name.endsWith('/')) writeFileSync(path, content);
  }
  return lintNsisScript({ script: join(dir, 'installer.nsi'), defines }).map(
    (f) => `${f.rule}@${f.file.slice(dir.length + 1)}:${f.line}`,
  );
}

const DIST = { 'dist/app/main.py': '', 'dist/python/python.exe': '', 'dist/README.txt': '' };
const section = (...lines: string[]) =>
  ['Section "Core"', '  SetOutPath "$INSTDIR"', ...lines.map((l) => `  ${l}`), 'SectionEnd'].join('\n');

describe('file-r-merge', () => {
  test('dist\\*.* needs an RMDir /r of each folder it brings, or of the output folder itself', () => {
    expect(lint({ ...DIST, 'installer.nsi': section('File /r "dist\\*.*"') })).toEqual([
      'file-r-merge@installer.nsi:3',
    ]);
    expect(
      lint({ ...DIST, 'installer.nsi': section('RMDir /r "$INSTDIR\\app"', 'File /r "dist\\*.*"') }),
    ).toEqual(['file-r-merge@installer.nsi:4']);
    const both = section(
      'RMDir /r "$INSTDIR\\app"',
      'RMDir /r /REBOOTOK $INSTDIR\\Python\\',
      'File /r "dist\\*.*"',
    );
    expect(lint({ ...DIST, 'installer.nsi': both })).toEqual([]);
    expect(lint({ ...DIST, 'installer.nsi': section('RMDir /r "$INSTDIR"', 'File /r dist/*.*') })).toEqual(
      [],
    );
  });

  test('the message names the uncovered folders and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsis-lint-'));
    for (const [name, content] of Object.entries(DIST)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    writeFileSync(join(dir, 'installer.nsi'), section('RMDir /r "$INSTDIR\\app"', 'File /r "dist\\*.*"'));
    const [finding] = lintNsisScript({ script: join(dir, 'installer.nsi') });
    expect(finding.message).toMatch(
      /^File \/r merges into \$INSTDIR\\python: files dropped from the payload stay behind on upgrade .* add RMDir \/r "\$INSTDIR\\python" before it in this section$/,
    );
  });

  test('an RMDir after the File /r, or in another section, does not count', () => {
    const after = section('File /r "dist\\*.*"', 'RMDir /r "$INSTDIR"');
    expect(lint({ ...DIST, 'installer.nsi': after })).toEqual(['file-r-merge@installer.nsi:3']);
    const other = [section('RMDir /r "$INSTDIR"'), section('File /r "dist\\*.*"')].join('\n');
    expect(lint({ ...DIST, 'installer.nsi': other })).toEqual(['file-r-merge@installer.nsi:7']);
  });

  test('a folder source lands as OUTDIR\\name; a plain file or File without /r is not a merge', () => {
    expect(lint({ ...DIST, 'installer.nsi': section('File /r "dist\\app"') })).toEqual([
      'file-r-merge@installer.nsi:3',
    ]);
    expect(
      lint({ ...DIST, 'installer.nsi': section('RMDir /r "$INSTDIR\\app"', 'File /r "dist\\app"') }),
    ).toEqual([]);
    expect(
      lint({ ...DIST, 'installer.nsi': section('File /r "dist\\README.txt"', 'File "dist\\*.*"') }),
    ).toEqual([]);
  });

  test('SetOutPath moves the target; /x and /nonfatal are options, not sources', () => {
    const script = section(
      'SetOutPath "$INSTDIR\\python"',
      'RMDir /r "$INSTDIR\\python\\Lib"',
      'File /r /nonfatal /x *.pyc "dist\\python\\Lib"',
    );
    expect(lint({ ...DIST, 'dist/python/Lib/': '', 'installer.nsi': script })).toEqual([]);
  });

  test('a payload folder not found here: any RMDir /r inside the output folder is accepted', () => {
    expect(lint({ 'installer.nsi': section('File /r "build\\dist\\*.*"') })).toEqual([
      'file-r-merge@installer.nsi:3',
    ]);
    expect(
      lint({ 'installer.nsi': section('RMDir /r "$INSTDIR\\app"', 'File /r "build\\dist\\*.*"') }),
    ).toEqual([]);
  });

  test('defines from -D and !define resolve the source folder', () => {
    const script = [
      '!define DIST "dist"',
      section('RMDir /r "$INSTDIR\\app"', `File /r "\${DIST}\\\${SUB}\\*.*"`),
    ].join('\n');
    // ${SUB} = '.' resolves to dist\, whose python folder is not removed.
    expect(lint({ ...DIST, 'installer.nsi': script }, { SUB: '.' })).toEqual([
      'file-r-merge@installer.nsi:5',
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
    expect(lint({ ...DIST, 'installer.nsi': script })).toEqual(['file-r-merge@installer.nsi:2']);
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

  test('comments and continued lines are read as makensis reads them', () => {
    const script = section(
      '; RMDir /r "$INSTDIR"',
      '/* RMDir /r "$INSTDIR"',
      '   still a comment */',
      'File /r \\',
      '  "dist\\*.*" # trailing comment',
    );
    expect(lint({ ...DIST, 'installer.nsi': script })).toEqual(['file-r-merge@installer.nsi:6']);
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
