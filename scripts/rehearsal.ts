// The main job: a local release rehearsal. Starts the embedded forge server, then runs the bundled
// actions on a sample app exactly as a tag build would on a runner (a draft, parallel build jobs
// uploading to it, finalize-release publishing it), re-runs them the way a person re-runs a failed
// release, and prints the release that results. Needs no forge anywhere.
//   npm run rehearsal [-- --flavour forgejo|github]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FLAVOURS, forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { type RunResult, runAction } from '@forge-actions/testing/run-action';
import { startForgeServer } from '../packages/forge-server/src/index.js';

const { values } = parseArgs({ options: { flavour: { type: 'string', default: 'gitea' } } });
const flavour = FLAVOURS.find((known) => known === values.flavour);
if (flavour === undefined) {
  console.error(`--flavour must be one of ${FLAVOURS.join(', ')} (got '${values.flavour}')`);
  process.exit(2);
}
const TAG = 'v1.0.0';

function sampleApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rehearsal-app-'));
  writeFileSync(
    join(dir, 'pyproject.toml'),
    '[project]\nname = "sample-app"  # the app\nversion = "0.0.0"\n',
  );
  writeFileSync(join(dir, 'RELEASE_NOTES.md'), '## What changed\n- The first release of the sample app.\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Rehearsal', '-c', 'user.email=rehearsal@example.com', ...args], {
      cwd: dir,
      stdio: 'pipe',
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'Sample app');
  git('tag', TAG);
  // What the build jobs would have produced.
  mkdirSync(join(dir, 'build'));
  writeFileSync(join(dir, 'build', `App-${TAG}-setup.exe`), 'MZ a pretend installer\n'.repeat(4096));
  writeFileSync(join(dir, 'build', `App-${TAG}-win-x64.zip`), 'PK a pretend portable zip\n'.repeat(4096));
  return dir;
}

function step(title: string, result: RunResult): RunResult {
  console.log(`\n=== ${title}: exit ${result.code}`);
  for (const [name, value] of Object.entries(result.outputs)) {
    const shown =
      name === 'assets'
        ? (JSON.parse(value) as Array<{ name: string; action: string }>)
            .map((a) => `${a.name}: ${a.action}`)
            .join(', ')
        : value.replace(/\n/g, ', ');
    console.log(`  ${name} = ${shown}`);
  }
  for (const error of result.errors) console.log(`  error: ${error}`);
  if (result.code !== 0) {
    console.log(result.stdout);
    throw new Error(`${title} failed`);
  }
  return result;
}

const server = await startForgeServer({ flavour });
try {
  console.log(
    `Embedded ${flavour} forge server at ${server.url} (API ${server.apiUrl}), repository octo/app`,
  );
  const cwd = sampleApp();
  const env = forgeRunnerEnv(server, TAG);
  const forge = { token: server.token };

  const version = step(
    'resolve-version (stamps pyproject.toml)',
    await runAction('resolve-version', { cwd, env, inputs: { stamp: 'pyproject.toml' } }),
  );
  const release = {
    ...forge,
    tag: version.outputs.version,
    name: 'Sample App {version}',
    draft: 'true',
    downloads: [
      'Windows (installer) | App-{tag}-setup.exe',
      'Windows (portable) | App-{tag}-win-x64.zip',
    ].join('\n'),
  };
  step('create-release (a draft)', await runAction('create-release', { cwd, env, inputs: release }));
  step('create-release, re-run (reuses)', await runAction('create-release', { cwd, env, inputs: release }));

  // The build jobs run in parallel, each uploading its own file to the draft.
  const job = (file: string) => ({ ...forge, tag: release.tag, files: `build/${file}` });
  const jobs = [`App-${TAG}-setup.exe`, `App-${TAG}-win-x64.zip`];
  const uploads = await Promise.all(
    jobs.map((file) => runAction('upload-asset-dedup', { cwd, env, inputs: job(file) })),
  );
  for (const [index, result] of uploads.entries()) {
    step(`upload-asset-dedup, build job ${index + 1} of ${jobs.length}`, result);
  }

  const finalize = { ...forge, tag: release.tag, checksums: 'sha256' };
  step('finalize-release (publishes)', await runAction('finalize-release', { cwd, env, inputs: finalize }));
  step(
    'finalize-release, re-run (changes nothing)',
    await runAction('finalize-release', { cwd, env, inputs: finalize }),
  );
  step(
    'upload-asset-dedup, build job 2 re-run (skips)',
    await runAction('upload-asset-dedup', { cwd, env, inputs: job(jobs[1]) }),
  );
  writeFileSync(join(cwd, 'build', jobs[1]), 'PK a rebuilt portable zip\n'.repeat(4096));
  step(
    'upload-asset-dedup after a rebuild (replaces it)',
    await runAction('upload-asset-dedup', { cwd, env, inputs: job(jobs[1]) }),
  );
  step(
    'finalize-release (SHA256SUMS follows)',
    await runAction('finalize-release', { cwd, env, inputs: finalize }),
  );

  const [created] = server.state.releases();
  console.log(
    `\n=== The release on the server: ${created.tag} (id ${created.id}), ${server.state.releases().length} release(s)`,
  );
  console.log(
    `name: ${created.name}\nprerelease: ${created.prerelease}, draft: ${created.draft}\n\n${created.body}`,
  );
  console.log('\nassets:');
  for (const asset of created.assets) console.log(`  ${asset.name}  ${asset.size} B  sha256 ${asset.sha256}`);
  const names = created.assets.map((asset) => asset.name);
  if (new Set(names).size !== names.length || names.length !== 3 || created.draft)
    throw new Error(`expected a published release with 3 distinct assets, got ${names.join(', ')}`);
  console.log('\nRehearsal passed.');
} finally {
  await server.close();
}
