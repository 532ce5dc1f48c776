import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError, InputError } from '@forge-actions/action-kit/errors';
import { runCommand } from '@forge-actions/system';
import type { KeySource } from './sign-inputs.js';

type Pkcs11Source = Extract<KeySource, { kind: 'pkcs11' }>;

/**
 * What osslsigncode's output (libp11's engine and OpenSSL's error lines) says went wrong, as one line
 * naming the input at fault. The PIN test comes first: a refused login also reports the key as not found.
 * @internal Exported for its unit tests.
 */
export function pkcs11Failure(lines: string[], source: Pkcs11Source): ActionError {
  const text = lines.join('\n');
  if (/PIN incorrect|CKR_PIN_INCORRECT/i.test(text)) {
    return new InputError(
      source.pinInput,
      'is not the PIN of the token that sign-key-uri names (PIN incorrect)',
    );
  }
  if (/PIN locked|CKR_PIN_LOCKED/i.test(text)) {
    return new InputError(source.pinInput, 'cannot be tried: the token has locked its PIN');
  }
  if (/Failed to set 'dynamic' engine|engine "?pkcs11"? .*not (found|available)|dso not found/i.test(text)) {
    return new ActionError(
      "osslsigncode cannot load OpenSSL's PKCS#11 engine: install the package libengine-pkcs11-openssl",
    );
  }
  if (/Unable to load (PKCS#11 )?module/i.test(text)) {
    return new InputError('sign-pkcs11-module', `is not a PKCS#11 module that loads: ${source.module}`);
  }
  if (/certificate was not found at|Failed to load certificate/i.test(text)) {
    return new InputError('sign-cert', 'names no certificate in the token');
  }
  if (/private key was not found at|No matching initialized token|Login failed/i.test(text)) {
    return new InputError('sign-key-uri', `names no private key in the token (${source.keyUri})`);
  }
  if (/No certificate found|consistency of a private key/i.test(text)) {
    return new InputError('sign-cert', 'does not hold the certificate of the key sign-key-uri names');
  }
  const why = lines.map((line) => line.trim()).find((line) => /^Failed to |error:/.test(line));
  return new ActionError(`osslsigncode cannot sign with the PKCS#11 key: ${why ?? 'see the log'}`);
}

/**
 * Signs a one-line PowerShell script (a format osslsigncode signs without a PE file) with the token's
 * key before anything is built. A wrong PIN, a key or certificate the token does not hold or a module
 * that does not load fails here as one line naming its input, and the PIN is tried once, not once per
 * file: tokens lock after a few wrong PINs. `keyArgs` are osslsigncode's key options.
 */
export async function checkPkcs11Key(
  osslsigncode: string,
  keyArgs: string[],
  source: Pkcs11Source,
  dir: string,
): Promise<void> {
  const probe = join(dir, 'probe.ps1');
  writeFileSync(probe, 'Write-Output "build-nsis key check"\r\n');
  const result = await runCommand(osslsigncode, [
    'sign',
    ...keyArgs,
    '-in',
    probe,
    '-out',
    `${probe}.signed`,
  ]);
  if (result.code !== 0) throw pkcs11Failure([...result.stdout, ...result.stderr], source);
}
