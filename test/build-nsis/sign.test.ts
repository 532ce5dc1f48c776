// Signing through the bundled action: a self-signed code-signing certificate made here with openssl,
// osslsigncode to sign and to read the signature back, and an RFC 3161 time-stamp server on 127.0.0.1
// answered by `openssl ts -reply`.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  annotations,
  build,
  demoProject,
  describeWithTools,
  makeSigningCertificate,
  payloadOf,
  SIGNER,
  type SigningCertificate,
  TOOLS,
  verify,
} from './support.js';

const execFileAsync = promisify(execFile);
const PASSWORD = 'pfx-Secret-4711';

interface Certificates extends SigningCertificate {
  dir: string;
}

/** The signing certificate plus a time-stamping authority's key, certificate and openssl ts config. */
function makeCertificates(): Certificates {
  const signing = makeSigningCertificate(PASSWORD);
  const dir = mkdtempSync(join(tmpdir(), 'build-nsis-tsa-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  // Its certificate must carry the critical timeStamping usage.
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.crt',
    '-days',
    '2',
    '-subj',
    '/CN=Forge Actions Test TSA',
    '-addext',
    'extendedKeyUsage=critical,timeStamping',
  );
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa_config',
      '[ tsa_config ]',
      `serial = ${join(dir, 'tsa-serial')}`,
      'crypto_device = builtin',
      `signer_cert = ${join(dir, 'tsa.crt')}`,
      `certs = ${join(dir, 'tsa.crt')}`,
      `signer_key = ${join(dir, 'tsa.key')}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  return { ...signing, dir };
}

/** An RFC 3161 server: each POSTed query is answered by `openssl ts -reply`; counts its requests. */
async function startTsa(dir: string): Promise<{ server: Server; url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const n = ++count;
      const query = join(dir, `query-${n}.tsq`);
      const reply = join(dir, `reply-${n}.tsr`);
      writeFileSync(query, Buffer.concat(chunks));
      try {
        await execFileAsync('openssl', [
          'ts',
          '-reply',
          '-config',
          join(dir, 'tsa.cnf'),
          '-queryfile',
          query,
          '-out',
          reply,
        ]);
        response.writeHead(200, { 'content-type': 'application/timestamp-reply' });
        response.end(readFileSync(reply));
      } catch (error) {
        response.writeHead(500);
        response.end(String(error));
      }
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/`, requests: () => count };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describeWithTools(
  'build-nsis signing',
  { makensis: TOOLS.makensis, '7z': TOOLS['7z'], osslsigncode: TOOLS.osslsigncode, openssl: TOOLS.openssl },
  () => {
    let certs: Certificates;
    let tsa: Awaited<ReturnType<typeof startTsa>>;
    beforeAll(async () => {
      certs = makeCertificates();
      tsa = await startTsa(certs.dir);
    });
    afterAll(async () => {
      await new Promise((closed) => tsa?.server.close(closed));
    });

    test('signs the installer, reads the signature back, never shows the password and leaves no key behind', async () => {
      const cwd = demoProject();
      const r = await build(cwd, {
        version: '1.0.0',
        'sign-pfx': certs.pfx,
        'sign-password': PASSWORD,
        'sign-description': 'Demo Setup',
      });
      expect(r.errors).toEqual([]);
      expect(r.code).toBe(0);

      const installer = r.outputs.installer;
      const bytes = readFileSync(installer);
      expect(r.outputs.sha256).toBe(sha256(bytes));
      expect(r.outputs.size).toBe(String(bytes.length));
      const signature = verify(installer);
      expect(signature).toContain(`Subject: /CN=${SIGNER}`);
      expect(signature).toContain('Text description: Demo Setup');
      expect(signature).toMatch(
        /Current message digest\s*: ([0-9A-F]+)[\s\S]*Calculated message digest\s*: \1/,
      );
      execFileSync('osslsigncode', [
        'extract-signature',
        '-in',
        installer,
        '-out',
        join(r.runnerTemp, 'sig.der'),
      ]);
      // Still an NSIS installer with its payload after the signature was added.
      expect(payloadOf(installer)).toContain('app/demo/main.py');

      // The self-signed chain cannot verify here: a warning, not a failure.
      expect(annotations(r.stdout, 'warning').map((w) => w.message)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^The installer is signed by /CN=${SIGNER}, but its certificate chain does not verify on this machine \\(self-signed certificate\\)`,
          ),
        ),
      ]);
      expect(r.summary).toContain(`| signed | installer: /CN=${SIGNER} (chain not verified here) |`);

      // The password reaches the runner only as a mask request; it is read from a file, never an argument.
      const leaks = (secret: string) =>
        `${r.stdout}\n${r.stderr}\n${r.summary}`
          .split('\n')
          .filter((line) => line.includes(secret) && !line.startsWith('::add-mask::'));
      expect(leaks(PASSWORD)).toEqual([]);
      expect(leaks(certs.pfx.slice(0, 40))).toEqual([]);
      expect(r.stdout).toContain('-readpass ');
      expect(r.stdout).not.toMatch(/ -pass /);
      expect(readdirSync(r.runnerTemp).filter((name) => name.startsWith('sign-'))).toEqual([]);
    });

    test('a PFX without a password signs too', async () => {
      const r = await build(demoProject(), { 'sign-pfx': certs.pfxNoPassword });
      expect(r.errors).toEqual([]);
      expect(verify(r.outputs.installer)).toContain(`Subject: /CN=${SIGNER}`);
      expect(r.stdout).not.toContain('-readpass');
    });

    test('sign-timestamp-url: the signature carries a time stamp from the server', async () => {
      const before = tsa.requests();
      const r = await build(demoProject(), {
        'sign-pfx': certs.pfx,
        'sign-password': PASSWORD,
        'sign-timestamp-url': tsa.url,
      });
      expect(r.errors).toEqual([]);
      expect(tsa.requests()).toBe(before + 1);
      expect(verify(r.outputs.installer)).toMatch(/Timestamp time: /);
      expect(r.summary).toContain(
        `| signed | installer: /CN=${SIGNER} (chain not verified here), time-stamped |`,
      );
    });

    test('a wrong sign-password fails as an input error before anything is built', async () => {
      const cwd = demoProject();
      const r = await build(cwd, { 'sign-pfx': certs.pfx, 'sign-password': 'wrong-password' });
      expect(r.errors).toEqual([
        "Input 'sign-password' does not open the PFX given in sign-pfx (mac verify failure)",
      ]);
      expect(readdirSync(join(cwd, 'build'))).toEqual([]);
    });

    test('sign-password without sign-pfx: built unsigned, with a warning', async () => {
      const r = await build(demoProject(), { 'sign-password': PASSWORD });
      expect(r.code).toBe(0);
      expect(r.warnings).toEqual(['sign-password is set but sign-pfx is empty: the installer is not signed']);
      expect(verify(r.outputs.installer)).toContain('No signature found');
      expect(r.summary).toContain('| signed | no |');
    });
  },
);
