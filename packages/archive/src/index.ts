export { unsafeEntryName } from './entry-names.js';
export {
  type ExtractOptions,
  type ExtractResult,
  extractLimitsFromInputs,
  extractZip,
} from './extract-zip.js';
export { type ArchiveFormat, formatOfName, type PackOptions, type PackResult, packArchive } from './pack.js';
export { type PortableInputs, type PortablePlan, planPortable } from './portable.js';
export { type ArchiveTime, archiveTime, ZIP_EPOCH } from './timestamp.js';
export { byPath, listTree, type TreeEntry } from './tree.js';
