// The three journeys users live, end to end: the example workflows of action-docs/examples run by a
// real runner (act, on the host) with `uses: your-org/actions/<name>@v1` resolved from the published
// release tree, against the local forge server and real local services. `npm run test:e2e`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { act } from '@forge-actions/testing/act';
import {
  APP_TAG,
  type Journey,
  publishedSuite,
  recordingNode,
  runJourney,
  type Services,
  scratch,
  startJourney,
  startServices,
} from '@forge-actions/testing/e2e-world';
import { REPO_ROOT } from '@forge-actions/testing/run-action';
import { requireTool } from '@forge-actions/testing/tools';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';

const FILES = [`App-${APP_TAG}-linux-x64.tar.gz`, `App-${APP_TAG}-setup.exe`, `App-${APP_TAG}-win-x64.zip`];
const needed = [act, requireTool('dockerd', 'the docker job'), requireTool('makensis', 'the installer job')];
const describeE2e = needed.every(Boolean) ? describe : describe.skip;

// A journey runs every job of a workflow for real: minutes, not seconds.
jest.setTimeout(600_000);

let work: ReturnType<typeof scratch>;
let suite: string;
let services: Services;
const journeys: Journey[] = [];

beforeAll(async () => {
  work = scratch('journeys');
  suite = await publishedSuite(work.root);
  services = await startServices(work.root);
}, 180_000);

afterAll(async () => {
  await Promise.all(journeys.map((j) => j.server.close()));
  await services?.close();
  work?.remove();
});

async function journey(): Promise<Journey> {
  const started = await startJourney(work.root);
  journeys.push(started);
  return started;
}

const release = (j: Journey) => j.server.state.releases().find((r) => r.tag === APP_TAG);
const assetNames = (j: Journey) => (release(j)?.assets ?? []).map((a) => a.name).sort();

/** What a failed run says about its failure (act marks failed steps with ❌ and errors with ::error). */
const failure = (run: { code: number; output: string }) =>
  run.code === 0
    ? ''
    : run.output
        .split('\n')
        .filter((line) => /❌|::error|Job failed|^Error/.test(line))
        .join('\n');

/** Every asset downloaded into a folder and checked with `sha256sum -c SHA256SUMS`. */
async function checkSums(j: Journey): Promise<string> {
  const dir = mkdtempSync(join(work.root, 'sums-'));
  for (const asset of release(j)?.assets ?? []) {
    writeFileSync(join(dir, asset.name), await j.server.state.readAsset(asset.id));
  }
  return execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
}

/** The tags the local registry holds for the sample app's image. */
async function imageTags(): Promise<string[]> {
  const { registry, username, password } = services.docker;
  const response = await fetch(`http://${registry}/v2/octo/app/tags/list`, {
    headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
  });
  if (response.status === 404) return [];
  return ((await response.json()) as { tags?: string[] }).tags?.sort() ?? [];
}

/** The release as journey 1 must leave it: published, each file once, SHA256SUMS complete, links in the notes. */
async function expectCompleteRelease(j: Journey): Promise<void> {
  expect(j.server.state.releases()).toHaveLength(1);
  expect(release(j)).toMatchObject({ draft: false, name: 'Sample App 1.0.0' });
  expect(assetNames(j)).toEqual([...FILES, 'SHA256SUMS'].sort());
  expect((await checkSums(j)).trim().split('\n').sort()).toEqual(FILES.map((f) => `${f}: OK`));
  for (const file of FILES) {
    expect(release(j)?.body).toContain(
      `[\`${file}\`](${j.server.url}/octo/app/releases/download/${APP_TAG}/${file})`,
    );
  }
  expect(release(j)?.body).toContain('## What changed');
}

