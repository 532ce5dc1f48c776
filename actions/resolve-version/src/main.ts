import { group, log, runAction, writeSummary } from '@forge-actions/action-kit';
import { printable } from '@forge-actions/action-kit/printable';
import {
  checkStampFiles,
  compilePrereleasePattern,
  type Resolution,
  resolveVersion,
  type StampResult,
  stampFiles,
} from '@forge-actions/version';

await runAction(import.meta.url, async (inputs, runner) => {
  const version = inputs.string('version');
  const tagPattern = inputs.string('tag-pattern');
  const sourceFile = inputs.string('source-file');
  const stamp = inputs.list('stamp');
  const prereleasePattern = compilePrereleasePattern(inputs.string('prerelease-pattern'));
  // A stamp rewrites files: only inside the workspace, symlinks resolved, checked before anything else.
  checkStampFiles(stamp, runner.workspace, 'stamp', runner.workspace);

  const resolved: Resolution = await group('Resolve the version', () =>
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
      for (const r of results) {
        const what = r.changed ? `${r.previous.join(', ')} → ${r.value}` : `already ${r.value}`;
        log.info(printable(`${r.file} ${r.fields.join(', ')}: ${what}`));
      }
      return results;
    });
  }

  const outputs = {
    version: resolved.raw,
    'version-clean': resolved.clean,
    pep440: resolved.pep440,
    semver: resolved.semver,
    prerelease: resolved.prerelease,
    source: resolved.source,
    'docker-tags': resolved.dockerTags.join('\n'),
  };
  await writeSummary(
    'Resolved version',
    ['output', 'value'],
    [
      ...Object.entries(outputs).map(([name, value]): [string, string] => [
        name,
        String(value).replace(/\n/g, ', '),
      ]),
      ...stamped.map((r): [string, string] => [
        `stamped ${r.file}`,
        r.changed ? r.value : `${r.value} (unchanged)`,
      ]),
    ],
  );
  return outputs;
});
