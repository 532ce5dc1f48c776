import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import {
  ActionError,
  group,
  InputError,
  log,
  progressLogger,
  runAction,
  writeSummary,
} from '@forge-actions/action-kit';
import { refreshDownloadsTable, selectFiles, uploadAssets } from '@forge-actions/assets';
import { connectForge, readForgeInputs } from '@forge-actions/forge';
import { formatSize } from '@forge-actions/release';
import mime from 'mime-types';

await runAction(import.meta.url, async (inputs) => {
  // Every input is read and checked, and the files are found, before the first request.
  const forgeInputs = readForgeInputs(inputs);
  const releaseIdText = inputs.string('release-id');
  const tag = inputs.string('tag');
  if (releaseIdText && tag) throw new InputError('release-id', "and 'tag' were both given; give one of them");
  if (!releaseIdText && !tag) throw new InputError('release-id', "or 'tag' must be given (neither was)");
  const releaseId = releaseIdText ? inputs.positiveInt('release-id') : undefined;
  const patterns = inputs.list('files');
  if (patterns.length === 0) throw new InputError('files', 'is required and was not set');
  const onDuplicate = inputs.enum('on-duplicate', ['replace', 'skip', 'fail'] as const);
  const skipIdentical = inputs.boolean('skip-identical');
  const failOnNoFiles = inputs.boolean('fail-on-no-files');
  const concurrency = inputs.positiveInt('concurrency');
  const retries = inputs.wholeNumber('retries');
  const checksums = inputs.enum('checksums', ['none', 'sha256'] as const);
  const contentType = inputs.string('content-type');
  const updateBody = inputs.boolean('update-body');
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const files = await selectFiles(patterns, workspace, failOnNoFiles);
  const tempDir = mkdtempSync(join(process.env.RUNNER_TEMP || workspace, 'upload-asset-dedup-'));

  const forge = await group('Connect', () => connectForge({ ...forgeInputs, retries, logger: log }));
  const release = await (releaseId ? forge.getRelease(releaseId) : forge.getReleaseByTag(tag));
  if (!release)
    throw new ActionError(
      `${forge.repository} has no release for tag ${tag}; create it first (create-release).`,
    );

  const report = await group(
    `Upload ${files.length} file(s) to release ${release.id} (${release.tagName})`,
    () =>
      uploadAssets(forge, release, {
        files,
        onDuplicate,
        skipIdentical,
        concurrency,
        checksums,
        contentTypeFor: (name) => contentType || mime.lookup(name) || 'application/octet-stream',
        tempDir,
        logger: log,
        progress: (name) => progressLogger(name, log),
      }),
  );
  if (report.cleaned.length > 0) log.info(`Removed leftovers of earlier runs: ${report.cleaned.join(', ')}`);
  if (updateBody && report.failures.length === 0) {
    const known = new Map(report.results.map((result) => [result.id, result.sha256]));
    await group('Downloads table', () => refreshDownloadsTable(forge, release.id, known, tempDir, log));
  }

  await writeSummary(
    `Assets of ${release.tagName}`,
    ['file', 'action', 'size', 'sha256'],
    [
      ...report.results.map((r) => [
        `[${r.name}](${r.url})`,
        r.action,
        formatSize(r.size),
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
