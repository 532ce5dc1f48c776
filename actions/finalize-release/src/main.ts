import { group, log, runAction, writeSummary } from '@forge-actions/action-kit';
import {
  finalizeOutcome,
  finalizeRelease,
  finalizeSummary,
  readFinalizeRequest,
} from '@forge-actions/finalize';
import { connectForge } from '@forge-actions/forge';
import { locateRelease } from '@forge-actions/release';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked before the first request.
  const request = readFinalizeRequest(inputs);
  const forge = await group('Connect', () => connectForge({ ...request.forge, logger: log }));
  const release = await locateRelease(
    forge,
    request.target,
    'create it as a draft with create-release (draft: true) before the build jobs.',
  );
  const report = await finalizeRelease(forge, release, {
    ...request.options,
    tempDir: runner.tempDir('finalize-release'),
    logger: log,
    phase: group,
  });
  await writeSummary(...finalizeSummary(report));
  return finalizeOutcome(report);
});
