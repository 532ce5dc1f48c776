// makensis' messages as Debian's NSIS 3.08 prints them (captured from real runs).
import { describe, expect, test } from '@jest/globals';
import { makensisArgs, makensisError, parseWarnings } from '../src/makensis.js';

const SCRIPT = '/work/ws/installer.nsi';
const display = (path: string) => path.replace('/work/ws/', '');

describe('makensisArgs', () => {
  test('- options, -WX, SetDateSave off and every -D before the script', () => {
    expect(
      makensisArgs({
        script: SCRIPT,
        warningsAsErrors: true,
        reproducible: true,
        defines: [
          ['VERSION', '1.0'],
          ['APPNAME', 'My App'],
        ],
      }),
    ).toEqual(['-V3', '-WX', '-XSetDateSave off', '-DVERSION=1.0', '-DAPPNAME=My App', SCRIPT]);
    expect(
      makensisArgs({ script: SCRIPT, warningsAsErrors: false, reproducible: false, defines: [] }),
    ).toEqual(['-V3', SCRIPT]);
  });
});

describe('makensisError', () => {
  test('the innermost included file and line, with what makensis said', () => {
    const error = makensisError(
      [],
      [
        'Invalid command: "Bogus2"',
        '!include: error in script: "inc2/b.nsh" on line 3',
        '!include: error in script: "inc2/a.nsh" on line 1',
        'Error in script "installer.nsi" on line 3 -- aborting creation process',
      ],
      SCRIPT,
      display,
    );
    expect(error.message).toBe('makensis failed at inc2/b.nsh:3: Invalid command: "Bogus2"');
    expect(error.location).toEqual({ file: 'inc2/b.nsh', line: 3 });
  });

  test('an error inside a macro points at the !insertmacro line and names the macro', () => {
    const error = makensisError(
      [],
      [
        'DetailPrint expects 1 parameters, got 0.',
        'Usage: DetailPrint message',
        'Error in macro M on macroline 1',
        'Error in script "installer.nsi" on line 6 -- aborting creation process',
      ],
      SCRIPT,
      display,
    );
    expect(error.message).toBe(
      'makensis failed at installer.nsi:6: DetailPrint expects 1 parameters, got 0. (in macro M, its line 1)',
    );
  });

  test('an error without a line names the script', () => {
    const error = makensisError(
      [],
      [
        'Error: no Uninstall section specified, but WriteUninstaller used 1 time(s)',
        'Error - aborting creation process',
      ],
      SCRIPT,
      display,
    );
    expect(error.message).toBe(
      'makensis failed at installer.nsi: no Uninstall section specified, but WriteUninstaller used 1 time(s)',
    );
    expect(error.location).toEqual({ file: 'installer.nsi' });
  });

  test('-WX: the warning that became the error, at its line', () => {
    const error = makensisError(
      [
        'Processing script file: "installer.nsi" (UTF8)',
        'warning 7010: File: "x.txt" -> no files found. (installer.nsi:7)',
      ],
      ['Error: warning treated as error'],
      SCRIPT,
      display,
    );
    expect(error.message).toBe(
      'makensis failed at installer.nsi:7: warning treated as error (warnings-as-errors: true): File: "x.txt" -> no files found.',
    );
  });
});

describe('parseWarnings', () => {
  test('warnings with and without a location; the closing summary is not counted twice', () => {
    const stdout = [
      'warning: !warning: careful here (sub/w2.nsh:4)',
      'warning 6010: install function "notref" not referenced - zeroing code (2-3) out',
      '',
      '2 warnings:',
      '  !warning: careful here (sub/w2.nsh:4)',
      '  6010: install function "notref" not referenced - zeroing code (2-3) out',
    ];
    expect(parseWarnings(stdout, '/work/ws')).toEqual([
      { message: '!warning: careful here', location: { file: '/work/ws/sub/w2.nsh', line: 4 } },
      { message: 'install function "notref" not referenced - zeroing code (2-3) out', location: undefined },
    ]);
  });
});
