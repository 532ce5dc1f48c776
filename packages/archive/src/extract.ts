// The extraction half on its own, so a bundle that only unpacks (fetch-embedded-python) does not load
// the archive writers.
export { unsafeEntryName } from './entry-names.js';
export { type ExtractOptions, extractLimitsFromInputs } from './extract-limits.js';
export { extractTarGz } from './extract-tar.js';
export { extractZip } from './extract-zip.js';
