import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { group, log, registerSecret, runAction, writeSummary } from '@forge-actions/action-kit';
import { checkWheelInputs, downloadWinWheels, formatBytes, indexSecrets } from '@forge-actions/wheels';

await runAction(import.meta.url, async (inputs) => {
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
    indexUrl: inputs.string('index-url'),
    extraIndexUrls: inputs.list('extra-index-url'),
    cleanup: inputs.string('cleanup'),
    remove: inputs.list('remove'),
    uvVersion: inputs.string('uv-version'),
    workspace: process.cwd(),
  });
  for (const secret of indexSecrets(request.indexes)) registerSecret(secret);

  const report = await downloadWinWheels(request, {
    tempDir: process.env.RUNNER_TEMP || join(tmpdir(), 'forge-actions'),
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
