// A SoftHSM2 token made per test run, for signing through PKCS#11 as with a hardware token: its own
// SOFTHSM2_CONF and token folder, a key and a self-signed code-signing certificate made with openssl,
// the key imported with softhsm2-util and the certificate written with pkcs11-tool (OpenSC).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCodeSigning } from './certificates.js';
import { findTool } from './tools.js';

/** Debian's and Ubuntu's places for SoftHSM2's module. */
const MODULES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'];

/** OpenSSL's PKCS#11 engine (libengine-pkcs11-openssl), which osslsigncode loads for -pkcs11module. */
function pkcs11Engine(): string | undefined {
  try {
    const dir = /ENGINESDIR: "(.*)"/.exec(
      execFileSync('openssl', ['version', '-e'], { encoding: 'utf8' }),
    )?.[1];
    return dir && existsSync(join(dir, 'pkcs11.so')) ? join(dir, 'pkcs11.so') : undefined;
  } catch {
    return undefined;
  }
}

/** What a token needs, by name; undefined where missing (for describeWithTools). */
export const SOFTHSM_TOOLS: Record<string, string | undefined> = {
  'softhsm2-util (softhsm2)': findTool('softhsm2-util'),
  'pkcs11-tool (opensc)': findTool('pkcs11-tool'),
  'libsofthsm2.so (softhsm2)': MODULES.find((path) => existsSync(path)),
  'pkcs11 engine (libengine-pkcs11-openssl)': pkcs11Engine(),
};

export interface SoftHsmToken {
  /** The environment the token is found with: pass it to the action. */
  env: { SOFTHSM2_CONF: string };
  module: string;
  pin: string;
  /** `pkcs11:` URIs of the key and of its certificate in the token. */
  keyUri: string;
  certUri: string;
  /** The certificate as a PEM file too. */
  certFile: string;
}

/** A fresh token labelled `label` holding one key (object `codesign`) and its certificate for `subject`. */
export function makeSoftHsmToken(options: { label: string; pin: string; subject: string }): SoftHsmToken {
  const module = SOFTHSM_TOOLS['libsofthsm2.so (softhsm2)'];
  if (!module) throw new Error('libsofthsm2.so is missing (apt-get install softhsm2)');
  const dir = mkdtempSync(join(tmpdir(), 'softhsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const run = (program: string, ...args: string[]) =>
    execFileSync(program, args, { cwd: dir, env, stdio: 'pipe' });
  const { label, pin } = options;
  run('softhsm2-util', '--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `so-${pin}`);
  selfSignedCodeSigning(dir, options.subject);
  run(
    'softhsm2-util',
    '--import',
    'key.pem',
    '--token',
    label,
    '--label',
    'codesign',
    '--id',
    '01',
    '--pin',
    pin,
  );
  run('openssl', 'x509', '-in', 'cert.pem', '-outform', 'der', '-out', 'cert.der');
  run(
    'pkcs11-tool',
    '--module',
    module,
    '--token-label',
    label,
    '--login',
    '--pin',
    pin,
    '--write-object',
    'cert.der',
    '--type',
    'cert',
    '--id',
    '01',
    '--label',
    'codesign',
  );
  return {
    env: { SOFTHSM2_CONF: conf },
    module,
    pin,
    keyUri: `pkcs11:token=${label};object=codesign;type=private`,
    certUri: `pkcs11:token=${label};object=codesign;type=cert`,
    certFile: join(dir, 'cert.pem'),
  };
}
