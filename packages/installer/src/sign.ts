// Signing the installer, its uninstaller and the exe launcher with one script: osslsigncode with the PFX
// or the PKCS#11 key, or the user's sign-command. makensis runs the script on the uninstaller through
// !uninstfinalize before packing it; build-nsis runs it on the launcher before packing it and on the
// installer after makensis.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError, InputError, type Logger } from '@forge-actions/action-kit/errors';
import { runCommand } from '@forge-actions/system';
import { checkPkcs11Key } from './pkcs11-check.js';
import type { KeySource, Signing } from './sign-inputs.js';

export interface SignResult {
  /** The signer's subject as osslsigncode reports it, e.g. /CN=Example Ltd. */
  signer: string;
  /** Why the certificate chain does not verify against the machine's CA store; undefined when it does. */
  chainProblem?: string;
  timestamped: boolean;
}

export interface Signer {
  signing: Signing;
  osslsigncode: string;
  /** A private (0700) folder: key material, the PIN or password file, the script; see closeSigner. */
  dir: string;
  /** `/bin/sh <script> <file>` signs the file in place. */
  script: string;
  /** The `!uninstfinalize` command: signs makensis' uninstaller (`%1`) and keeps a copy to verify. */
  uninstFinalize: string;
  logger: Logger;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** What `!uninstfinalize '…'` can carry unquoted: no quote, `$`, space or shell character. */
const PLAIN_PATH = /^[\w./+@:,~-]+$/;

/**
 * osslsigncode's key options. A password or PIN goes to a 0600 file read with -readpass: osslsigncode
 * hands it to OpenSSL (the PFX) or, for a token, to libp11's engine inside its own process (the
 * engine's PIN control), so it is never an argument that `ps` shows, nor an environment variable of a
 * child process, nor a line of the log.
 */
function keyArgs(source: Exclude<KeySource, { kind: 'command' }>, dir: string): string[] {
  const privateFile = (name: string, content: string | Buffer) => {
    writeFileSync(join(dir, name), content, { mode: 0o600 });
    return join(dir, name);
  };
  // osslsigncode cannot read an empty password from a file; a PFX or token without one needs no -readpass.
  const readpass = (secret: string) => (secret === '' ? [] : ['-readpass', privateFile('password', secret)]);
  if (source.kind === 'pfx')
    return ['-pkcs12', privateFile('certificate.pfx', source.pfx), ...readpass(source.password)];
  const cert = 'uri' in source.cert ? ['-pkcs11cert', source.cert.uri] : ['-certs', source.cert.file];
  return ['-pkcs11module', source.module, ...cert, '-key', source.keyUri, ...readpass(source.pin)];
}

/** The shell script that signs its argument in place, and the line that shows what it runs. */
function signingScript(signing: Signing, osslsigncode: string, key: string[], cwd: string) {
  const { source } = signing;
  if (source.kind === 'command') {
    // makensis runs !uninstfinalize from the script's folder: the command always starts in cwd.
    return {
      script: `cd ${shellQuote(cwd)} || exit 1\n${source.command} "$1"\n`,
      shown: `sign-command: ${source.command} <file>`,
    };
  }
  const args = [
    'sign',
    ...key,
    '-h',
    'sha256',
    ...(signing.description ? ['-n', signing.description] : []),
    ...(signing.timestampUrl ? ['-ts', signing.timestampUrl] : []),
  ];
  return {
    script: `${[osslsigncode, ...args].map(shellQuote).join(' ')} -in "$1" -out "$1.signed" && mv -f "$1.signed" "$1"\n`,
    shown: `osslsigncode ${args.join(' ')} -in <file> -out <file>.signed`,
  };
}

/**
 * Writes the key material and the signing script to a private folder under `tempRoot`, and for a
 * PKCS#11 key checks PIN, key and certificate against the token. Call closeSigner when done.
 */
export async function openSigner(
  signing: Signing,
  options: { osslsigncode: string; tempRoot: string; cwd: string; logger: Logger },
): Promise<Signer> {
  const dir = mkdtempSync(join(options.tempRoot, 'sign-'));
  try {
    if (!PLAIN_PATH.test(dir)) {
      throw new ActionError(
        `The runner's temp folder ${dir} has characters that makensis' !uninstfinalize cannot carry`,
      );
    }
    const { source } = signing;
    const key = source.kind === 'command' ? [] : keyArgs(source, dir);
    const { script, shown } = signingScript(signing, options.osslsigncode, key, options.cwd);
    const scriptFile = join(dir, 'sign.sh');
    writeFileSync(scriptFile, script, { mode: 0o600 });
    options.logger.info(`Signing with ${shown}`);
    if (source.kind === 'pkcs11') await checkPkcs11Key(options.osslsigncode, key, source, dir);
    return {
      signing,
      osslsigncode: options.osslsigncode,
      dir,
      script: scriptFile,
      uninstFinalize: `/bin/sh ${scriptFile} "%1" && cp "%1" ${join(dir, 'uninstaller.exe')}`,
      logger: options.logger,
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Removes the key material. */
export function closeSigner(signer: Signer): void {
  rmSync(signer.dir, { recursive: true, force: true });
}

/** The input a failed signing run is blamed on. */
export function keySourceInput(source: KeySource): string {
  return { pfx: 'sign-pfx', pkcs11: 'sign-key-uri', command: 'sign-command' }[source.kind];
}

const firstMatch = (lines: string[], pattern: RegExp) =>
  lines.map((line) => pattern.exec(line.trim())?.[1]).find((value) => value !== undefined);

/**
 * Checks the signature osslsigncode reads back: present, naming a signer, with a message digest that
 * matches the file, time-stamped when a time-stamp server was given. A chain that does not verify (a
 * self-signed or private-CA certificate) is reported, not fatal: the signature itself is intact.
 */
async function verifySigned(signer: Signer, file: string, what: string): Promise<SignResult> {
  const { logger, signing } = signer;
  const result = await runCommand(signer.osslsigncode, ['verify', '-in', file], {
    onLine: (line) => logger.info(line),
  });
  const lines = [...result.stdout, ...result.stderr];
  const subject = firstMatch(lines, /^Subject: (.+)$/);
  const current = firstMatch(lines, /^Current message digest\s*: ([0-9A-F]+)/i);
  const calculated = firstMatch(lines, /^Calculated message digest\s*: ([0-9A-F]+)/i);
  if (!subject || !current || current !== calculated) {
    const why = !subject ? 'no signature found' : 'the message digest does not match the file';
    throw new ActionError(`osslsigncode verify of the signed ${what} failed: ${why}`);
  }
  const timestamped = lines.some((line) => /^Timestamp time:|Timestamp Server Signature/i.test(line.trim()));
  if (signing.timestampUrl && !timestamped) {
    throw new ActionError(
      `The ${what} was signed but the signature carries no time stamp from ${signing.timestampUrl}`,
    );
  }
  const chainProblem =
    result.code === 0 ? undefined : (firstMatch(lines, /^Error: (.+)$/) ?? 'the chain does not verify');
  return { signer: subject, chainProblem, timestamped };
}

/** Signs a program build-nsis made (the installer, the exe launcher): a private copy is signed and verified, then replaces it. */
export async function signFile(
  signer: Signer,
  file: string,
  what: 'installer' | 'launcher',
): Promise<SignResult> {
  const { logger, signing } = signer;
  const copy = join(signer.dir, `${what}.exe`);
  copyFileSync(file, copy);
  const result = await runCommand('/bin/sh', [signer.script, copy], { onLine: (line) => logger.info(line) });
  if (result.code !== 0) {
    const why =
      result.stderr.map((line) => line.trim()).find((line) => line !== '') ?? `exit code ${result.code}`;
    if (signing.source.kind === 'command') {
      throw new InputError('sign-command', `exited with status ${result.code} signing the ${what}: ${why}`);
    }
    throw new ActionError(`osslsigncode could not sign ${file}: ${why}`);
  }
  const verified = await verifySigned(signer, copy, what);
  if (verified.chainProblem) {
    logger.warning(
      `The ${what} is signed by ${verified.signer}, but its certificate chain does not verify on this ` +
        `machine (${verified.chainProblem}); Windows will show the publisher as unknown unless it trusts that certificate`,
    );
  }
  copyFileSync(copy, file);
  return verified;
}

/**
 * The uninstaller's signature, read from the copy the !uninstfinalize command kept of what makensis
 * packed; undefined when the script writes no uninstaller.
 */
export async function verifyUninstaller(signer: Signer): Promise<SignResult | undefined> {
  const copy = join(signer.dir, 'uninstaller.exe');
  return existsSync(copy) ? verifySigned(signer, copy, 'uninstaller') : undefined;
}
