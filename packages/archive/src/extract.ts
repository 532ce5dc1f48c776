// The extraction half on its own, so a bundle that only unpacks (fetch-embedded-python) does not load
// the archive writers.
export { isInside, unsafeEntryName } from './entry-names.js';
export { type ExtractResult, extractZip } from './extract-zip.js';
