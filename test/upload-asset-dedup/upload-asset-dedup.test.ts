import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { nameCounts, upload, workspace } from '@forge-actions/testing/release-jobs';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

let server: ForgeServer;
let releaseId: number;

const assetsNamed = (name: string) =>
  server.state.release(releaseId)?.assets.filter((a) => a.name === name) ?? [];
const uploads = () => server.requests.filter((r) => r.method === 'POST' && /\/assets$/.test(r.path));
async function bytesOf(name: string): Promise<string> {
  const [asset] = assetsNamed(name);
  return (await server.state.readAsset(asset.id)).toString();
}

describe.each(FLAVOURS)('upload-asset-dedup on %s', (flavour) => {
  beforeEach(async () => {
    server = await startForgeServer({ flavour });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
  });
  afterEach(async () => {
    await server.close();
  });

  test('uploads, then a re-run with the same files uploads and duplicates nothing', async () => {
    const cwd = workspace({ 'App.zip': 'zip bytes', 'App-setup.exe': 'exe bytes' });
    const first = await upload(server, cwd, { tag: 'v1.0.0' });
    expect(first.errors).toEqual([]);
    expect(first.outputs).toMatchObject({ uploaded: '2', replaced: '0', skipped: '0' });
    const assets = JSON.parse(first.outputs.assets);
    expect(assets.map((a: { name: string; action: string }) => [a.name, a.action])).toEqual([
      ['App-setup.exe', 'uploaded'],
      ['App.zip', 'uploaded'],
    ]);
    expect(assets[1]).toMatchObject({
      size: 9,
      sha256: execFileSync('sha256sum', [join(cwd, 'build', 'App.zip')], { encoding: 'utf8' }).split(' ')[0],
    });
    expect(first.summary).toContain('| uploaded |');

    const before = uploads().length;
    const again = await upload(server, cwd, { 'release-id': String(releaseId) });
    expect(again.code).toBe(0);
    expect(again.outputs).toMatchObject({ uploaded: '0', replaced: '0', skipped: '2' });
    expect(uploads().length).toBe(before);
    expect(assetsNamed('App.zip')).toHaveLength(1);
    expect(assetsNamed('App-setup.exe')).toHaveLength(1);
  });

  test('a changed file of the same size is replaced, not skipped; the name is never missing longer than one step', async () => {
    await server.seed.addAsset(releaseId, 'App.zip', 'old bytes');
    const cwd = workspace({ 'App.zip': 'new bytes' });
    const r = await upload(server, cwd, { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ uploaded: '0', replaced: '1', skipped: '0' });
    expect(assetsNamed('App.zip')).toHaveLength(1);
    expect(await bytesOf('App.zip')).toBe('new bytes');
    const timeline = nameCounts(server.changes, releaseId, 'App.zip');
    if (flavour !== 'github') {
      // Upload beside the old copy, then delete it: the name is held at every moment.
      expect(timeline).toEqual([
        { kind: 'asset-added', count: 1 },
        { kind: 'asset-added', count: 2 },
        { kind: 'asset-deleted', count: 1 },
      ]);
    } else {
      // The bytes go up under a temporary name; the name is missing only between DELETE and rename.
      expect(timeline).toEqual([
        { kind: 'asset-added', count: 1 },
        { kind: 'asset-deleted', count: 0 },
        { kind: 'asset-renamed', count: 1 },
      ]);
      const changes = server.changes.filter((c) => c.releaseId === releaseId);
      const deleted = changes.findIndex((c) => c.kind === 'asset-deleted');
      expect(changes[deleted + 1].kind).toBe('asset-renamed');
      const added = changes.filter((c) => c.kind === 'asset-added').at(-1);
      expect(added?.name).toMatch(/^App\.zip\.forge-partial-[0-9a-f]{8}$/);
    }
  });

  test.each([
    ['a 500 on the first attempt', { status: 500 }],
    ['a connection reset mid-body', { reset: 'mid-body' as const }],
    ['a 429 with Retry-After', { status: 429, retryAfter: 1 }],
  ])('%s: the asset ends up once with the right bytes', async (_name, respond) => {
    server.faults.inject({ method: 'POST', path: /\/assets$/, nth: 1, respond });
    const cwd = workspace({ 'App.zip': Buffer.alloc(256 * 1024, 7) });
    const r = await upload(server, cwd, { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(uploads().length).toBe(2);
    expect(assetsNamed('App.zip')).toHaveLength(1);
    expect(assetsNamed('App.zip')[0].size).toBe(256 * 1024);
  });

  test('SHA256SUMS lists every asset and verifies with sha256sum -c', async () => {
    await server.seed.addAsset(releaseId, 'other.txt', 'uploaded by another job');
    const cwd = workspace({ 'App.zip': 'zip', 'App-setup.exe': 'exe' });
    // No digest record in the body (update-body false): SHA256SUMS is what vouches on the re-run.
    const inputs = { tag: 'v1.0.0', checksums: 'sha256', 'update-body': 'false' };
    const r = await upload(server, cwd, inputs);
    expect(r.errors).toEqual([]);
    const sums = JSON.parse(r.outputs.assets).find((a: { name: string }) => a.name === 'SHA256SUMS');
    expect(sums).toMatchObject({ action: 'uploaded', id: assetsNamed('SHA256SUMS')[0].id });
    const dir = mkdtempSync(join(tmpdir(), 'sums-check-'));
    for (const name of ['App.zip', 'App-setup.exe', 'other.txt', 'SHA256SUMS']) {
      writeFileSync(join(dir, name), await server.state.readAsset(assetsNamed(name)[0].id));
    }
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toBe(
      'App-setup.exe: OK\nApp.zip: OK\nother.txt: OK\n',
    );
    const before = server.requests.length;
    const again = await upload(server, cwd, inputs);
    expect(again.outputs).toMatchObject({ uploaded: '0', replaced: '0', skipped: '3' });
    // Gitea has no digests: SHA256SUMS is read once, and it vouches for the other files.
    const downloads = server.requests
      .slice(before)
      .filter((r) => r.method === 'GET' && !r.path.includes('/api/'));
    expect(downloads).toHaveLength(flavour !== 'github' ? 1 : 0);
  });

  test("a re-run proves files unchanged without downloading them: GitHub's digest, else the body's digest record", async () => {
    const cwd = workspace({ 'App.zip': 'zip bytes', 'App-setup.exe': 'exe bytes', 'notes.txt': 'notes' });
    const first = await upload(server, cwd, { tag: 'v1.0.0' });
    expect(first.errors).toEqual([]);
    const body = server.state.release(releaseId)?.body ?? '';
    // Gitea and Forgejo report no digest: the run records the ones it uploaded, in a comment that
    // shows nothing; GitHub's own digests need no record.
    if (flavour === 'github') expect(body).toBe('');
    else expect(body).toMatch(/^<!-- forge-actions:generated -->\n<!-- forge-actions:digests \{.+\} -->\n/);

    const before = server.requests.length;
    const again = await upload(server, cwd, { tag: 'v1.0.0' });
    expect(again.outputs).toMatchObject({ uploaded: '0', replaced: '0', skipped: '3' });
    const requests = server.requests.slice(before);
    expect(requests.filter((r) => r.method === 'GET' && !r.path.includes('/api/'))).toEqual([]);
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(again.stdout).not.toContain('downloading it to hash');
  });

  test("a record entry whose size is not the asset's is not trusted: the asset is downloaded, and the log says so", async () => {
    const asset = await server.seed.addAsset(releaseId, 'App.zip', 'old bytes');
    const sha = createHash('sha256').update('new bytes').digest('base64url');
    const record = `<!-- forge-actions:digests {"${asset.id}":[8,"${sha}"]} -->`;
    server.seed.setBody(
      releaseId,
      `<!-- forge-actions:generated -->\n${record}\n<!-- forge-actions:generated -->`,
    );
    const r = await upload(server, workspace({ 'App.zip': 'new bytes' }), { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ replaced: '1', skipped: '0' });
    if (flavour !== 'github') {
      expect(r.stdout).toContain(
        `App.zip (asset ${asset.id}): no digest from the forge, this run, SHA256SUMS or the release body's record; downloading it to hash`,
      );
    }
    expect(await bytesOf('App.zip')).toBe('new bytes');
  });

  test('a SHA256SUMS entry never speaks for a file uploaded after it (same name, same size, other bytes)', async () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    await server.seed.addAsset(releaseId, 'SHA256SUMS', `${sha('old bytes')}  App.zip\n`);
    // Another job replaced App.zip after that SHA256SUMS was written (Gitea has no digest to tell).
    await server.seed.addAsset(releaseId, 'App.zip', 'new bytes');
    const r = await upload(server, workspace({ 'Other.zip': 'other' }), {
      tag: 'v1.0.0',
      checksums: 'sha256',
    });
    expect(r.errors).toEqual([]);
    const sums = (await server.state.readAsset(assetsNamed('SHA256SUMS')[0].id)).toString();
    expect(sums).toBe(`${sha('new bytes')}  App.zip\n${sha('other')}  Other.zip\n`);
  });

  test('leftovers of a killed run (temporary names, broken uploads) are cleaned up', async () => {
    await server.seed.addAsset(releaseId, 'App.zip.forge-partial-0badc0de', 'half');
    await server.seed.addAsset(releaseId, 'Other.zip.forge-partial-12345678', 'not ours to touch');
    if (flavour === 'github')
      await server.seed.addAsset(releaseId, 'App-setup.exe', 'bro', { state: 'starter' });
    const cwd = workspace({ 'App.zip': 'zip', 'App-setup.exe': 'exe' });
    const r = await upload(server, cwd, { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    const names = (server.state.release(releaseId)?.assets ?? []).map((a) => a.name).sort();
    expect(names).toEqual(['App-setup.exe', 'App.zip', 'Other.zip.forge-partial-12345678']);
    expect(await bytesOf('App-setup.exe')).toBe('exe');
  });

  test('the downloads table in the generated section is rebuilt from the assets, text outside untouched', async () => {
    await server.close();
    server = await startForgeServer({ flavour });
    const rows = JSON.stringify([
      { label: 'Windows', file: 'App.zip' },
      { label: 'Linux', file: 'App.tar.gz' },
    ]);
    const generated = `## Downloads\n\nold table\n\n<!-- forge-actions:downloads ${rows} -->`;
    const body = `Hand-written notes.\n\n<!-- forge-actions:generated -->\n${generated}\n<!-- forge-actions:generated -->\n\nFooter.`;
    releaseId = server.seed.createRelease({ tag: 'v1.0.0', body }).id;
    const cwd = workspace({ 'App.zip': 'zip' });
    const r = await upload(server, cwd, { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    const after = server.state.release(releaseId)?.body ?? '';
    expect(after.startsWith('Hand-written notes.\n\n<!-- forge-actions:generated -->\n## Downloads')).toBe(
      true,
    );
    expect(after.endsWith('<!-- forge-actions:generated -->\n\nFooter.')).toBe(true);
    const [asset] = assetsNamed('App.zip');
    expect(after).toContain(`| Windows | [\`App.zip\`](${server.url}`);
    expect(after).toContain(`| 3 B | \`${asset.sha256}\` |`);
    expect(after).toContain('| Linux | `App.tar.gz` |  |  |');
  });
});

describe.each(FLAVOURS)('upload-asset-dedup in parallel jobs on %s', (flavour) => {
  afterEach(async () => {
    await server.close();
  });

  test('three build jobs uploading their own files leave one complete downloads table', async () => {
    server = await startForgeServer({ flavour });
    const files = ['App-setup.exe', 'App-win-x64.zip', 'App-linux-x64.tar.gz'];
    const rows = JSON.stringify(files.map((file) => ({ label: file.split('.')[0], file })));
    const generated = `## Downloads\n\n<!-- forge-actions:downloads ${rows} -->`;
    const body = `Notes.\n\n<!-- forge-actions:generated -->\n${generated}\n<!-- forge-actions:generated -->`;
    releaseId = server.seed.createRelease({ tag: 'v1.0.0', body }).id;
    const job = (file: string) =>
      upload(server, workspace({ [file]: `bytes of ${file}` }), { tag: 'v1.0.0' });
    // The first job's table (its own file only) is held on its way to the server until the other
    // jobs have written theirs: it lands last and stale, so the job must notice and write again.
    const hold = server.faults.inject({
      method: 'PATCH',
      path: /\/releases\/\d+$/,
      nth: 1,
      respond: { hold: true },
    });
    const first = job(files[0]);
    await hold.reached(1);
    const others = await Promise.all(files.slice(1).map(job));
    hold.release();
    const runs = [await first, ...others];
    expect(runs.map((r) => r.errors)).toEqual([[], [], []]);
    expect(runs[0].stdout).toContain(
      'The release changed while its generated section was written; writing it again.',
    );
    const after = server.state.release(releaseId)?.body ?? '';
    for (const file of files) {
      const [asset] = assetsNamed(file);
      expect(after).toContain(`[\`${file}\`](`);
      expect(after).toContain(`\`${asset.sha256}\``);
    }
  });
});

describe('upload-asset-dedup on gitea only', () => {
  afterEach(async () => {
    await server.close();
  });

  test('a release holding 3 copies of App.zip ends with exactly one, the new bytes', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
    for (const copy of ['one', 'two', 'three']) await server.seed.addAsset(releaseId, 'App.zip', copy);
    const r = await upload(server, workspace({ 'App.zip': 'fresh' }), { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ replaced: '1' });
    expect(assetsNamed('App.zip')).toHaveLength(1);
    expect(await bytesOf('App.zip')).toBe('fresh');
    expect(Math.min(...nameCounts(server.changes, releaseId, 'App.zip').map((t) => t.count))).toBeGreaterThan(
      0,
    );
  });

  test('links handed out are by name, even while two assets share a name (Gitea then answers /attachments/ links)', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    const rows = JSON.stringify([{ label: 'Windows', file: 'App.zip' }]);
    const body = `<!-- forge-actions:generated -->\n## Downloads\n\n<!-- forge-actions:downloads ${rows} -->\n<!-- forge-actions:generated -->`;
    releaseId = server.seed.createRelease({ tag: 'v1.0.0', body }).id;
    await server.seed.addAsset(releaseId, 'notes.txt', 'one');
    await server.seed.addAsset(releaseId, 'notes.txt', 'two');
    const r = await upload(server, workspace({ 'App.zip': 'zip' }), { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    const stable = `${server.url}/octo/app/releases/download/v1.0.0/App.zip`;
    expect(JSON.parse(r.outputs.assets)[0].url).toBe(stable);
    expect(r.summary).toContain(`[App.zip](${stable})`);
    expect(server.state.release(releaseId)?.body).toContain(`[\`App.zip\`](${stable})`);
  });

  test('a file large enough to be hashed on a worker thread reports the digest sha256sum computes', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    server.seed.createRelease({ tag: 'v1.0.0' });
    const cwd = workspace({ 'big.bin': 'head' });
    truncateSync(join(cwd, 'build', 'big.bin'), 9 * 1024 * 1024);
    const r = await upload(server, cwd, { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    const sha256 = execFileSync('sha256sum', [join(cwd, 'build', 'big.bin')], { encoding: 'utf8' }).split(
      ' ',
    )[0];
    expect(JSON.parse(r.outputs.assets)[0]).toMatchObject({ name: 'big.bin', size: 9 * 1024 * 1024, sha256 });
  });

  test('a 0-byte file is taken (Gitea answers 201, size 0)', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
    const r = await upload(server, workspace({ 'empty.txt': '' }), { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    expect(assetsNamed('empty.txt')).toMatchObject([{ size: 0 }]);
  });

  test('on-duplicate skip keeps the newest of duplicate copies and removes the others', async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
    await server.seed.addAsset(releaseId, 'App.zip', 'older copy');
    const newest = await server.seed.addAsset(releaseId, 'App.zip', 'newer copy');
    const r = await upload(server, workspace({ 'App.zip': 'local bytes' }), {
      tag: 'v1.0.0',
      'on-duplicate': 'skip',
    });
    expect(r.errors).toEqual([]);
    expect(JSON.parse(r.outputs.assets)[0]).toMatchObject({ id: newest.id, action: 'skipped' });
    expect(assetsNamed('App.zip').map((a) => a.id)).toEqual([newest.id]);
  });

  test('Gitea before 1.22 takes multipart uploads only, and works', async () => {
    server = await startForgeServer({ flavour: 'gitea', giteaVersion: '1.21.0' });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
    const r = await upload(server, workspace({ 'App.zip': 'zip via multipart' }), { tag: 'v1.0.0' });
    expect(r.errors).toEqual([]);
    expect(uploads()[0].contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(await bytesOf('App.zip')).toBe('zip via multipart');
  });
});

describe('upload-asset-dedup bad input: one line naming the input, nothing uploaded or deleted', () => {
  beforeEach(async () => {
    server = await startForgeServer({ flavour: 'gitea' });
    releaseId = server.seed.createRelease({ tag: 'v1.0.0' }).id;
  });
  afterEach(async () => {
    await server.close();
  });

  test.each([
    ['files', { tag: 'v1.0.0', files: 'dist/*.whl' }, /^Input 'files' matched no files/],
    [
      'files',
      { tag: 'v1.0.0', files: '../*' },
      /^Input 'files' pattern '\.\.\/\*' points outside the workspace/,
    ],
    ['release-id', { tag: 'v1.0.0', 'release-id': '7' }, /^Input 'release-id' and 'tag' were both given/],
    ['release-id', {}, /^Input 'release-id' or 'tag' must be given/],
    [
      'concurrency',
      { tag: 'v1.0.0', concurrency: '0' },
      /^Input 'concurrency' must be a whole number of at least 1/,
    ],
    ['checksums', { tag: 'v1.0.0', checksums: 'md5' }, /^Input 'checksums' must be one of none, sha256/],
  ])('%s', async (_input, inputs, message) => {
    const r = await upload(server, workspace({ 'App.zip': 'zip' }), inputs);
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  test('a release that does not exist', async () => {
    const r = await upload(server, workspace({ 'App.zip': 'zip' }), { tag: 'v9.9.9' });
    expect(r.errors).toEqual(['octo/app has no release for tag v9.9.9; create it first (create-release).']);
    expect(server.requests.filter((q) => q.method !== 'GET')).toHaveLength(0);
  });
});
