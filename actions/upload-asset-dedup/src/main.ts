import { group, log, printable, progressLogger, runAction, writeSummary } from '@forge-actions/action-kit';
import { readUploadRequest, uploadAssets, uploadOutcome, uploadSummary } from '@forge-actions/assets';
import { connectForge } from '@forge-actions/forge';
import { locateRelease } from '@forge-actions/release';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked, and the files are found, before the first request.
  const request = await readUploadRequest(inputs, runner.workspace);
  const forge = await group('Connect', () => connectForge({ ...request.forge, logger: log }));
  const release = await locateRelease(forge, request.target, 'create it first (create-release).');
  const report = await uploadAssets(forge, release, {
    ...request.options,
    files: request.files,
    tempDir: runner.tempDir('upload-asset-dedup'),
    logger: log,
    progress: (name) => progressLogger(name, log),
    phase: group,
  });
  if (report.cleaned.length > 0)
    log.info(`Removed leftovers of earlier runs: ${report.cleaned.map(printable).join(', ')}`);
  await writeSummary(`Assets of ${release.tagName}`, ...uploadSummary(report));
  return uploadOutcome(report, request.files.length);
});
