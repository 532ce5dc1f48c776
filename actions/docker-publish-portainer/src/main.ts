import { group, log, registerSecret, runAction, writeSummary } from '@forge-actions/action-kit';
import {
  packageLinker,
  publishImage,
  publishOutputs,
  publishSummary,
  readPublishRequest,
} from '@forge-actions/docker';

await runAction(import.meta.url, async (inputs, runner) => {
  // Secrets are registered, then every input is checked, before docker runs.
  const { image, linkMode, forgeInputs, ...request } = readPublishRequest(inputs, runner, registerSecret);
  const link = request.push
    ? await packageLinker(linkMode, forgeInputs, request.registry, image, log)
    : undefined;
  const result = await publishImage({ ...request, link, logger: log, group });
  await writeSummary(...publishSummary(request.plan, result));
  return publishOutputs(request.plan, result);
});
