// Hardening (issue 14) of upload-asset-dedup as a runner runs it, against the local forge server: file
// names that would forge log lines, folders whose names start with two dots, and matches that are not
// regular files.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { upload, workspace } from '@forge-actions/testing/release-jobs';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

let server: ForgeServer;
let releaseId: number;

const assetNames = () => server.state.release(releaseId)?.assets.map((a) => a.name) ?? [];
const changes = () => server.requests.filter((r) => r.method !== 'GET');

/**
 * A FIFO at `path`, with a writer that opens it and closes it again and again: a reader that opens it
 * (the bug) reads an empty file instead of hanging the test. Returns a function that ends the writer.
 */
function fifo(path: string): () => void {
  execFileSync('mkfifo', [path]);
  // Each open() blocks until a reader comes; then nothing is written and the FIFO is closed.
  const writer = spawn('sh', ['-c', 'while :; do : > "$0"; done', path], { stdio: 'ignore' });
  return () => {
    if (writer.exitCode === null && writer.signalCode === null) writer.kill();
  };
}

describe.each(FLAVOURS)('upload-asset-dedup hardening on %s', (flavour) => {
  beforeEach(async () => {
    server = await startForgeServer({ flavour });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
  });
  afterEach(async () => {
    await server.close();
  });

  test('hardening 12: a file name with a newline is refused in one line and forges no workflow command', async () => {
    const cwd = workspace({ 'App.txt': 'fine', 'a\n::warning::pwned.txt': 'evil' });
    const r = await upload(server, cwd, { tag: 'v1.0.0', files: 'build/*.txt' });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      "Input 'files' matched 'build/a\\n::warning::pwned.txt', whose name holds a control character (\\n); " +
        'rename it: such a name breaks logs and downloads',
    ]);
    for (const line of r.stdout.split('\n')) expect(line.trimStart()).not.toMatch(/^::warning::pwned/);
    expect(changes()).toEqual([]);
    expect(assetNames()).toEqual([]);
  });

  test('hardening 14: files in a workspace folder named ..dist are uploaded', async () => {
    const cwd = workspace({});
    mkdirSync(join(cwd, '..dist'));
    writeFileSync(join(cwd, '..dist', 'App.zip'), 'zip bytes');
    const r = await upload(server, cwd, { tag: 'v1.0.0', files: '..dist/*.zip' });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ uploaded: '1' });
    expect(assetNames()).toEqual(['App.zip']);
  });

  test('hardening 15: a FIFO matched by the glob is refused as not a regular file, before any request', async () => {
    const cwd = workspace({ 'App.zip': 'zip' });
    const release = fifo(join(cwd, 'build', 'pipe.zip'));
    try {
      const r = await upload(server, cwd, { tag: 'v1.0.0', files: 'build/*.zip' });
      expect(r.code).toBe(1);
      expect(r.errors).toEqual([
        "Input 'files' matched 'build/pipe.zip', which is not a regular file (a FIFO)",
      ]);
      expect(changes()).toEqual([]);
    } finally {
      release();
    }
  });

  test('hardening 15: a dangling symlink matched by a glob is named in a warning; the other files upload', async () => {
    const cwd = workspace({ 'App.zip': 'zip' });
    symlinkSync('../dist/gone.zip', join(cwd, 'build', 'gone.zip'));
    const r = await upload(server, cwd, { tag: 'v1.0.0', files: 'build/*.zip' });
    expect(r.code).toBe(0);
    expect(r.warnings).toEqual([
      "'build/gone.zip' is a symlink whose target (../dist/gone.zip) is missing; skipped",
    ]);
    expect(assetNames()).toEqual(['App.zip']);
  });

  test('hardening 15: a dangling symlink named explicitly is an error naming it, before any request', async () => {
    const cwd = workspace({ 'App.zip': 'zip' });
    symlinkSync('../dist/gone.zip', join(cwd, 'build', 'gone.zip'));
    const r = await upload(server, cwd, { tag: 'v1.0.0', files: 'build/App.zip\nbuild/gone.zip' });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      "Input 'files' names 'build/gone.zip', a symlink whose target (../dist/gone.zip) is missing",
    ]);
    expect(changes()).toEqual([]);
  });
});
