import { group, log, registerSecret, runAction, writeSummary } from '@forge-actions/action-kit';
import { buildInstaller, buildSummaryRows, readBuildRequest } from '@forge-actions/installer';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked (launchers found, lint applied) before a tool is installed or a file
  // is written.
  const request = await readBuildRequest(inputs, runner.workspace, log, registerSecret);
  const report = await buildInstaller(request, { runner, logger: log, phase: group });
  await writeSummary('NSIS installer', ['item', 'value'], buildSummaryRows(request, report));
  return {
    installer: report.installer,
    sha256: report.sha256,
    size: report.size,
    'vbs-fixed': report.fixed,
    signed: report.signedFiles.join(','),
  };
});
