import { group, log, progressLogger, runAction, writeSummary } from '@forge-actions/action-kit';
import {
  buildLinuxPortable,
  linuxPortableOutputs,
  linuxPortableSummary,
  readLinuxPortableRequest,
} from '@forge-actions/linux-portable';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked before anything is downloaded or written.
  const request = readLinuxPortableRequest(inputs, runner);
  const report = await buildLinuxPortable(request, {
    tempDir: runner.tempDir('linux-portable'),
    workspace: runner.workspace,
    sourceDateEpoch: runner.sourceDateEpoch,
    logger: log,
    phase: group,
    progress: (label) => progressLogger(label, log),
  });
  await writeSummary(...linuxPortableSummary(report));
  return linuxPortableOutputs(report);
});
