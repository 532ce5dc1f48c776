// A template: builtin installer run for real under wine64 (silent, private WINEPREFIX): install, the exe
// launcher starting python.exe (a stub that writes its command line) with the module and its arguments,
// an upgrade whose payload lost a module and a package (both gone after it, user data kept), then
// uninstall (payload, shortcut and registry entry gone, user data kept).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from '@jest/globals';
import { which } from '../../packages/system/src/index.js';
import { build, describeWithTools, findWine64, project, TOOLS } from './support.js';

const execFileAsync = promisify(execFile);
const WINE64 = findWine64();
const WINESERVER = [join(dirname(WINE64 ?? ''), 'wineserver64'), which('wineserver')].find(
  (path) => path && existsSync(path),
);
// First use creates the prefix (wineboot), which takes a while on a cold machine.
const WINE_TIMEOUT = 300_000;
const UNINSTALL_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Demo App';
/**
 * python.exe for the launcher to start: a silent amd64 program that writes its command line and working
 * folder to argv.txt beside its folder (UTF-16LE, as a Unicode NSIS program writes with FileWriteUTF16LE).
 */
const PYTHON_STUB = [
  'Unicode true',
  'Target amd64-unicode',
  'SilentInstall silent',
  'RequestExecutionLevel user',
  'OutFile "dist\\python\\python.exe"',
  'Section',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an NSIS define
  "  System::Call 'kernel32::GetCurrentDirectory(i ${NSIS_MAX_STRLEN}, t .r1)'",
  '  FileOpen $0 "$EXEDIR\\..\\argv.txt" w',
  '  FileWriteUTF16LE $0 "$CMDLINE$\\r$\\n$1"',
  '  FileClose $0',
  'SectionEnd',
  '',
].join('\n');