describeE2e('journey 1: a tag push releases everything', () => {
  test('one published release, every download once, SHA256SUMS complete, the image pushed', async () => {
    const j = await journey();
    const run = await runJourney(j, suite, services, { event: 'push', workflow: 'release.yml' });
    expect([run.code, failure(run)]).toEqual([0, '']);
    // The examples pass only inputs the actions have (composites included).
    expect(run.output).not.toContain('Unexpected input');
    await expectCompleteRelease(j);
    expect(await imageTags()).toEqual(expect.arrayContaining(['1.0.0', 'latest']));
    // The portable zip holds the embedded Python, the wheel from the index and the app.
    const zip = release(j)?.assets.find((a) => a.name.endsWith('-win-x64.zip'));
    const listing = join(work.root, 'portable.zip');
    writeFileSync(listing, await j.server.state.readAsset(zip?.id ?? 0));
    const names = execFileSync('unzip', ['-Z1', listing], { encoding: 'utf8' });
    expect(names).toContain('python/Lib/site-packages/tinypkg/__init__.py');
    expect(names).toContain('app/sample_app/main.py');
    // The Linux tarball carries its own CPython, the wheel and the app, and runs where it is unpacked.
    const tarball = release(j)?.assets.find((a) => a.name.endsWith('-linux-x64.tar.gz'));
    const unpacked = mkdtempSync(join(work.root, 'linux-'));
    writeFileSync(join(unpacked, 'app.tar.gz'), await j.server.state.readAsset(tarball?.id ?? 0));
    execFileSync('tar', ['-xzf', 'app.tar.gz'], { cwd: unpacked });
    const home = join(unpacked, `App-${APP_TAG}-linux-x64`);
    expect(readdirSync(join(home, 'python', 'lib', 'python3.11', 'site-packages'))).toContain('tinypkg');
    expect(execFileSync(join(home, 'run.sh'), { encoding: 'utf8' })).toMatch(/^sample-app \S+\n$/);
  });

  test('the same journey with the bundles run by Node 24', async () => {
    const j = await journey();
    const log = join(j.actHome, '..', 'node-runs.log');
    const node24 = join(REPO_ROOT, 'tools', 'node24', 'node_modules', '.bin', 'node');
    const path = recordingNode(join(j.actHome, '..', 'node24-bin'), node24, log);
    const run = await runJourney(j, suite, services, { event: 'push', workflow: 'release.yml', path });
    expect([run.code, failure(run)]).toEqual([0, '']);
    await expectCompleteRelease(j);
    // act asks the `node` on PATH for its real path once per job, then runs every bundle with it.
    const asked = readFileSync(log, 'utf8').trim().split('\n');
    expect(asked.length).toBeGreaterThanOrEqual(5);
    for (const line of asked)
      expect(line).toMatch(/^v24\.\d+\.\d+ --no-warnings -e console\.log\(process\.execPath\)$/);
  });
});

describeE2e('journey 2: a build by hand (workflow_dispatch) with version dev', () => {
  test('0.0.0.dev0 everywhere, artifacts, no release and nothing pushed', async () => {
    const j = await journey();
    const before = await imageTags();
    const run = await runJourney(j, suite, services, {
      event: 'workflow_dispatch',
      workflow: 'build.yml',
      inputs: { version: 'dev' },
      env: { GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' },
    });
    expect([run.code, failure(run)]).toEqual([0, '']);
    expect(readdirSync(join(j.artifacts, 'windows', 'dist')).sort()).toEqual([
      'App-0.0.0.dev0-setup.exe',
      'App-0.0.0.dev0-win-x64.zip',
    ]);
    expect(readdirSync(join(j.artifacts, 'linux', 'dist'))).toEqual(['App-0.0.0.dev0-linux-x64.tar.gz']);
    expect(j.server.state.releases()).toEqual([]);
    expect(j.server.requests.filter((r) => r.path.includes('/releases'))).toEqual([]);
    expect(await imageTags()).toEqual(before);
    const local = services.docker.docker(['image', 'ls', '--format', '{{.Tag}}']).split('\n');
    expect(local).toContain('0.0.0.dev0');
    expect(run.output).toContain("'dev' is a label, not a PEP 440 version; using 0.0.0.dev0");
  });
});

describeE2e('journey 3: re-running a failed tag release', () => {
  test('one upload job fails; re-run that job, then finalize; then a full re-run skips everything', async () => {
    const j = await journey();
    const linux = FILES[0];
    const fault = j.server.faults.inject({
      method: 'POST',
      query: new RegExp(`^name=${linux.replace(/\./g, '\\.')}$`),
      times: Number.POSITIVE_INFINITY,
      respond: { status: 502 },
    });
    const failed = await runJourney(j, suite, services, { event: 'push', workflow: 'release.yml' });
    expect(failed.code).not.toBe(0);
    expect(release(j)?.draft).toBe(true);
    expect(assetNames(j)).toEqual(FILES.slice(1));
    fault.remove();

    const linuxAgain = await runJourney(j, suite, services, {
      event: 'push',
      workflow: 'release.yml',
      job: 'linux',
    });
    expect([linuxAgain.code, failure(linuxAgain)]).toEqual([0, '']);
    expect(release(j)?.draft).toBe(true);
    const finalize = await runJourney(j, suite, services, {
      event: 'push',
      workflow: 'release.yml',
      job: 'finalize',
    });
    expect([finalize.code, failure(finalize)]).toEqual([0, '']);
    await expectCompleteRelease(j);

    const ids = release(j)
      ?.assets.map((a) => a.id)
      .sort();
    const changes = j.server.changes.length;
    const again = await runJourney(j, suite, services, { event: 'push', workflow: 'release.yml' });
    expect([again.code, failure(again)]).toEqual([0, '']);
    await expectCompleteRelease(j);
    expect(
      release(j)
        ?.assets.map((a) => a.id)
        .sort(),
    ).toEqual(ids);
    expect(j.server.changes.slice(changes)).toEqual([]);
  });
});
