// The key sources through the bundled action, each signing the uninstaller makensis packs as well as the
// installer: a PFX, a key in a SoftHSM2 token made for this run (PKCS#11), and a sign-command script.
// osslsigncode, seen through a wrapper on PATH that records its arguments, shows no PIN on a command line.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leaks } from '@forge-actions/testing/leaks';
import { makeSoftHsmToken, SOFTHSM_TOOLS, type SoftHsmToken } from '@forge-actions/testing/softhsm';
import { beforeAll, expect, test } from '@jest/globals';
import {
  build,
  demoProject,
  describeWithTools,
  extractFromInstaller,
  installerScript,
  makeSigningCertificate,
  project,
  SIGNER,
  type SigningCertificate,
  TOOLS,
  verify,
} from './support.js';

const PIN = '735911';
const WRONG_PIN = '991482';
const TOKEN_SIGNER = 'Forge Actions Token Signer';
const UNINSTALLER = 'Uninstall Demo.exe';

/** The demo script with an uninstaller, so makensis runs !uninstfinalize. */
const withUninstaller = () =>
  demoProject(
    {},
    installerScript({
      core: [
        '  RMDir /r "$INSTDIR\\app"',
        '  RMDir /r "$INSTDIR\\python"',
        '  RMDir /r "$INSTDIR\\scripts"',
        '  File /r "dist\\*.*"',
        `  WriteUninstaller "$INSTDIR\\${UNINSTALLER}"`,
      ].join('\n'),
      head: `Section "Uninstall"\n  Delete "$INSTDIR\\${UNINSTALLER}"\nSectionEnd`,
    }),
  );

/** Signed by `subject`, with the digest stored in the signature matching the file's. */
function expectSignedBy(file: string, subject: string) {
  const signature = verify(file);
  expect(signature).toContain(`Subject: /CN=${subject}`);
  expect(signature).toMatch(/Current message digest\s*: ([0-9A-F]+)[\s\S]*Calculated message digest\s*: \1/);
}

/** A program 7z finds inside the installer (by default the uninstaller), written out to be verified. */
function packedUninstaller(installer: string, name = UNINSTALLER): string {
  const file = join(mkdtempSync(join(tmpdir(), 'packed-')), name);
  writeFileSync(file, extractFromInstaller(installer, name));
  return file;
}

/**
 * A PATH whose osslsigncode appends its arguments, one run a line, to `log`, and the environment it was
 * started with to `environ` (from /proc: sh itself drops names like INPUT_SIGN-PIN).
 */
function recordingOsslsigncode(): { env: { PATH: string }; log: string; environ: string } {
  const dir = mkdtempSync(join(tmpdir(), 'osslsigncode-wrapper-'));
  const log = join(dir, 'argv.log');
  const environ = join(dir, 'environ.log');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'osslsigncode'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\ntr '\\0' '\\n' < /proc/$$/environ >> '${environ}'\nexec '${TOOLS.osslsigncode}' "$@"\n`,
  );
  chmodSync(join(dir, 'osslsigncode'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}` }, log, environ };
}

