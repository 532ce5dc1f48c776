// The built installers run: wine64 installs them silently (/S /D=C:\dir, no display needed) into a
// private WINEPREFIX, and the files are checked under its drive_c. The upgrade test shows why the
// lint insists on RMDir /r before File /r: without it a file dropped from the payload survives.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from '@jest/globals';
import { which } from '../../packages/system/src/index.js';
import {
  build,
  demoProject,
  describeWithTools,
  findWine64,
  installerScript,
  LAUNCHER,
  makeSigningCertificate,
  TOOLS,
} from './support.js';

const execFileAsync = promisify(execFile);
const WINE64 = findWine64();
// First use creates the prefix (wineboot), which takes a while on a cold machine.
const WINE_TIMEOUT = 300_000;

describeWithTools(
  'build-nsis installers under wine64',
  { makensis: TOOLS.makensis, wine64: WINE64, osslsigncode: TOOLS.osslsigncode, openssl: TOOLS.openssl },
  () => {
    const prefix = join(mkdtempSync(join(tmpdir(), 'build-nsis-wine-')), 'prefix');
    const env = {
      ...process.env,
      WINEPREFIX: prefix,
      WINEDEBUG: '-all',
      // Debian's /usr/lib/wine/wine64 is normally started by the `wine` script, which sets this.
      WINELOADER: WINE64,
      // No Mono or Gecko install prompts while the prefix is created.
      WINEDLLOVERRIDES: 'mscoree,mshtml=',
      DISPLAY: '',
    };

    afterAll(() => {
      // Stop this prefix's wineserver (it lingers a few seconds after the last program), then drop it.
      const wineserver = [join(dirname(WINE64 ?? ''), 'wineserver64'), which('wineserver')].find(
        (path) => path && existsSync(path),
      );
      // Exit status 1 just means it had already gone.
      if (wineserver) spawnSync(wineserver, ['-k'], { env, stdio: 'ignore' });
      rmSync(dirname(prefix), { recursive: true, force: true });
    });

    /** Runs `installer /S /D=C:\<dir>` under wine64; returns the folder in drive_c. */
    async function install(installer: string, dir: string): Promise<string> {
      await execFileAsync(WINE64 as string, [installer, '/S', `/D=C:\\${dir}`], {
        env,
        timeout: WINE_TIMEOUT,
      });
      return join(prefix, 'drive_c', dir);
    }

    test(
      'the installer installs silently with the payload in place',
      async () => {
        const cwd = demoProject({
          'dist/scripts/start-hidden.vbs': "' Launcher \u2014 hidden\nWScript.Quit 0\n",
        });
        const r = await build(cwd, { version: '1.0.0' });
        expect(r.errors).toEqual([]);
        const target = await install(r.outputs.installer, 'demo');
        expect(readFileSync(join(target, 'app/demo/main.py'), 'utf8')).toBe('print("hello")\n');
        expect(readFileSync(join(target, 'python/python.exe'), 'utf8')).toBe('MZ not really python');
        expect(readFileSync(join(target, 'scripts/start-hidden.vbs'), 'latin1')).toBe(
          "' Launcher - hidden\r\nWScript.Quit 0\r\n",
        );
      },
      WINE_TIMEOUT,
    );

    test(
      'upgrade: RMDir /r makes a file dropped from the payload disappear; without it the file survives',
      async () => {
        const withRmdir = installerScript();
        const withoutRmdir = installerScript({ core: '  File /r "dist\\*.*"' });
        for (const [script, dir, survives] of [
          [withRmdir, 'upgrade', false],
          [withoutRmdir, 'merge', true],
        ] as const) {
          const cwd = demoProject({ 'dist/app/demo/_version.py': '__version__ = "1.0.0"\n' }, script);
          const v1 = await build(cwd, { version: '1.0.0', lint: 'off' });
          expect(v1.errors).toEqual([]);
          const target = await install(v1.outputs.installer, dir);
          expect(existsSync(join(target, 'app/demo/_version.py'))).toBe(true);
          // User data next to the payload folders must survive the upgrade.
          writeFileSync(join(target, 'config.yaml'), 'port: 8765\n');

          // 2.0.0 no longer ships _version.py and changes main.py.
          rmSync(join(cwd, 'dist/app/demo/_version.py'));
          writeFileSync(join(cwd, 'dist/app/demo/main.py'), 'print("hello 2")\n');
          const v2 = await build(cwd, { version: '2.0.0', lint: 'off' });
          expect(basename(v2.outputs.installer)).toBe('Demo-2.0.0-setup.exe');
          await install(v2.outputs.installer, dir);

          expect(readFileSync(join(target, 'app/demo/main.py'), 'utf8')).toBe('print("hello 2")\n');
          expect(existsSync(join(target, 'app/demo/_version.py'))).toBe(survives);
          expect(readFileSync(join(target, 'config.yaml'), 'utf8')).toBe('port: 8765\n');
          expect(readFileSync(join(target, 'scripts/start-hidden.vbs'), 'latin1')).toBe(LAUNCHER);
        }
      },
      WINE_TIMEOUT,
    );

    test(
      'a signed installer still installs (its integrity check skips the signature)',
      async () => {
        const certificate = makeSigningCertificate('wine-pfx-pass');
        const r = await build(demoProject(), {
          'sign-pfx': certificate.pfx,
          'sign-password': 'wine-pfx-pass',
        });
        expect(r.errors).toEqual([]);
        const target = await install(r.outputs.installer, 'signed');
        expect(readFileSync(join(target, 'app/demo/main.py'), 'utf8')).toBe('print("hello")\n');
      },
      WINE_TIMEOUT,
    );
  },
);
