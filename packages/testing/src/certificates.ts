// Test certificates made with openssl.
import { execFileSync } from 'node:child_process';

/** A self-signed code-signing key and certificate, written as `key.pem` and `cert.pem` into `dir`. */
export function selfSignedCodeSigning(dir: string, subject: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '2',
      '-subj',
      `/CN=${subject}`,
      '-addext',
      'extendedKeyUsage=codeSigning',
    ],
    { cwd: dir, stdio: 'pipe' },
  );
}