describeWithTools(
  'build-nsis key sources',
  { makensis: TOOLS.makensis, '7z': TOOLS['7z'], osslsigncode: TOOLS.osslsigncode, openssl: TOOLS.openssl },
  () => {
    let certs: SigningCertificate;
    beforeAll(() => {
      certs = makeSigningCertificate('unused');
    });

    test('sign-pfx signs the uninstaller inside the installer too', async () => {
      const r = await build(withUninstaller(), { 'sign-pfx': certs.pfxNoPassword });
      expect(r.errors).toEqual([]);
      expect(r.outputs.signed).toBe('installer,uninstaller');
      expectSignedBy(r.outputs.installer, SIGNER);
      expectSignedBy(packedUninstaller(r.outputs.installer), SIGNER);
      expect(r.summary).toContain(
        `| signed | installer and uninstaller: /CN=${SIGNER} (chain not verified here) |`,
      );
      expect(readdirSync(r.runnerTemp).filter((name) => name.startsWith('sign-'))).toEqual([]);
    });

    test('template builtin: the exe launcher is signed before it is packed, as are uninstaller and installer', async () => {
      const cwd = project({ 'dist/python/python.exe': Buffer.from('MZ stub'), 'dist/app/demo/main.py': '' });
      const r = await build(cwd, {
        template: 'builtin',
        'app-name': 'Demo',
        'dist-dir': 'dist',
        'app-module': 'demo.main',
        'sign-pfx': certs.pfxNoPassword,
      });
      expect(r.errors).toEqual([]);
      expect(r.outputs.signed).toBe('installer,uninstaller,launcher');
      expectSignedBy(r.outputs.installer, SIGNER);
      expectSignedBy(packedUninstaller(r.outputs.installer, 'uninstall.exe'), SIGNER);
      expectSignedBy(packedUninstaller(r.outputs.installer, 'Demo.exe'), SIGNER);
      expect(r.summary).toContain(
        `| signed | installer, uninstaller, and launcher: /CN=${SIGNER} (chain not verified here) |`,
      );
    });

    test('sign-command signs both through a script, run in working-directory with the file last', async () => {
      const cwd = withUninstaller();
      writeFileSync(join(cwd, 'signing.pfx'), Buffer.from(certs.pfxNoPassword, 'base64'));
      writeFileSync(
        join(cwd, 'sign.sh'),
        [
          'set -e',
          'echo "signing $1 for $SIGN_FOR"',
          'osslsigncode sign -pkcs12 signing.pfx -h sha256 -in "$1" -out "$1.tmp"',
          'mv "$1.tmp" "$1"',
          '',
        ].join('\n'),
      );
      const r = await build(cwd, { 'sign-command': 'sh sign.sh' }, { env: { SIGN_FOR: 'Example Ltd' } });
      expect(r.errors).toEqual([]);
      expect(r.outputs.signed).toBe('installer,uninstaller');
      expectSignedBy(r.outputs.installer, SIGNER);
      expectSignedBy(packedUninstaller(r.outputs.installer), SIGNER);
      // Once by makensis (its temporary uninstaller), once for the installer; the output is logged.
      expect(r.stdout.match(/^signing \/.+ for Example Ltd$/gm)).toHaveLength(2);
    });

    test('a failing sign-command names the input, on the uninstaller and on the installer', async () => {
      const failing = (cwd: string) => {
        writeFileSync(join(cwd, 'fail.sh'), 'echo "cannot reach the key vault" >&2\nexit 3\n');
        return cwd;
      };
      const inMakensis = await build(failing(withUninstaller()), { 'sign-command': 'sh fail.sh' });
      expect(inMakensis.errors).toEqual([
        "Input 'sign-command' failed on the uninstaller makensis wrote (exit status 3): cannot reach the key vault",
      ]);
      const cwd = failing(demoProject());
      const after = await build(cwd, { 'sign-command': 'sh fail.sh' });
      expect(after.errors).toEqual([
        "Input 'sign-command' exited with status 3 signing the installer: cannot reach the key vault",
      ]);
    });

    test('two key sources are refused before makensis runs', async () => {
      const cwd = withUninstaller();
      const r = await build(cwd, { 'sign-pfx': certs.pfxNoPassword, 'sign-command': 'true' });
      expect(r.errors).toEqual([
        "Input 'sign-command' cannot be combined with sign-pfx: give one key source (sign-pfx, a PKCS#11 key " +
          'with sign-pkcs11-module, sign-key-uri and sign-cert, or sign-command)',
      ]);
      const mixed = await build(cwd, { 'sign-pfx': certs.pfxNoPassword, 'sign-key-uri': 'pkcs11:object=k' });
      expect(mixed.errors[0]).toMatch(/^Input 'sign-key-uri' cannot be combined with sign-pfx: /);
      for (const run of [r, mixed]) expect(run.stdout).not.toContain('makensis');
      expect(readdirSync(join(cwd, 'build'))).toEqual([]);
    });
  },
);

