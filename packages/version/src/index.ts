export { cleanVersion, compareVersions, dockerTags, normalizeVersion } from './normalize.js';
export { resolutionOutputs, resolutionSummaryRows, stampLine } from './report.js';
export { compilePrereleasePattern, resolveVersion } from './resolve.js';
export { checkStampFiles, type StampResult, stampFiles } from './stamp.js';
