// Many build jobs uploading to one release at once, as the seed's release workflow runs them: real
// bundles started together, many rounds. PARALLEL_ROUNDS raises the rounds (the issue asks for 20+ when
// the asset code changes).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { upload, workspace } from '@forge-actions/testing/release-jobs';
import { afterEach, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

const ROUNDS = Number(process.env.PARALLEL_ROUNDS ?? 3);
const flavours = FLAVOURS;

let server: ForgeServer;
afterEach(async () => {
  await server?.close();
});

interface Reported {
  name: string;
  id: number;
  sha256: string;
}

/** Every asset of the release, downloaded into a folder, checked with `sha256sum -c SHA256SUMS`. */
async function checkSums(releaseId: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sums-check-'));
  for (const asset of server.state.release(releaseId)?.assets ?? []) {
    writeFileSync(join(dir, asset.name), await server.state.readAsset(asset.id));
  }
  return execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
}

describe.each(flavours)('parallel upload jobs with checksums: sha256 on %s', (flavour) => {
  test.each([2, 4, 8])(
    '%i jobs, each its own files, started at once: every file once, one complete SHA256SUMS, every job green',
    async (jobs) => {
      for (let round = 1; round <= ROUNDS; round++) {
        server = await startForgeServer({ flavour });
        const releaseId = server.seed.createRelease({ tag: 'v1.0.0', draft: true }).id;
        const files = Array.from({ length: jobs }, (_, job) => [
          `App-${job}.zip`,
          `App-${job}.tar.gz`,
        ]).flat();
        const runs = await Promise.all(
          Array.from({ length: jobs }, (_, job) =>
            upload(
              server,
              workspace({
                [`App-${job}.zip`]: `zip of job ${job}, round ${round}`,
                [`App-${job}.tar.gz`]: `tarball of job ${job}`.repeat(job + 1),
              }),
              { tag: 'v1.0.0', checksums: 'sha256' },
            ),
          ),
        );
        const context = `round ${round}: ${runs.map((r) => r.errors.join(' | ')).join(' || ')}`;
        expect([context, runs.map((r) => r.code)]).toEqual([context, runs.map(() => 0)]);
        const names = (server.state.release(releaseId)?.assets ?? []).map((a) => a.name).sort();
        expect(names).toEqual([...files, 'SHA256SUMS'].sort());
        const verified = await checkSums(releaseId);
        expect(verified.split('\n').filter(Boolean).sort()).toEqual(files.map((f) => `${f}: OK`).sort());
        // A job that saw the final set of assets reports the SHA256SUMS on the release: one job's correct
        // file is never replaced by another job's identical one.
        const sums = server.state.release(releaseId)?.assets.find((a) => a.name === 'SHA256SUMS');
        for (const run of runs) {
          const reported = (JSON.parse(run.outputs.assets) as Reported[]).find(
            (a) => a.name === 'SHA256SUMS',
          );
          if (reported?.sha256 === sums?.sha256) expect(reported?.id).toBe(sums?.id);
        }
        await server.close();
      }
    },
  );
});

describe.each(flavours)('two jobs replacing the same name on %s', (flavour) => {
  const start = async () => {
    server = await startForgeServer({ flavour });
    const releaseId = server.seed.createRelease({ tag: 'v1.0.0', draft: true }).id;
    await server.seed.addAsset(releaseId, 'App.zip', 'bytes of an earlier run');
    return releaseId;
  };
  const job = (bytes: string) => upload(server, workspace({ 'App.zip': bytes }), { tag: 'v1.0.0' });
  const leftovers = (releaseId: number) =>
    (server.state.release(releaseId)?.assets ?? []).filter((a) => a.name !== 'App.zip');

  const onlyCopy = async (releaseId: number) => {
    const copies = server.state.release(releaseId)?.assets.filter((a) => a.name === 'App.zip') ?? [];
    expect(copies).toHaveLength(1);
    expect(leftovers(releaseId)).toEqual([]);
    return { id: copies[0].id, bytes: (await server.state.readAsset(copies[0].id)).toString() };
  };
  const reportedId = (run: { outputs: Record<string, string> }) =>
    (JSON.parse(run.outputs.assets) as Reported[])[0].id;

  test('a job that finished before a newer upload landed reported the truth then; the newer one wins', async () => {
    const releaseId = await start();
    // The first job's upload is held until the second job has finished: it lands last, so it is the
    // newer upload and keeps the name, and the first job reports it last.
    const hold = server.faults.inject({ method: 'POST', path: /\/assets$/, nth: 1, respond: { hold: true } });
    const first = job('bytes of the first job');
    await hold.reached(1);
    const second = await job('bytes of the second job, longer');
    expect(second.code).toBe(0);
    hold.release();
    const last = await first;
    expect(last.code).toBe(0);
    const final = await onlyCopy(releaseId);
    expect(final).toEqual({ id: reportedId(last), bytes: 'bytes of the first job' });
    expect(JSON.parse(last.outputs.assets)[0].action).toBe('replaced');
  });

  test('a job whose copy was replaced before its final check fails instead of reporting it', async () => {
    const releaseId = await start();
    // Listings of the release: #1 the first job's start, #2 the second's, #3 the second's final check.
    // The first job's upload waits until the second's final check is under way; that check waits
    // until the first job has finished, so the second job's copy is gone when it looks.
    const upload = server.faults.inject({
      method: 'POST',
      path: /\/assets$/,
      nth: 1,
      respond: { hold: true },
    });
    const check = server.faults.inject({
      method: 'GET',
      path: /\/releases\/\d+\/assets$/,
      nth: 3,
      respond: { hold: true },
    });
    const first = job('bytes of the first job');
    await upload.reached(1);
    const second = job('bytes of the second job, longer');
    await check.reached(1);
    upload.release();
    const winner = await first;
    check.release();
    const loser = await second;
    expect(winner.code).toBe(0);
    expect(await onlyCopy(releaseId)).toEqual({ id: reportedId(winner), bytes: 'bytes of the first job' });
    expect(loser.code).toBe(1);
    expect(loser.errors).toEqual(['1 of 1 file(s) failed: App.zip']);
    expect(loser.warnings.join('\n')).toMatch(
      /App\.zip: another job uploaded App\.zip at the same time .*newer upload is kept/,
    );
    expect(JSON.parse(loser.outputs.assets)).toEqual([]);
  });

  test('started at once, many rounds: one copy, holding the bytes of the last job to report it', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const releaseId = await start();
      const bytes = ['first job', 'second job, other bytes'];
      const runs = await Promise.all(bytes.map(job));
      const copies = server.state.release(releaseId)?.assets.filter((a) => a.name === 'App.zip') ?? [];
      expect(copies).toHaveLength(1);
      expect(leftovers(releaseId)).toEqual([]);
      const green = runs.flatMap((run, index) =>
        run.code === 0 ? [{ index, id: (JSON.parse(run.outputs.assets) as Reported[])[0].id }] : [],
      );
      expect(green.length).toBeGreaterThan(0);
      // The newest upload keeps the name: the green report with the highest id is the one on the release.
      const last = green.reduce((a, b) => (b.id > a.id ? b : a));
      expect(copies[0].id).toBe(last.id);
      expect((await server.state.readAsset(copies[0].id)).toString()).toBe(bytes[last.index]);
      for (const [index, run] of runs.entries()) {
        if (run.code !== 0)
          expect([index, run.warnings.join('\n')]).toEqual([
            index,
            expect.stringMatching(/App\.zip: another job uploaded App\.zip/),
          ]);
      }
      await server.close();
    }
  });
});
