import { group, log, progressLogger, runAction, writeSummary } from '@forge-actions/action-kit';
import { extractLimitsFromInputs } from '@forge-actions/archive/extract';
import { checkFetchInputs, fetchEmbeddedPython } from '@forge-actions/embedded-python';

await runAction(import.meta.url, async (inputs, runner) => {
  const request = checkFetchInputs({
    pythonVersion: inputs.required('python-version'),
    arch: inputs.string('arch'),
    destination: inputs.string('destination'),
    mirror: inputs.urlText('mirror'),
    sha256: inputs.string('sha256'),
    sitePackages: inputs.boolean('site-packages'),
    extraPaths: inputs.list('extra-paths'),
    tkinter: inputs.boolean('tkinter'),
    cache: inputs.boolean('cache'),
    workspace: runner.workspace,
    extractLimits: extractLimitsFromInputs((name) => inputs.positiveInt(name)),
  });

  const result = await group(`Python ${request.version.text} embeddable (${request.arch})`, async () => {
    const fetched = await fetchEmbeddedPython(request, {
      tempDir: runner.temp,
      logger: log,
      progress: (label) => progressLogger(label, log),
    });
    const { pth } = fetched;
    const added = pth.added.length > 0 ? `added ${pth.added.join(', ')}` : 'no path added';
    log.info(`${fetched.pthFile}: ${pth.changed ? added : 'already patched'}; import site ${pth.importSite}`);
    return fetched;
  });
  const { pth } = result;

  await writeSummary(
    `Embedded Python ${request.version.text} (${request.arch})`,
    ['item', 'value'],
    [
      ['folder', result.pythonDir],
      ['source', result.cacheHit ? 'tool cache' : result.zipUrl],
      ['zip sha256', result.zipSha256 || 'unknown'],
      [
        '._pth',
        `${pth.added.length > 0 ? `added ${pth.added.join(', ')}` : 'no path added'}; import site ${pth.importSite}`,
      ],
      ['tkinter', result.tkinter.length > 0 ? result.tkinter.join(', ') : 'no'],
    ],
  );
  return {
    'python-dir': result.pythonDir,
    'pth-file': result.pthFile,
    'site-packages-dir': result.sitePackagesDir,
    'cache-hit': result.cacheHit,
  };
});
