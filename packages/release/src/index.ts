export {
  type DigestRecord,
  generatedSection,
  hasGeneratedSection,
  readDigestRecord,
  readDownloadRows,
  renderGenerated,
  replaceGenerated,
  withDigestRecord,
} from './body.js';
export { createOutputs, readCreateRequest } from './create-inputs.js';
export { ensureRelease } from './ensure-release.js';
export { repairEpochDate } from './epoch-date.js';
export { locateRelease, type ReleaseTarget, readReleaseTarget } from './locate.js';
export { chooseMakeLatest, type MakeLatestChoice } from './make-latest.js';
