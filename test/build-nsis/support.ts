import { execFileSync } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { selfSignedCodeSigning } from '@forge-actions/testing/certificates';
import { type RunOptions, runAction } from '@forge-actions/testing/run-action';
import { describe, test } from '@jest/globals';
import { which } from '../../packages/system/src/index.js';

const inCi = process.env.CI === 'true';

/**
 * A describe block whose tests need real tools. A missing tool skips it with a note on a developer's
 * machine, and fails it under CI=true (.ci/run installs them), so CI never passes by skipping.
 */
export function describeWithTools(
  title: string,
  tools: Record<string, string | undefined>,
  body: () => void,
) {
  const missing = Object.entries(tools)
    .filter(([, path]) => !path)
    .map(([name]) => name);
  describe(title, () => {
    if (missing.length === 0) {
      body();
      return;
    }
    const note = `${missing.join(', ')} missing (Debian: apt-get install nsis p7zip-full osslsigncode wine64 openssl file)`;
    if (inCi) {
      test('the tools are installed', () => {
        throw new Error(`${title}: ${note}`);
      });
    } else {
      console.warn(`SKIPPED: ${title}: ${note}`);
      test.skip(note, () => {});
    }
  });
}

export const TOOLS = {
  makensis: which('makensis'),
  '7z': which('7z'),
  osslsigncode: which('osslsigncode'),
  openssl: which('openssl'),
  file: which('file'),
};

/** wine64: on PATH, or where Debian's wine64 package puts it (/usr/lib/wine/wine64, no PATH entry). */
export function findWine64(): string | undefined {
  const onPath = which('wine64');
  if (onPath) return onPath;
  try {
    accessSync('/usr/lib/wine/wine64', constants.X_OK);
    return '/usr/lib/wine/wine64';
  } catch {
    return undefined;
  }
}

export const SIGNER = 'Forge Actions Test Signer';

export interface SigningCertificate {
  /** base64 of a PFX protected by the password given. */
  pfx: string;
  /** base64 of a PFX of the same key and certificate with an empty password. */
  pfxNoPassword: string;
}

/** A self-signed code-signing certificate made with openssl, as PFX files in base64. */
export function makeSigningCertificate(password: string): SigningCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'build-nsis-cert-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  selfSignedCodeSigning(dir, SIGNER);
  const pfx = (file: string, pass: string) => {
    openssl(
      'pkcs12',
      '-export',
      '-in',
      'cert.pem',
      '-inkey',
      'key.pem',
      '-out',
      file,
      '-passout',
      `pass:${pass}`,
    );
    return readFileSync(join(dir, file)).toString('base64');
  };
  return { pfx: pfx('cert.pfx', password), pfxNoPassword: pfx('open.pfx', '') };
}

/** A workspace with the given files (name → content; folders created). */
export function project(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-nsis-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/**
 * A seed-style script: user-scoped amd64 Unicode installer, the payload folders removed before
 * `File /r` extracts dist/ (so files dropped from the payload do not survive an upgrade).
 */
export function installerScript(options: { core?: string; head?: string } = {}): string {
  const core =
    options.core ??
    [
      '  RMDir /r "$INSTDIR\\app"',
      '  RMDir /r "$INSTDIR\\python"',
      '  RMDir /r "$INSTDIR\\scripts"',
      '  File /r "dist\\*.*"',
    ].join('\n');
  return [
    'Unicode true',
    'Target amd64-unicode',
    '!ifndef VERSION',
    '  !define VERSION 0.0.0',
    '!endif',
    '!ifndef APPNAME',
    '  !define APPNAME Demo',
    '!endif',
    options.head ?? '',
    // NSIS ${NAME} defines, escaped in template literals.
    `Name "\${APPNAME} \${VERSION}"`,
    `OutFile "build\\\${APPNAME}-\${VERSION}-setup.exe"`,
    'RequestExecutionLevel user',
    `InstallDir "$LOCALAPPDATA\\\${APPNAME}"`,
    'Section "!Core (required)" SecCore',
    '  SectionIn RO',
    '  SetOutPath "$INSTDIR"',
    core,
    'SectionEnd',
    '',
  ].join('\n');
}

/** A VBS launcher as the seed writes it, ASCII with CRLF. */
export const LAUNCHER = [
  'Set fso = CreateObject("Scripting.FileSystemObject")',
  'Set WshShell = CreateObject("WScript.Shell")',
  'appRoot = fso.GetParentFolderName(fso.GetParentFolderName(WScript.ScriptFullName))',
  'WshShell.Run """" & appRoot & "\\python\\python.exe"" -m demo.main", 0, False',
  '',
].join('\r\n');

/** A project with a dist/ payload (app, python, scripts), the script and an empty build/ folder. */
export function demoProject(extra: Record<string, string | Buffer> = {}, script = installerScript()): string {
  const dir = project({
    'installer.nsi': script,
    'dist/app/demo/main.py': 'print("hello")\n',
    'dist/app/demo/__init__.py': '',
    'dist/python/python.exe': Buffer.from('MZ not really python'),
    'dist/scripts/start-hidden.vbs': LAUNCHER,
    ...extra,
  });
  mkdirSync(join(dir, 'build'), { recursive: true });
  return dir;
}

export function build(cwd: string, inputs: Record<string, string> = {}, options: RunOptions = {}) {
  return runAction('build-nsis', { ...options, cwd, inputs });
}

/** The paths inside an installer, as `7z l -slt` lists them. */
export function payloadOf(installer: string): string[] {
  const listing = execFileSync('7z', ['l', '-slt', installer], { encoding: 'utf8' });
  const [, entries = ''] = listing.split(/^----------$/m);
  return [...entries.matchAll(/^Path = (.+)$/gm)].map((m) => m[1]).sort();
}

/** One file's bytes from inside an installer (7z x -so). */
export function extractFromInstaller(installer: string, path: string): Buffer {
  return execFileSync('7z', ['x', '-so', installer, path], { maxBuffer: 64 * 1024 * 1024 });
}

/** The PE optional-header magic and machine: PE32+ is 0x20b, x86-64 is 0x8664. */
export function peHeader(file: string): { magic: number; machine: number } {
  const header = Buffer.alloc(4096);
  const fd = openSync(file, 'r');
  readSync(fd, header, 0, header.length, 0);
  const pe = header.readUInt32LE(0x3c);
  if (header.toString('latin1', 0, 2) !== 'MZ' || header.toString('latin1', pe, pe + 4) !== 'PE\0\0') {
    throw new Error(`${file} is not a PE file`);
  }
  return { machine: header.readUInt16LE(pe + 4), magic: header.readUInt16LE(pe + 24) };
}

/** `::warning file=F,line=N::message` (or `::warning::message`) annotations as {file, line, message}. */
export function annotations(stdout: string, kind: 'warning' | 'error') {
  return [...stdout.matchAll(new RegExp(`^::${kind}(?: ([^:]*))?::(.*)$`, 'gm'))].map((m) => {
    const props = Object.fromEntries(
      (m[1] ?? '').split(',').map((pair) => pair.split('=') as [string, string]),
    );
    return { file: props.file, line: props.line ? Number(props.line) : undefined, message: m[2] };
  });
}

/** osslsigncode's reading of a file's signature (exit code 1 for a chain it cannot verify). */
export function verify(file: string): string {
  try {
    return execFileSync('osslsigncode', ['verify', '-in', file], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return e.stdout + e.stderr;
  }
}
