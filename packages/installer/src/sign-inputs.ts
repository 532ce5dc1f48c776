// The sign-* inputs read and checked before anything is built: exactly one key source (a PFX, a key in
// a PKCS#11 token, or an external command), each secret registered for masking as it is read.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { InputReader } from '@forge-actions/action-kit/contract';
import { InputError, type Logger } from '@forge-actions/action-kit/errors';
import { checkFile } from '@forge-actions/system';
import { splitPinValue } from './pkcs11-uri.js';

export type KeySource =
  | { kind: 'pfx'; pfx: Buffer; password: string }
  | {
      kind: 'pkcs11';
      module: string;
      /** The key's URI without a pin-value. */
      keyUri: string;
      /** A PEM file of the certificate chain, or the `pkcs11:` URI of the certificate in the token. */
      cert: { file: string } | { uri: string };
      pin: string;
      /** Where the PIN came from, for the error a wrong one gives. */
      pinInput: 'sign-pin' | 'sign-key-uri';
    }
  | { kind: 'command'; command: string };

export interface Signing {
  source: KeySource;
  /** Program name shown by Windows in the UAC / SmartScreen prompt (-n). */
  description: string;
  /** RFC 3161 time-stamp server, so the signature outlives the certificate (-ts). */
  timestampUrl: string;
}

/**
 * The PFX from the `sign-pfx` input (base64, line breaks allowed), checked against the password
 * before anything is built: a wrong password or a file that is not a PFX fails as an input error.
 */
function decodePfx(base64: string, password: string, logger: Logger): Buffer {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new InputError(
      'sign-pfx',
      'is not valid base64 (give the .pfx file base64-encoded, e.g. base64 -w0)',
    );
  }
  const pfx = Buffer.from(compact, 'base64');
  try {
    createSecureContext({ pfx, passphrase: password });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/mac verify failure/i.test(message)) {
      throw new InputError('sign-password', 'does not open the PFX given in sign-pfx (mac verify failure)');
    }
    // Node's OpenSSL refuses legacy (RC2/3DES) PFX files that osslsigncode still reads.
    if (/unsupported/i.test(message)) {
      logger.info(`The PFX uses algorithms Node cannot read (${message}); leaving the check to osslsigncode`);
      return pfx;
    }
    throw new InputError(
      'sign-pfx',
      `is base64 but not a PKCS#12 (.pfx) file with a key and certificate (${message})`,
    );
  }
  return pfx;
}

const PKCS11_INPUTS = ['sign-pkcs11-module', 'sign-key-uri', 'sign-cert', 'sign-pin'] as const;

/** The certificate input: a `pkcs11:` URI as it is, or a PEM file (relative to `cwd`) that holds one. */
function readCertificate(text: string, cwd: string): { file: string } | { uri: string } {
  if (/^pkcs11:/i.test(text)) return { uri: text };
  const file = resolve(cwd, text);
  checkFile('sign-cert', file);
  try {
    new X509Certificate(readFileSync(file));
  } catch {
    throw new InputError('sign-cert', `is not a PEM certificate (chain) file: ${file}`);
  }
  return { file };
}

/**
 * The signing request, or undefined when no key source is given. Paths are relative to `cwd` (the
 * working-directory). `registerSecret` masks what no input reader knows is secret: a pin-value inside
 * sign-key-uri.
 */
export function readSigning(
  inputs: InputReader,
  cwd: string,
  registerSecret: (value: string) => void,
  logger: Logger,
): Signing | undefined {
  const password = inputs.secret('sign-password');
  const pfxText = inputs.secret('sign-pfx');
  const pin = inputs.secret('sign-pin');
  const keyUriText = inputs.string('sign-key-uri');
  const keyUri = keyUriText ? splitPinValue('sign-key-uri', keyUriText) : undefined;
  if (keyUri) for (const secret of [keyUri.pin, keyUri.pinAsWritten]) registerSecret(secret);
  const command = inputs.string('sign-command');
  const description = inputs.string('sign-description');
  const timestampUrl = inputs.url('sign-timestamp-url')?.href ?? '';

  const pkcs11Input = PKCS11_INPUTS.find((name) => inputs.string(name) !== '');
  const sources = [pfxText && 'sign-pfx', pkcs11Input, command && 'sign-command'].filter(
    (name): name is string => Boolean(name),
  );
  if (sources.length > 1) {
    throw new InputError(
      sources[1],
      `cannot be combined with ${sources[0]}: give one key source (sign-pfx, a PKCS#11 key with ` +
        'sign-pkcs11-module, sign-key-uri and sign-cert, or sign-command)',
    );
  }
  if (password && !pfxText) {
    if (sources.length > 0) {
      throw new InputError('sign-password', `is the password of sign-pfx; ${sources[0]} does not use it`);
    }
    logger.warning('sign-password is set but sign-pfx is empty: the installer is not signed');
  }
  if (command && (description || timestampUrl)) {
    throw new InputError(
      description ? 'sign-description' : 'sign-timestamp-url',
      'applies to sign-pfx and PKCS#11 keys; give sign-command its own options instead',
    );
  }
  const extras = { description, timestampUrl };
  if (pfxText)
    return { source: { kind: 'pfx', pfx: decodePfx(pfxText, password, logger), password }, ...extras };
  if (command) {
    // The file's path is appended as the last argument: a second line would not receive it.
    if (/[\r\n]/.test(command)) throw new InputError('sign-command', 'must be one command line');
    return { source: { kind: 'command', command }, ...extras };
  }
  if (!pkcs11Input) return undefined;
  const required = (name: string) => {
    const value = inputs.string(name);
    if (!value) throw new InputError(name, `is required with ${pkcs11Input} (a PKCS#11 key)`);
    return value;
  };
  const module = resolve(cwd, required('sign-pkcs11-module'));
  checkFile('sign-pkcs11-module', module);
  required('sign-key-uri');
  const cert = readCertificate(required('sign-cert'), cwd);
  const { uri, pin: uriPin } = keyUri as NonNullable<typeof keyUri>;
  if (pin && uriPin) {
    throw new InputError('sign-key-uri', 'carries a pin-value and sign-pin is set too: give the PIN once');
  }
  return {
    source: {
      kind: 'pkcs11',
      module,
      keyUri: uri,
      cert,
      pin: pin || uriPin,
      pinInput: uriPin ? 'sign-key-uri' : 'sign-pin',
    },
    ...extras,
  };
}
