export { packageLinker } from './link-package.js';
export { publishImage } from './publish.js';
export { publishOutputs, publishSummary, readPublishRequest } from './request.js';
