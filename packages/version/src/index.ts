export { cleanVersion, compareVersions, dockerTags, normalizeVersion } from './normalize.js';
export { compilePrereleasePattern, type Resolution, resolveVersion } from './resolve.js';
export { checkStampFiles, type StampResult, stampFiles } from './stamp.js';
