import { formatBytes, group, log, runAction, writeSummary } from '@forge-actions/action-kit';
import { archiveTime, packArchive, planPortable } from '@forge-actions/archive';
import { checkVbsPolicy, displayPathIn, findVbsFiles, writeVbsFixes } from '@forge-actions/installer';

const LEVELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

await runAction(import.meta.url, async (inputs, runner) => {
  const plan = planPortable({
    source: inputs.required('source'),
    output: inputs.required('output'),
    format: inputs.string('format'),
    rootDir: inputs.string('root-dir'),
    version: inputs.string('version'),
    tag: inputs.string('tag'),
    workspace: runner.workspace,
  });
  const level = Number(inputs.enum('compression-level', LEVELS));
  const vbsPatterns = inputs.list('vbs');
  const vbs = vbsPatterns.length > 0 ? await findVbsFiles(vbsPatterns, plan.source, runner.workspace) : [];
  const time = await archiveTime(runner.sourceDateEpoch, plan.source);
  if (time.source === 'default') {
    log.warning(`No SOURCE_DATE_EPOCH and no commit time (${time.note}): entries are dated 1980-01-01`);
  }

  const shown = displayPathIn(runner.workspace);
  const fixed =
    vbs.length === 0
      ? []
      : await group('Normalise VBS launchers', async () => {
          checkVbsPolicy(vbs, 'fix', shown, log);
          return writeVbsFixes(vbs, shown, log);
        });

  const result = await group(`Pack ${plan.format}`, async () => {
    log.info(`${plan.source} → ${plan.output} (root folder '${plan.rootDir || '(none)'}')`);
    log.info(`Timestamp ${time.date.toISOString()} from ${time.source}`);
    const packed = await packArchive({ ...plan, mtime: time.date, level });
    for (const warning of packed.warnings) log.warning(warning);
    log.info(`${packed.entries} entries, ${formatBytes(packed.size)}, sha256 ${packed.sha256}`);
    return packed;
  });

  await writeSummary(
    'Portable archive',
    ['item', 'value'],
    [
      ['archive', result.archive],
      ['format', plan.format],
      ['root folder', plan.rootDir || '(none)'],
      ['entries', result.entries],
      ['size', formatBytes(result.size)],
      ['sha256', result.sha256],
      ['timestamp', `${time.date.toISOString()} (${time.source})`],
      ['VBS launchers rewritten', fixed.length],
    ],
  );
  return { archive: result.archive, sha256: result.sha256, size: result.size, 'vbs-fixed': fixed.length };
});
