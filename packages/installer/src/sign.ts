import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { ActionError, InputError, type Logger } from '@forge-actions/action-kit/errors';
import { runCommand } from '@forge-actions/system';

/**
 * The PFX from the `sign-pfx` input (base64, line breaks allowed), checked against the password
 * before anything is built: a wrong password or a file that is not a PFX fails as an input error.
 */
export function decodePfx(base64: string, password: string, logger: Logger): Buffer {
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

export interface SignOptions {
  osslsigncode: string;
  installer: string;
  pfx: Buffer;
  password: string;
  /** Program name shown by Windows in the UAC / SmartScreen prompt (-n). */
  description: string;
  /** RFC 3161 time-stamp server, so the signature outlives the certificate (-ts). */
  timestampUrl: string;
  /** A private folder for the key material; removed before returning. */
  tempRoot: string;
  logger: Logger;
}

export interface SignResult {
  /** The signer's subject as osslsigncode reports it, e.g. /CN=Example Ltd. */
  signer: string;
  /** Whether the certificate chain verified against the machine's CA store. */
  chainVerified: boolean;
  timestamped: boolean;
}

const firstMatch = (lines: string[], pattern: RegExp) =>
  lines.map((line) => pattern.exec(line.trim())?.[1]).find((value) => value !== undefined);

/**
 * Checks the signature osslsigncode reads back: present, naming a signer, with a message digest that
 * matches the file. A chain that does not verify (a self-signed or private-CA certificate) is a
 * warning, not a failure: the signature itself is intact.
 */
async function verifySignature(osslsigncode: string, file: string, logger: Logger): Promise<SignResult> {
  const result = await runCommand(osslsigncode, ['verify', '-in', file], {
    onLine: (line) => logger.info(line),
  });
  const lines = [...result.stdout, ...result.stderr];
  const signer = firstMatch(lines, /^Subject: (.+)$/);
  const current = firstMatch(lines, /^Current message digest\s*: ([0-9A-F]+)/i);
  const calculated = firstMatch(lines, /^Calculated message digest\s*: ([0-9A-F]+)/i);
  if (!signer || !current || current !== calculated) {
    const why = !signer ? 'no signature found' : 'the message digest does not match the file';
    throw new ActionError(`osslsigncode verify of the signed installer failed: ${why}`);
  }
  const timestamped = lines.some((line) => /^Timestamp time:|Timestamp Server Signature/i.test(line.trim()));
  if (result.code !== 0) {
    const reason = firstMatch(lines, /^Error: (.+)$/) ?? 'the chain does not verify';
    logger.warning(
      `The installer is signed by ${signer}, but its certificate chain does not verify on this machine ` +
        `(${reason}); Windows will show the publisher as unknown unless it trusts that certificate`,
    );
  }
  return { signer, chainVerified: result.code === 0, timestamped };
}

/**
 * Signs the installer in place with osslsigncode. The PFX and its password go to 0600 files in a
 * private folder (the password is read with -readpass, never put on a command line) that is removed
 * afterwards; the installer is replaced only once the signed copy verifies.
 */
export async function signInstaller(options: SignOptions): Promise<SignResult> {
  const { osslsigncode, installer, logger } = options;
  const dir = mkdtempSync(join(options.tempRoot, 'sign-'));
  try {
    const pfxFile = join(dir, 'certificate.pfx');
    const passFile = join(dir, 'password');
    const signed = join(dir, 'signed.exe');
    writeFileSync(pfxFile, options.pfx, { mode: 0o600 });
    const args = ['sign', '-pkcs12', pfxFile, '-h', 'sha256'];
    // osslsigncode cannot read an empty password from a file; a PFX without one needs no -readpass.
    if (options.password !== '') {
      writeFileSync(passFile, options.password, { mode: 0o600 });
      args.push('-readpass', passFile);
    }
    if (options.description) args.push('-n', options.description);
    if (options.timestampUrl) args.push('-ts', options.timestampUrl);
    args.push('-in', installer, '-out', signed);
    logger.info(`osslsigncode ${args.join(' ')}`);
    const result = await runCommand(osslsigncode, args, { onLine: (line) => logger.info(line) });
    if (result.code !== 0) {
      const why =
        result.stderr.map((line) => line.trim()).find((line) => line !== '') ?? `exit code ${result.code}`;
      throw new ActionError(`osslsigncode could not sign ${installer}: ${why}`);
    }
    const verified = await verifySignature(osslsigncode, signed, logger);
    if (options.timestampUrl && !verified.timestamped) {
      throw new ActionError(
        `osslsigncode signed ${installer} but the signature carries no time stamp from ${options.timestampUrl}`,
      );
    }
    copyFileSync(signed, installer);
    return verified;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
