export { formatBytes } from './bytes.js';
export { group, log } from './log.js';
export { expandDefault, inputEnvName } from './metadata.js';
export { printable } from './printable.js';
export { progressLogger } from './progress.js';
export { runAction } from './run.js';
export { registerSecret } from './secrets.js';
export { writeSummary } from './summary.js';
