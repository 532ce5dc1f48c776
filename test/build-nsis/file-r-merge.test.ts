// The file-r-merge lint of build-nsis as a runner runs it (bundled dist/index.js, real makensis): the
// seed section-6 installer, and a payload of files only, which no look at the payload can excuse.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@forge-actions/testing/run-action';
import { expect, test } from '@jest/globals';
import {
  annotations,
  build,
  demoProject,
  describeWithTools,
  installerScript,
  LAUNCHER,
  project,
  TOOLS,
} from './support.js';

const SEED = readFileSync(
  join(REPO_ROOT, 'packages', 'installer', 'test', 'fixtures', 'seed-section-6.nsi'),
  'utf8',
);

/** The seed's layout: dist\app holds the payload folders and files File /r "dist\app\*.*" extracts. */
function seedProject(script: string): string {
  const cwd = project({
    'installer.nsi': script,
    'dist/app/python/python.exe': 'MZ not really python',
    'dist/app/app/demo/main.py': 'print("hello")\n',
    'dist/app/scripts/start-hidden.vbs': LAUNCHER,
    'dist/app/Demo.exe': 'MZ',
    'dist/app/VERSION': '1.0.0\n',
  });
  mkdirSync(join(cwd, 'build'));
  return cwd;
}

describeWithTools('build-nsis file-r-merge lint', { makensis: TOOLS.makensis }, () => {
  test('the seed section-6 installer: clean with its RMDir /r lines, one warning per payload folder without them', async () => {
    const clean = await build(seedProject(SEED));
    expect(clean.errors).toEqual([]);
    expect(clean.code).toBe(0);
    expect(annotations(clean.stdout, 'warning')).toEqual([]);
    expect(clean.summary).toContain('| lint findings | 0 |');

    const merged = SEED.replace(/^RMDir \/r .*\n/gm, '');
    const line = merged.split('\n').findIndex((l) => l.startsWith('File /r')) + 1;
    const r = await build(seedProject(merged));
    expect(r.code).toBe(0);
    const warnings = annotations(r.stdout, 'warning');
    expect(warnings.map((w) => `${w.file}:${w.line} ${/RMDir \/r "([^"]+)"/.exec(w.message)?.[1]}`)).toEqual([
      `installer.nsi:${line} $INSTDIR\\app`,
      `installer.nsi:${line} $INSTDIR\\python`,
      `installer.nsi:${line} $INSTDIR\\scripts`,
    ]);
    expect(warnings[0].message).toMatch(/ \[file-r-merge\]$/);
  });

  test('File /r of files only into a folder of its own: a warning at its line (lint error fails there) until the folder is cleared', async () => {
    const merge = ['  SetOutPath "$INSTDIR\\app\\demo"', '  File /r "dist\\app\\demo\\*.*"'];
    // dist\app\demo holds main.py and __init__.py, no folder.
    const cwd = demoProject({}, installerScript({ core: merge.join('\n') }));
    const r = await build(cwd);
    expect(r.code).toBe(0);
    expect(annotations(r.stdout, 'warning')).toEqual([
      {
        file: 'installer.nsi',
        line: 18,
        message: expect.stringMatching(
          /^installer\.nsi:18: File \/r merges into \$INSTDIR\\app\\demo, which this section does not clear first: .* clear the folder first with RMDir \/r "\$INSTDIR\\app\\demo" before SetOutPath, keeping user data elsewhere \[file-r-merge\]$/,
        ),
      },
    ]);
    const strict = await build(cwd, { lint: 'error' });
    expect(strict.code).toBe(1);
    expect(annotations(strict.stdout, 'error')).toEqual([
      expect.objectContaining({ file: 'installer.nsi', line: 18 }),
    ]);

    const cleared = installerScript({ core: ['  RMDir /r "$INSTDIR\\app"', ...merge].join('\n') });
    const fixed = await build(demoProject({}, cleared));
    expect(fixed.code).toBe(0);
    expect(annotations(fixed.stdout, 'warning')).toEqual([]);
  });
});
