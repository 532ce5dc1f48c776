// The action process killed with SIGKILL in the middle of its work, then run again: the release must
// converge to exactly the local files (names and sha256), with no temporary names left. The kill is
// triggered by what the server observes (an upload's bytes landing on its disk, a held request),
// never by a timer.

import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { upload, workspace } from '@forge-actions/testing/release-jobs';
import type { RunResult } from '@forge-actions/testing/run-action';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  type FaultHandle,
  type ForgeServer,
  type RecordedRequest,
  startForgeServer,
} from '../../packages/forge-server/src/index.js';

/** Large enough that the upload is still in flight when the kill lands. */
const BIG = 32 * 1024 * 1024;
const UPLOAD = /\/assets$/;
const PARTIAL = /\.forge-partial-[0-9a-f]{8}$/;

let server: ForgeServer;
let releaseId: number;
const cleanup: string[] = [];

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const assets = () => server.state.release(releaseId)?.assets ?? [];
const named = (name: string) => assets().filter((asset) => asset.name === name);
const uploadName = (request: RecordedRequest) => request.query.name ?? '';

function tracked(files: Record<string, string | Buffer>): string {
  const dir = workspace(files);
  cleanup.push(dir);
  return dir;
}

/** The run ended by the kill, not on its own (when it did, say how, or the failure explains nothing). */
function expectKilled(run: RunResult): void {
  if (run.signal === 'SIGKILL') return;
  const why =
    run.errors.join(' ') ||
    run.stderr
      .trim()
      .split('\n')
      .find((line) => /Error/.test(line));
  throw new Error(`the action was not killed: it ended with code ${run.code}${why ? `: ${why}` : ''}`);
}

/**
 * Runs the action and SIGKILLs it once the server has started storing the body of the first upload
 * `wanted` accepts (its 'body' event: part of the bytes arrived). Returns the run and that request.
 */
async function killMidBody(
  cwd: string,
  wanted: (request: RecordedRequest) => boolean,
): Promise<{ run: RunResult; request: RecordedRequest }> {
  let child: ChildProcess | undefined;
  let request: RecordedRequest | undefined;
  const onBody = (arrived: RecordedRequest) => {
    if (request || arrived.method !== 'POST' || !UPLOAD.test(arrived.path) || !wanted(arrived)) return;
    request = arrived;
    child?.kill('SIGKILL');
  };
  server.events.on('body', onBody);
  try {
    const run = await upload(server, cwd, { tag: 'v1.0.0' }, { onSpawn: (spawned) => (child = spawned) });
    expectKilled(run);
    if (!request) throw new Error('no upload body ever arrived');
    expect(request.bodyBytes).toBeLessThan(32 * 1024 * 1024);
    await server.idle();
    // The partial body was dropped, not kept on the server's disk.
    expect(readdirSync(join(server.dataDir, 'tmp'))).toEqual([]);
    return { run, request };
  } finally {
    server.events.off('body', onBody);
  }
}

/** Runs the action and SIGKILLs it once `fault` (a hold) has taken effect; then lets the held request go. */
async function killAtHold(cwd: string, fault: FaultHandle): Promise<RunResult> {
  const run = await upload(
    server,
    cwd,
    { tag: 'v1.0.0' },
    { onSpawn: (child) => void fault.reached().then(() => child.kill('SIGKILL')) },
  );
  expectKilled(run);
  // The request already reached the server, so it is handled to its end, as a real forge would.
  fault.release();
  await server.idle();
  return run;
}

