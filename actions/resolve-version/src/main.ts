import { group, log, printable, runAction, writeSummary } from '@forge-actions/action-kit';
import {
  checkStampFiles,
  compilePrereleasePattern,
  resolutionOutputs,
  resolutionSummaryRows,
  resolveVersion,
  type StampResult,
  stampFiles,
  stampLine,
} from '@forge-actions/version';

await runAction(import.meta.url, async (inputs, runner) => {
  const version = inputs.string('version');
  const tagPattern = inputs.string('tag-pattern');
  const sourceFile = inputs.string('source-file');
  const stamp = inputs.list('stamp');
  const prereleasePattern = compilePrereleasePattern(inputs.string('prerelease-pattern'));
  // A stamp rewrites files: only inside the workspace, symlinks resolved, checked before anything else.
  checkStampFiles(stamp, runner.workspace, 'stamp', runner.workspace);

  const resolved = await group('Resolve the version', () =>
    resolveVersion({
      version,
      tagPattern,
      sourceFile,
      sourceFileExplicit: !inputs.isDefault('source-file'),
      prereleasePattern,
      log,
    }),
  );
  if (resolved.warning) log.warning(resolved.warning);

  let stamped: StampResult[] = [];
  if (stamp.length > 0) {
    stamped = await group('Stamp the version', async () => {
      const results = stampFiles(stamp, resolved, runner.workspace, runner.workspace);
      for (const r of results) log.info(printable(stampLine(r)));
      return results;
    });
  }
  const outputs = resolutionOutputs(resolved);
  await writeSummary('Resolved version', ['output', 'value'], resolutionSummaryRows(outputs, stamped));
  return outputs;
});
