import { group, log, runAction, writeSummary } from '@forge-actions/action-kit';
import { downloadWinWheels, readWheelRequest, wheelOutputs, wheelSummaries } from '@forge-actions/wheels';

await runAction(import.meta.url, async (inputs, runner) => {
  // Index credentials are registered as secrets, then every input is checked, before anything is fetched.
  const request = readWheelRequest(inputs, runner.workspace);
  const report = await downloadWinWheels(request, { tempDir: runner.temp, logger: log, group });
  for (const summary of wheelSummaries(report)) await writeSummary(...summary);
  return wheelOutputs(report);
});