/** The re-run succeeds and leaves exactly the local files on the release, with their sha256. */
async function rerunConverges(cwd: string): Promise<RunResult> {
  const run = await upload(server, cwd, { tag: 'v1.0.0' });
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);
  const local = readdirSync(join(cwd, 'build'))
    .sort()
    .map((name) => ({ name, sha256: sha256(readFileSync(join(cwd, 'build', name))), state: 'uploaded' }));
  const remote = assets()
    .map(({ name, sha256, state }) => ({ name, sha256, state }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  expect(remote).toEqual(local);
  return run;
}

describe.each(FLAVOURS)('upload-asset-dedup killed with SIGKILL on %s', (flavour) => {
  beforeEach(async () => {
    server = await startForgeServer({ flavour });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
  });
  afterEach(async () => {
    await server.close();
    for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test('a fresh upload killed mid-body: nothing half-stored; the re-run uploads it once', async () => {
    const cwd = tracked({ 'App.zip': randomBytes(BIG), 'notes.txt': 'small' });
    const { request } = await killMidBody(cwd, (r) => uploadName(r) === 'App.zip');
    // The server saw the client leave before the body was complete and answered nothing.
    expect(request).toMatchObject({ error: 'aborted', contentLength: BIG });
    expect(named('App.zip')).toEqual([]);

    const rerun = await rerunConverges(cwd);
    expect(JSON.parse(rerun.outputs.assets)).toContainEqual(
      expect.objectContaining({ name: 'App.zip', action: 'uploaded' }),
    );
  });

  test('a replacement killed while its bytes travel: the old asset stays intact; the re-run replaces it', async () => {
    const old = randomBytes(4096);
    await server.seed.addAsset(releaseId, 'App.zip', old);
    const cwd = tracked({ 'App.zip': randomBytes(BIG) });
    // On GitHub the new bytes go up under a temporary name; on Gitea under the name itself, beside the old.
    const { request } = await killMidBody(cwd, (r) =>
      flavour === 'github' ? PARTIAL.test(uploadName(r)) : uploadName(r) === 'App.zip',
    );
    expect(request.error).toBe('aborted');
    expect(assets().map(({ name, sha256, size }) => ({ name, sha256, size }))).toEqual([
      { name: 'App.zip', sha256: sha256(old), size: old.length },
    ]);

    const rerun = await rerunConverges(cwd);
    expect(rerun.outputs).toMatchObject({ replaced: '1', uploaded: '0' });
  });

  test('a replacement killed once its upload was stored, before the old copy was deleted', async () => {
    const old = randomBytes(4096);
    await server.seed.addAsset(releaseId, 'App.zip', old);
    const fresh = randomBytes(BIG);
    const cwd = tracked({ 'App.zip': fresh });
    // Held after the body is on the server's disk and before the asset appears; released after the kill,
    // so the upload completes on the server while its client is gone.
    const hold = server.faults.inject({ method: 'POST', path: UPLOAD, respond: { hold: true } });
    await killAtHold(cwd, hold);
    const left = assets().map(({ name, sha256 }) => ({ name, sha256 }));
    if (flavour === 'github') {
      expect(left).toEqual([
        { name: 'App.zip', sha256: sha256(old) },
        { name: expect.stringMatching(/^App\.zip\.forge-partial-[0-9a-f]{8}$/), sha256: sha256(fresh) },
      ]);
    } else {
      expect(left).toEqual([
        { name: 'App.zip', sha256: sha256(old) },
        { name: 'App.zip', sha256: sha256(fresh) },
      ]);
    }

    const rerun = await rerunConverges(cwd);
    if (flavour === 'github')
      expect(rerun.stdout).toMatch(/Removed leftovers of earlier runs: App\.zip\.forge-partial-/);
  });

  test('a replacement killed while the DELETE of the old copy is held', async () => {
    const old = randomBytes(4096);
    const oldAsset = await server.seed.addAsset(releaseId, 'App.zip', old);
    const fresh = randomBytes(BIG);
    const cwd = tracked({ 'App.zip': fresh });
    const hold = server.faults.inject({
      method: 'DELETE',
      path: new RegExp(`/assets/${oldAsset.id}$`),
      respond: { hold: true },
    });
    await killAtHold(cwd, hold);
    // The held DELETE went through after the kill; the rename (GitHub) never came.
    const left = assets().map(({ name, sha256 }) => ({ name, sha256 }));
    if (flavour === 'github') {
      expect(left).toEqual([
        { name: expect.stringMatching(/^App\.zip\.forge-partial-[0-9a-f]{8}$/), sha256: sha256(fresh) },
      ]);
    } else {
      expect(left).toEqual([{ name: 'App.zip', sha256: sha256(fresh) }]);
    }

    const rerun = await rerunConverges(cwd);
    if (flavour === 'github') {
      expect(rerun.stdout).toMatch(/Removed leftovers of earlier runs: App\.zip\.forge-partial-/);
      expect(rerun.outputs).toMatchObject({ uploaded: '1' });
    } else {
      expect(rerun.outputs).toMatchObject({ skipped: '1' });
    }
  });
});
