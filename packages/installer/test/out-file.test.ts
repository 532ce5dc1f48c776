// Hardening 16: where a preprocessed script (makensis -SAFEPPO) puts the installer.
import { describe, expect, test } from '@jest/globals';
import { outFileOf } from '../src/makensis.js';

describe('outFileOf', () => {
  test('hardening 16: the last OutFile wins, in any quoting, backslashes as folders, from the script folder', () => {
    expect(outFileOf(['Name x', 'OutFile "build\\App setup.exe"'], '/ws')).toBe('/ws/build/App setup.exe');
    expect(outFileOf(["  outfile '..\\..\\x.exe' ; comment"], '/ws/sub')).toBe('/x.exe');
    expect(outFileOf(['OutFile `a.exe`', 'OutFile /tmp/b.exe'], '/ws')).toBe('/tmp/b.exe');
    expect(outFileOf(['Name x', 'DetailPrint "OutFile x"'], '/ws')).toBeUndefined();
  });
});
