export { formatBytes } from './bytes.js';
export { ActionError, type FileLocation, InputError, type Logger } from './errors.js';
export { Inputs } from './inputs.js';
export { group, log } from './log.js';
export {
  type ActionMetadata,
  expandDefault,
  type InputSpec,
  inputEnvName,
  loadActionMetadata,
} from './metadata.js';
export { printable } from './printable.js';
export { progressLogger } from './progress.js';
export { type Outputs, type OutputValue, runAction } from './run.js';
export type { Runner } from './runner.js';
export { redact, registerSecret } from './secrets.js';
export { type Cell, markdownTable, writeSummary } from './summary.js';
export { expandTemplate, type TemplateValues } from './template.js';