describeWithTools(
  'build-nsis PKCS#11 signing',
  { makensis: TOOLS.makensis, '7z': TOOLS['7z'], osslsigncode: TOOLS.osslsigncode, ...SOFTHSM_TOOLS },
  () => {
    let token: SoftHsmToken;
    beforeAll(() => {
      token = makeSoftHsmToken({ label: 'forge-signing', pin: PIN, subject: TOKEN_SIGNER });
    });
    const pkcs11 = (overrides: Record<string, string> = {}) => ({
      'sign-pkcs11-module': token.module,
      'sign-key-uri': token.keyUri,
      'sign-cert': token.certFile,
      'sign-pin': PIN,
      ...overrides,
    });

    test('signs uninstaller and installer with the token key; the PIN is on no command line and in no log', async () => {
      const wrapper = recordingOsslsigncode();
      const cwd = withUninstaller();
      const r = await build(cwd, pkcs11(), { env: { ...token.env, ...wrapper.env } });
      expect(r.errors).toEqual([]);
      expect(r.outputs.signed).toBe('installer,uninstaller');
      expectSignedBy(r.outputs.installer, TOKEN_SIGNER);
      expectSignedBy(packedUninstaller(r.outputs.installer), TOKEN_SIGNER);
      expect(r.summary).toContain(
        `| signed | installer and uninstaller: /CN=${TOKEN_SIGNER} (chain not verified here) |`,
      );

      const runs = readFileSync(wrapper.log, 'utf8').split('\n');
      // The key check, the uninstaller and the installer, each given the PIN as a file.
      expect(runs.filter((args) => args.startsWith('sign -pkcs11module '))).toHaveLength(3);
      expect(
        runs.filter((args) => args.startsWith('sign ')).every((args) => args.includes(' -readpass ')),
      ).toBe(true);
      expect(runs.filter((args) => args.includes(PIN))).toEqual([]);
      // Nor in a tool's environment: the step's INPUT_* variables (INPUT_SIGN-PIN) are not passed on.
      const environ = readFileSync(wrapper.environ, 'utf8');
      expect(environ).toContain('PATH=');
      expect(environ).not.toContain(PIN);
      expect(leaks(r, [PIN], [r.runnerTemp, cwd])).toEqual([]);
      expect(readdirSync(r.runnerTemp).filter((name) => name.startsWith('sign-'))).toEqual([]);
    });

    test('a pin-value in sign-key-uri and the certificate in the token: the PIN still on no command line', async () => {
      const wrapper = recordingOsslsigncode();
      const cwd = withUninstaller();
      const r = await build(
        cwd,
        pkcs11({
          'sign-key-uri': `${token.keyUri}?pin-value=${PIN}`,
          'sign-cert': token.certUri,
          'sign-pin': '',
        }),
        { env: { ...token.env, ...wrapper.env } },
      );
      expect(r.errors).toEqual([]);
      expectSignedBy(packedUninstaller(r.outputs.installer), TOKEN_SIGNER);
      expect(readFileSync(wrapper.log, 'utf8')).toContain(
        `-pkcs11cert ${token.certUri} -key ${token.keyUri} -readpass`,
      );
      expect(readFileSync(wrapper.log, 'utf8')).not.toContain(PIN);
      expect(leaks(r, [PIN], [r.runnerTemp, cwd])).toEqual([]);
    });

    test('a wrong sign-pin is named, never shown, and nothing is built', async () => {
      const cwd = withUninstaller();
      const r = await build(cwd, pkcs11({ 'sign-pin': WRONG_PIN }), { env: token.env });
      expect(r.errors).toEqual([
        "Input 'sign-pin' is not the PIN of the token that sign-key-uri names (PIN incorrect)",
      ]);
      expect(leaks(r, [WRONG_PIN, PIN], [r.runnerTemp, cwd])).toEqual([]);
      expect(r.stdout).not.toContain('::group::makensis');
      expect(readdirSync(join(cwd, 'build'))).toEqual([]);
    });

    test('a key URI that names no key in the token is named, and nothing is built', async () => {
      const cwd = withUninstaller();
      const missing = token.keyUri.replace('object=codesign', 'object=no-such-key');
      const r = await build(cwd, pkcs11({ 'sign-key-uri': missing }), { env: token.env });
      expect(r.errors).toEqual([`Input 'sign-key-uri' names no private key in the token (${missing})`]);
      expect(readdirSync(join(cwd, 'build'))).toEqual([]);
    });
  },
);
