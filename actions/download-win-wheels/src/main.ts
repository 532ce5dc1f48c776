import { formatBytes, group, log, registerSecret, runAction, writeSummary } from '@forge-actions/action-kit';
import { extractLimitsFromInputs } from '@forge-actions/archive/extract';
import { checkWheelInputs, downloadWinWheels, urlSecrets } from '@forge-actions/wheels';

await runAction(import.meta.url, async (inputs, runner) => {
  // Credentials in the index URLs are secrets before anything can print them: index-url through
  // Inputs.urlText, each extra-index-url line in the same spellings.
  const indexUrl = inputs.urlText('index-url');
  const extraIndexUrls = inputs.list('extra-index-url');
  for (const line of extraIndexUrls) for (const secret of urlSecrets(line)) registerSecret(secret);
  const request = checkWheelInputs({
    requirements: inputs.list('requirements'),
    requirementsFile: inputs.string('requirements-file'),
    constraints: inputs.list('constraints'),
    pythonVersion: inputs.string('python-version'),
    platform: inputs.string('platform'),
    implementation: inputs.string('implementation'),
    wheelDir: inputs.string('wheel-dir'),
    sitePackages: inputs.string('site-packages'),
    allowSdistFallback: inputs.boolean('allow-sdist-fallback'),
    engine: inputs.string('engine'),
    indexUrl,
    extraIndexUrls,
    cleanup: inputs.string('cleanup'),
    remove: inputs.list('remove'),
    uvVersion: inputs.string('uv-version'),
    workspace: runner.workspace,
    extractLimits: extractLimitsFromInputs((name) => inputs.positiveInt(name)),
  });

  const report = await downloadWinWheels(request, {
    tempDir: runner.temp,
    logger: log,
    group,
  });

  await writeSummary(
    `Wheels for ${report.target} (${report.engine})`,
    ['wheel', 'version', 'file', 'size', 'from'],
    report.wheels.map((w) => [
      w.name,
      w.version,
      w.file,
      formatBytes(w.size),
      w.built ? 'built from sdist' : 'index',
    ]),
  );
  if (report.sitePackagesDir) {
    await writeSummary(
      'site-packages',
      ['folder', 'before cleanup', 'after cleanup'],
      [[report.sitePackagesDir, formatBytes(report.sizeBefore ?? 0), formatBytes(report.sizeAfter ?? 0)]],
    );
  }
  return {
    'wheel-dir': report.wheelDir,
    wheels: JSON.stringify(report.wheels),
    'site-packages-dir': report.sitePackagesDir,
    'size-before': report.sizeBefore,
    'size-after': report.sizeAfter,
  };
});
