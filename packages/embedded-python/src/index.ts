export { type FetchContext, type FetchResult, fetchEmbeddedPython, type ProgressFactory } from './fetch.js';
export { embedZipUrl, msiFolderUrl, whyNoEmbedZip } from './mirror.js';
export { ensureMsiextract, extractMsi } from './msiextract.js';
export {
  checkExtraPaths,
  findPthFile,
  type PthChanges,
  type PthPatchResult,
  patchPth,
  SITE_PACKAGES_LINE,
} from './pth.js';
export { checkFetchInputs, type FetchInputs, type FetchRequest } from './request.js';
export { collectTkinter } from './tkinter.js';
export { PYTHON_TOOL, TKINTER_TOOL } from './tool-cache.js';
export { EMBED_ARCHES, type EmbedArch, type PythonVersion, parsePythonVersion } from './version.js';
