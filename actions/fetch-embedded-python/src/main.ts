import { group, log, progressLogger, runAction, writeSummary } from '@forge-actions/action-kit';
import {
  fetchEmbeddedPython,
  fetchOutputs,
  fetchSummary,
  pthSummary,
  readFetchRequest,
} from '@forge-actions/embedded-python';

await runAction(import.meta.url, async (inputs, runner) => {
  const request = readFetchRequest(inputs, runner.workspace);
  const result = await group(`Python ${request.python.text} embeddable (${request.arch})`, async () => {
    const fetched = await fetchEmbeddedPython(request, {
      tempDir: runner.temp,
      logger: log,
      progress: (label) => progressLogger(label, log),
    });
    const { pth } = fetched;
    log.info(
      `${fetched.pthFile}: ${pth.changed ? pthSummary(pth) : `already patched; import site ${pth.importSite}`}`,
    );
    return fetched;
  });
  await writeSummary(...fetchSummary(request, result));
  return fetchOutputs(result);
});
