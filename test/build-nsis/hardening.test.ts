// Hardening (issue 14) of build-nsis as a runner runs it: what reaches makensis is checked first, and
// neither the script nor the installer it writes may lie outside the workspace.
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '@forge-actions/testing/tools';
import { describe, expect, test } from '@jest/globals';
import { annotations, build, demoProject, installerScript } from './support.js';

const makensis = requireTool('makensis', 'build-nsis runs it (Debian package nsis)');
const withMakensis = makensis ? describe : describe.skip;

const elsewhere = () => mkdtempSync(join(tmpdir(), 'build-nsis-elsewhere-'));

/** A script that builds on its own (no payload) and writes its installer beside itself. */
const standalone = () => installerScript({ core: '  DetailPrint "hello"' }).replace('build\\', '');

/** The step failed with exactly `message`, before makensis ran or anything was written. */
function expectRefused(r: Awaited<ReturnType<typeof build>>, message: string) {
  expect(r.errors).toEqual([message]);
  expect(r.code).toBe(1);
  expect(r.stdout).not.toContain('makensis -V3');
  expect(r.outputs).toEqual({});
}

withMakensis('build-nsis hardening', () => {
  test.each([
    ['a double quote', '1.0"x'],
    ['a dollar sign (NSIS reads $x as a variable)', '1.0$x'],
    ['a path separator', '1.0/../../x'],
  ])('hardening 16: a version with %s is refused before makensis runs', async (_what, version) => {
    const cwd = demoProject();
    const r = await build(cwd, { version });
    expectRefused(
      r,
      `Input 'version' '${version}' may hold only letters, digits and . _ + ! - ` +
        '(makensis gets it as -DVERSION, and scripts put it in strings and file names)',
    );
    expect(readdirSync(join(cwd, 'build'))).toEqual([]);
  });

  test('hardening 16: a define value with a double quote is refused before makensis runs', async () => {
    const cwd = demoProject();
    const r = await build(cwd, { defines: 'PUBLISHER=Example\nAPPNAME=Demo "App"' });
    expectRefused(
      r,
      "Input 'defines' gives APPNAME a value with a double quote, which would end the script's quoted strings early",
    );
    expect(readdirSync(join(cwd, 'build'))).toEqual([]);
  });

  test.each([
    ['a ../ path', (outside: string) => `../${outside.split('/').pop()}/installer.nsi`],
    ['an absolute path', (outside: string) => join(outside, 'installer.nsi')],
  ])(
    'hardening 16: a script outside the workspace (%s) is refused; nothing is written beside it',
    async (_what, script) => {
      const outside = elsewhere();
      writeFileSync(join(outside, 'installer.nsi'), standalone());
      const cwd = join(mkdtempSync(join(tmpdir(), 'build-nsis-parent-')), 'ws');
      // The workspace sits beside the outside folder, so that ../<name> reaches it.
      renameSync(demoProject(), cwd);
      renameSync(outside, join(cwd, '..', 'outside'));
      const moved = join(cwd, '..', 'outside');
      const given = script(moved);
      const r = await build(cwd, { script: given });
      expectRefused(r, `Input 'script' '${given}' is outside the workspace (${cwd})`);
      expect(readdirSync(moved)).toEqual(['installer.nsi']);
    },
  );

  test('hardening 16: a script that is a symlink to a file outside the workspace is refused', async () => {
    const outside = elsewhere();
    writeFileSync(join(outside, 'real.nsi'), standalone());
    const cwd = demoProject();
    symlinkSync(join(outside, 'real.nsi'), join(cwd, 'linked.nsi'));
    const r = await build(cwd, { script: 'linked.nsi' });
    expectRefused(r, "Input 'script' 'linked.nsi' is a link to a file outside the workspace");
    expect(readdirSync(outside)).toEqual(['real.nsi']);
  });

  test('hardening 16: a working-directory outside the workspace is refused', async () => {
    const cwd = demoProject();
    const r = await build(cwd, { 'working-directory': '..' });
    expectRefused(r, `Input 'working-directory' '..' is outside the workspace (${cwd})`);
  });

  test('hardening 16: an OutFile folder that leads out of the workspace (a symlink) is refused before makensis writes', async () => {
    const outside = elsewhere();
    const cwd = demoProject();
    // build/ is a symlink to a folder outside the workspace: the installer would land there.
    renameSync(join(cwd, 'build'), join(cwd, 'build-was-here'));
    symlinkSync(outside, join(cwd, 'build'));
    const launcher = join(cwd, 'dist/scripts/start-hidden.vbs');
    writeFileSync(launcher, "' \u2014 hidden\n");
    const r = await build(cwd, { version: '1.0.0' });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      `installer.nsi writes the installer outside the workspace (OutFile: ${join(outside, 'Demo-1.0.0-setup.exe')}); ` +
        'keep it in the workspace or in RUNNER_TEMP',
    ]);
    expect(readdirSync(outside)).toEqual([]);
    // Refused before anything was written: the launcher is as it was.
    expect(readFileSync(launcher, 'utf8')).toBe("' \u2014 hidden\n");
  });

  test('hardening 14: VBS launchers in a folder named ..build are checked, fixed and named relative to the workspace', async () => {
    const cwd = demoProject();
    mkdirSync(join(cwd, '..build'));
    writeFileSync(join(cwd, '..build', 'start.vbs'), "' \u2014 start\nWScript.Echo 1\n");
    const r = await build(cwd, { vbs: '..build/*.vbs' });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs['vbs-fixed']).toBe('1');
    expect(readFileSync(join(cwd, '..build', 'start.vbs'), 'latin1')).toBe("' - start\r\nWScript.Echo 1\r\n");
    expect(annotations(r.stdout, 'warning')).toEqual([
      expect.objectContaining({ file: '..build/start.vbs', line: 1 }),
    ]);
  });

  test('hardening 15: a FIFO matched by the vbs glob is refused as not a regular file, nothing written or built', async () => {
    const cwd = demoProject();
    const fifo = join(cwd, 'dist/scripts/pipe.vbs');
    execFileSync('mkfifo', [fifo]);
    // A writer that opens and closes the FIFO again and again: a reader (the bug) gets an empty file
    // instead of hanging the test.
    const writer = spawn('sh', ['-c', 'while :; do : > "$0"; done', fifo], { stdio: 'ignore' });
    try {
      const r = await build(cwd);
      expect(r.errors).toEqual([
        "Input 'vbs' matched 'dist/scripts/pipe.vbs', which is not a regular file (a FIFO)",
      ]);
      expect(r.stdout).not.toContain('makensis -V3');
      expect(readdirSync(join(cwd, 'build'))).toEqual([]);
    } finally {
      if (writer.exitCode === null && writer.signalCode === null) writer.kill();
    }
  });
});
