export { checkBuilderInputs, checkBuildInputs } from './builder.js';
export { packageLinker } from './link-package.js';
export {
  creationTime,
  type ImagePlan,
  type LatestMode,
  type PlanInput,
  planImage,
  sourceOfRun,
} from './plan.js';
export { type PublishOptions, type PublishResult, publishImage } from './publish.js';
export { checkImage, checkRegistry, checkTag, registryOfServerUrl } from './reference.js';
export { isWebhookUrl, triggerWebhook, type WebhookResult } from './webhook.js';
