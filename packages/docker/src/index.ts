export { checkBuilderInputs, checkBuildInputs } from './builder.js';
export { packageLinker } from './link-package.js';
export { creationTime, planImage, sourceOfRun } from './plan.js';
export { publishImage } from './publish.js';
export { checkImage, checkRegistry } from './reference.js';
