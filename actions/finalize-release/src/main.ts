import { ActionError, formatBytes, group, log, runAction, writeSummary } from '@forge-actions/action-kit';
import { finalizeRelease } from '@forge-actions/finalize';
import { connectForge, readForgeInputs } from '@forge-actions/forge';
import { locateRelease, type MakeLatestChoice, readReleaseTarget } from '@forge-actions/release';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked before the first request.
  const forgeInputs = readForgeInputs(inputs);
  const target = readReleaseTarget(inputs);
  const expect = inputs.list('expect');
  const checksums = inputs.enum('checksums', ['none', 'sha256'] as const);
  const publish = inputs.boolean('publish');
  const makeLatest = inputs.enum<MakeLatestChoice>('make-latest', ['auto', 'true', 'false']);
  const allowMissing = inputs.boolean('allow-missing');
  const retries = inputs.wholeNumber('retries');
  const timeoutMs = inputs.positiveInt('request-timeout') * 1000;
  const tempDir = runner.tempDir('finalize-release');

  const forge = await group('Connect', () =>
    connectForge({ ...forgeInputs, retries, logger: log, http: { timeoutMs } }),
  );
  const release = await locateRelease(
    forge,
    target,
    'create it as a draft with create-release (draft: true) before the build jobs.',
  );
  const report = await finalizeRelease(forge, release, {
    expect,
    checksums,
    publish,
    makeLatest,
    allowMissing,
    tempDir,
    logger: log,
    phase: group,
  });

  const published = !report.release.draft;
  await writeSummary(
    `Release ${report.release.tagName}: ${published ? 'published' : 'draft'}`,
    ['file', 'size', 'sha256'],
    [
      ...report.assets.map((a) => [
        `[${a.name}](${a.url})`,
        formatBytes(a.size),
        a.sha256 ? `\`${a.sha256}\`` : '',
      ]),
      ...report.missing.map((name) => [name, 'missing', '']),
    ],
  );
  const outputs = {
    'release-id': report.release.id,
    'html-url': report.release.htmlUrl,
    published,
    missing: report.missing.join('\n'),
    assets: JSON.stringify(report.assets),
  };
  if (report.blocked) throw new ActionError(report.blocked, undefined, outputs);
  return outputs;
});
