import {
  ActionError,
  formatBytes,
  group,
  InputError,
  log,
  printable,
  progressLogger,
  runAction,
  writeSummary,
} from '@forge-actions/action-kit';
import { selectFiles, uploadAssets } from '@forge-actions/assets';
import { connectForge, readForgeInputs } from '@forge-actions/forge';
import { locateRelease, readReleaseTarget } from '@forge-actions/release';
import mime from 'mime-types';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked, and the files are found, before the first request.
  const forgeInputs = readForgeInputs(inputs);
  const target = readReleaseTarget(inputs);
  const patterns = inputs.list('files');
  if (patterns.length === 0) throw new InputError('files', 'is required and was not set');
  const onDuplicate = inputs.enum('on-duplicate', ['replace', 'skip', 'fail'] as const);
  const skipIdentical = inputs.boolean('skip-identical');
  const failOnNoFiles = inputs.boolean('fail-on-no-files');
  const concurrency = inputs.positiveInt('concurrency');
  const retries = inputs.wholeNumber('retries');
  const timeoutMs = inputs.positiveInt('request-timeout') * 1000;
  const checksums = inputs.enum('checksums', ['none', 'sha256'] as const);
  const contentType = inputs.string('content-type');
  const updateBody = inputs.boolean('update-body');
  const files = await selectFiles(patterns, runner.workspace, failOnNoFiles);
  const tempDir = runner.tempDir('upload-asset-dedup');

  const forge = await group('Connect', () =>
    connectForge({ ...forgeInputs, retries, logger: log, http: { timeoutMs } }),
  );
  const release = await locateRelease(forge, target, 'create it first (create-release).');

  const report = await uploadAssets(forge, release, {
    files,
    onDuplicate,
    skipIdentical,
    concurrency,
    checksums,
    updateBody,
    contentTypeFor: (name) => contentType || mime.lookup(name) || 'application/octet-stream',
    tempDir,
    logger: log,
    progress: (name) => progressLogger(name, log),
    phase: group,
  });
  if (report.cleaned.length > 0)
    log.info(`Removed leftovers of earlier runs: ${report.cleaned.map(printable).join(', ')}`);

  await writeSummary(
    `Assets of ${release.tagName}`,
    ['file', 'action', 'size', 'sha256'],
    [
      ...report.results.map((r) => [
        `[${r.name}](${r.url})`,
        r.action,
        formatBytes(r.size),
        `\`${r.sha256}\``,
      ]),
      ...report.failures.map((f) => [f.name, `failed: ${f.error}`, '', '']),
    ],
  );
  const count = (action: string) => report.results.filter((r) => r.action === action).length;
  const outputs = {
    assets: JSON.stringify(report.results),
    uploaded: count('uploaded'),
    replaced: count('replaced'),
    skipped: count('skipped'),
  };
  if (report.failures.length > 0) {
    const names = report.failures.map((f) => f.name).join(', ');
    throw new ActionError(
      `${report.failures.length} of ${files.length} file(s) failed: ${names}`,
      undefined,
      outputs,
    );
  }
  return outputs;
});