describeWithTools(
  'build-nsis template: builtin under wine64',
  { makensis: TOOLS.makensis, wine64: WINE64, wineserver: WINESERVER },
  () => {
    const prefix = join(mkdtempSync(join(tmpdir(), 'build-nsis-builtin-wine-')), 'prefix');
    const env = {
      ...process.env,
      WINEPREFIX: prefix,
      WINEDEBUG: '-all',
      WINELOADER: WINE64,
      // No Mono or Gecko prompts; no menu entries written into the host's home for the shortcuts.
      WINEDLLOVERRIDES: 'mscoree,mshtml=;winemenubuilder.exe=d',
      DISPLAY: '',
    };
    const wine = (...args: string[]) =>
      execFileAsync(WINE64 as string, args, { env, timeout: WINE_TIMEOUT, encoding: 'utf8' });
    /** Waits until every program of the prefix has exited (the uninstaller re-runs itself from a temp copy). */
    const settle = () => spawnSync(WINESERVER as string, ['-w'], { env, timeout: WINE_TIMEOUT });

    afterAll(() => {
      spawnSync(WINESERVER as string, ['-k'], { env, stdio: 'ignore' });
      rmSync(dirname(prefix), { recursive: true, force: true });
    });

    /** The start-menu shortcuts of the prefix's user(s), as paths. */
    const shortcuts = () => {
      const users = join(prefix, 'drive_c', 'users');
      return readdirSync(users).flatMap((user) => {
        const dir = join(users, user, 'AppData/Roaming/Microsoft/Windows/Start Menu/Programs');
        return existsSync(dir)
          ? readdirSync(dir)
              .filter((name) => name.endsWith('.lnk'))
              .map((name) => join(dir, name))
          : [];
      });
    };
    const startMenu = () => shortcuts().map((path) => basename(path));
    /** The target path stored in the one shortcut (a .lnk holds it as ANSI and as UTF-16 text). */
    const lnkTarget = () => {
      const [lnk] = shortcuts();
      const bytes = readFileSync(lnk);
      return `${bytes.toString('latin1')}\n${bytes.toString('utf16le')}`;
    };

    test(
      'install, upgrade that removes what the new payload lacks, uninstall; user data kept throughout',
      async () => {
        const cwd = project({
          'python-stub.nsi': PYTHON_STUB,
          'dist/app/demo/__init__.py': '',
          'dist/app/demo/main.py': 'print("1")\n',
          'dist/app/demo/_version.py': '__version__ = "1.0.0"\n',
          'dist/app/oldpkg/__init__.py': '',
          'dist/app/oldpkg/mod.py': 'x = 1\n',
          // 1.0.0 shipped these and kept nothing; 2.0.0 keeps them (the default keep) and no longer ships them.
          'dist/config.yaml': 'port: 1\n',
          'dist/data/seed.txt': 'seed\n',
        });
        const inputs = {
          template: 'builtin',
          'app-name': 'Demo App',
          publisher: 'Example Ltd',
          'dist-dir': 'dist',
          'app-module': 'demo.main',
        };
        mkdirSync(join(cwd, 'dist/python'));
        execFileSync(TOOLS.makensis as string, ['-V2', 'python-stub.nsi'], { cwd });
        rmSync(join(cwd, 'python-stub.nsi'));
        const v1 = await build(cwd, { ...inputs, version: '1.0.0', keep: 'none' });
        expect(v1.errors).toEqual([]);
        await wine(v1.outputs.installer, '/S', '/D=C:\\builtin');
        settle();
        const target = join(prefix, 'drive_c', 'builtin');
        expect(readFileSync(join(target, 'app/oldpkg/mod.py'), 'utf8')).toBe('x = 1\n');
        expect(existsSync(join(target, 'app/demo/_version.py'))).toBe(true);
        // The launcher starts python.exe hidden from the install folder, with the module and its own arguments.
        await wine(join(target, 'Demo App.exe'), '--port', '8765', 'two words');
        settle();
        const [commandLine, cwdOfPython] = readFileSync(join(target, 'argv.txt'), 'utf16le').split('\r\n');
        rmSync(join(target, 'argv.txt'));
        expect(commandLine).toMatch(
          /^"?C:\\builtin\\python\\python\.exe"? -m demo\.main --port 8765 "two words"$/,
        );
        expect(cwdOfPython).toBe('C:\\builtin');
        expect(readFileSync(join(target, 'install-manifest.txt')).subarray(2).toString('utf16le')).toContain(
          'app\\oldpkg\\mod.py\r\n',
        );
        const registry = (await wine('reg', 'query', UNINSTALL_KEY)).stdout;
        expect(registry).toMatch(/DisplayName\s+REG_SZ\s+Demo App/);
        expect(registry).toMatch(/DisplayVersion\s+REG_SZ\s+1\.0\.0/);
        expect(registry).toMatch(/Publisher\s+REG_SZ\s+Example Ltd/);
        expect(registry).toMatch(/UninstallString\s+REG_SZ\s+"C:\\builtin\\uninstall\.exe"/);
        expect(registry).toMatch(/InstallLocation\s+REG_SZ\s+C:\\builtin/);
        expect(registry).toMatch(/DisplayIcon\s+REG_SZ\s+C:\\builtin\\Demo App\.exe/);
        expect(startMenu()).toEqual(['Demo App.lnk']);
        expect(lnkTarget()).toMatch(/C:\\builtin\\Demo App\.exe/);

        // What the user made of the data.
        writeFileSync(join(target, 'data/notes.txt'), 'mine\n');
        writeFileSync(join(target, 'config.yaml'), 'port: 8765\n');

        // 2.0.0 lost _version.py and the oldpkg package, and ships no user data.
        rmSync(join(cwd, 'dist/config.yaml'));
        rmSync(join(cwd, 'dist/data'), { recursive: true });
        rmSync(join(cwd, 'dist/app/demo/_version.py'));
        rmSync(join(cwd, 'dist/app/oldpkg'), { recursive: true });
        writeFileSync(join(cwd, 'dist/app/demo/main.py'), 'print("2")\n');
        const v2 = await build(cwd, { ...inputs, version: '2.0.0' });
        expect(v2.errors).toEqual([]);
        await wine(v2.outputs.installer, '/S', '/D=C:\\builtin');
        settle();
        expect(readFileSync(join(target, 'app/demo/main.py'), 'utf8')).toBe('print("2")\n');
        expect(existsSync(join(target, 'app/demo/_version.py'))).toBe(false);
        expect(existsSync(join(target, 'app/oldpkg'))).toBe(false);
        expect(readFileSync(join(target, 'data/notes.txt'), 'utf8')).toBe('mine\n');
        expect(readFileSync(join(target, 'config.yaml'), 'utf8')).toBe('port: 8765\n');
        // Listed by the old manifest, but under keep now: left alone.
        expect(readFileSync(join(target, 'data/seed.txt'), 'utf8')).toBe('seed\n');
        expect((await wine('reg', 'query', UNINSTALL_KEY)).stdout).toMatch(
          /DisplayVersion\s+REG_SZ\s+2\.0\.0/,
        );

        await wine(join(target, 'uninstall.exe'), '/S');
        settle();
        expect(readdirSync(target).sort()).toEqual(['config.yaml', 'data']);
        expect(readFileSync(join(target, 'data/notes.txt'), 'utf8')).toBe('mine\n');
        await expect(wine('reg', 'query', UNINSTALL_KEY)).rejects.toThrow();
        expect(startMenu()).toEqual([]);
      },
      WINE_TIMEOUT * 3,
    );

    test(
      "install-scope machine: all users' desktop and Startup shortcuts, the HKLM entry, the icon; uninstall removes them",
      async () => {
        const cwd = project({
          'dist/python/python.exe': Buffer.from('MZ stub'),
          'dist/app/demo/main.py': 'print("1")\n',
        });
        copyFileSync('/usr/share/nsis/Contrib/Graphics/Icons/box-install.ico', join(cwd, 'app.ico'));
        const r = await build(cwd, {
          template: 'builtin',
          'app-name': 'Demo Machine',
          'dist-dir': 'dist',
          'app-module': 'demo.main',
          'install-scope': 'machine',
          shortcuts: 'desktop, autostart',
          icon: 'app.ico',
        });
        expect(r.errors).toEqual([]);
        await wine(r.outputs.installer, '/S', '/D=C:\\machine');
        settle();
        const target = join(prefix, 'drive_c', 'machine');
        expect(readFileSync(join(target, 'icon.ico'))).toEqual(readFileSync(join(cwd, 'app.ico')));
        const key = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Demo Machine';
        const registry = (await wine('reg', 'query', key)).stdout;
        expect(registry).toMatch(/InstallLocation\s+REG_SZ\s+C:\\machine/);
        expect(registry).toMatch(/DisplayIcon\s+REG_SZ\s+C:\\machine\\icon\.ico/);
        await expect(wine('reg', 'query', key.replace('HKLM', 'HKCU'))).rejects.toThrow();
        // All users' folders only: a user's Desktop links to the host's home, which is not to be walked.
        const links = () =>
          ['ProgramData', 'users/Public']
            .flatMap((folder) => findLinks(join(prefix, 'drive_c', folder), 'Demo Machine.lnk'))
            .map((path) => relative(prefix, path));
        expect(links()).toEqual([
          expect.stringMatching(
            /^drive_c\/ProgramData\/Microsoft\/Windows\/Start Menu\/Programs\/StartUp\//i,
          ),
          expect.stringMatching(/^drive_c\/users\/Public\/Desktop\//i),
        ]);

        await wine(join(target, 'uninstall.exe'), '/S');
        settle();
        expect(existsSync(target)).toBe(false);
        expect(links()).toEqual([]);
        await expect(wine('reg', 'query', key)).rejects.toThrow();
      },
      WINE_TIMEOUT * 2,
    );
  },
);

/** Every file named `name` under `root`, sorted. */
function findLinks(root: string, name: string): string[] {
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((path) => basename(path) === name)
    .map((path) => join(root, path))
    .sort();
}
