// The PKCS#11 key URI, osslsigncode's failures with libp11's engine (captured from osslsigncode 2.9 with
// SoftHSM2 and libengine-pkcs11-openssl 0.4.12), and the uninstaller signing makensis is given.
import { describe, expect, test } from '@jest/globals';
import { makensisArgs, makensisError } from '../src/makensis.js';
import { pkcs11Failure } from '../src/pkcs11-check.js';
import { splitPinValue } from '../src/pkcs11-uri.js';

describe('splitPinValue', () => {
  test('takes pin-value out of the query or the path, percent-decoded, keeping the rest in order', () => {
    expect(
      splitPinValue('sign-key-uri', 'pkcs11:token=T;object=K;type=private?module-name=x&pin-value=12%2534'),
    ).toEqual({
      uri: 'pkcs11:token=T;object=K;type=private?module-name=x',
      pin: '12%34',
      pinAsWritten: '12%2534',
    });
    expect(splitPinValue('sign-key-uri', 'pkcs11:token=T;pin-value=9876;object=K')).toEqual({
      uri: 'pkcs11:token=T;object=K',
      pin: '9876',
      pinAsWritten: '9876',
    });
    expect(splitPinValue('sign-key-uri', 'pkcs11:object=K')).toEqual({
      uri: 'pkcs11:object=K',
      pin: '',
      pinAsWritten: '',
    });
  });

  test('refuses what is no pkcs11: URI or a broken escape, without repeating the value', () => {
    expect(() => splitPinValue('sign-key-uri', 'token=T;pin-value=4711')).toThrow(
      "Input 'sign-key-uri' must be an RFC 7512 pkcs11: URI (e.g. pkcs11:token=MyToken;object=MyKey)",
    );
    expect(() => splitPinValue('sign-key-uri', 'pkcs11:object=K?pin-value=47%zz11')).toThrow(
      "Input 'sign-key-uri' has a pin-value whose %-escapes are not valid",
    );
  });
});

describe('pkcs11Failure', () => {
  const source = {
    kind: 'pkcs11' as const,
    module: '/usr/lib/softhsm/libsofthsm2.so',
    keyUri: 'pkcs11:token=signing;object=codesign;type=private',
    cert: { file: '/tmp/cert.pem' },
    pin: 'x',
    pinInput: 'sign-pin' as const,
  };
  const message = (lines: string[], pinInput: 'sign-pin' | 'sign-key-uri' = 'sign-pin') =>
    pkcs11Failure(lines, { ...source, pinInput }).message;

  const wrongPin = [
    'Engine "pkcs11" set.',
    'Failed',
    'Login failed',
    'Login to token failed, returning NULL...',
    'The private key was not found at: pkcs11:token=signing;object=codesign;type=private',
    'Failed to read key or certificates',
    '4050032AC67F0000:error:430000A0:PKCS#11 module:ERR_CKR_error:PIN incorrect:p11_slot.c:208:',
  ];

  test('a wrong PIN blames the input it came from, before the key the refused login could not find', () => {
    expect(message(wrongPin)).toBe(
      "Input 'sign-pin' is not the PIN of the token that sign-key-uri names (PIN incorrect)",
    );
    expect(message(wrongPin, 'sign-key-uri')).toMatch(/^Input 'sign-key-uri' is not the PIN/);
  });

  test('a key, certificate or module the token does not have, and a missing engine', () => {
    expect(
      message([
        'The private key was not found at: pkcs11:token=signing;object=nokey;type=private',
        'PKCS11_get_private_key returned NULL',
        '40400E72C07F0000:error:42000065:pkcs11 engine:ERR_ENG_error:object not found:eng_back.c:887:',
      ]),
    ).toBe(`Input 'sign-key-uri' names no private key in the token (${source.keyUri})`);
    expect(message(['No matching initialized token was found for private key'])).toMatch(
      /^Input 'sign-key-uri' /,
    );
    expect(
      message([
        'The certificate was not found at: pkcs11:token=signing;object=nocert;type=cert',
        'Failed to load certificate pkcs11:token=signing;object=nocert;type=cert',
      ]),
    ).toBe("Input 'sign-cert' names no certificate in the token");
    expect(
      message([
        'Failed to checking the consistency of a private key: pkcs11:token=signing;object=codesign;type=private',
        '          with a public key in any X509 certificate: c2.pem',
      ]),
    ).toBe("Input 'sign-cert' does not hold the certificate of the key sign-key-uri names");
    expect(
      message([
        '/usr/lib/nothere.so: cannot open shared object file: No such file or directory',
        'Unable to load module /usr/lib/nothere.so',
      ]),
    ).toBe(`Input 'sign-pkcs11-module' is not a PKCS#11 module that loads: ${source.module}`);
    expect(message(["Failed to set 'dynamic' engine", 'dso not found:../crypto/engine/eng_dyn.c:433:'])).toBe(
      "osslsigncode cannot load OpenSSL's PKCS#11 engine: install the package libengine-pkcs11-openssl",
    );
  });
});

describe('the uninstaller signed through !uninstfinalize', () => {
  const finalize = { command: '/bin/sh /t/sign.sh "%1"', input: 'sign-command' };

  test('makensis gets it with -X, failing unless the command returns 0', () => {
    expect(
      makensisArgs({
        script: '/w/a.nsi',
        defines: [],
        warningsAsErrors: false,
        reproducible: true,
        uninstFinalize: finalize,
      }),
    ).toEqual(['-V3', '-XSetDateSave off', `-X!uninstfinalize '/bin/sh /t/sign.sh "%1"' = 0`, '/w/a.nsi']);
  });

  test("its failure names the key source's input with the command's exit status and first error line", () => {
    const stderr = [
      'cannot reach the key vault',
      'UninstFinalize command returned 768, aborting',
      'Error - aborting creation process',
    ];
    const error = makensisError([], stderr, '/w/a.nsi', (path) => path, 'sign-command');
    expect(error.message).toBe(
      "Input 'sign-command' failed on the uninstaller makensis wrote (exit status 3): cannot reach the key vault",
    );
  });
});
