export {
  composeBody,
  type DownloadAsset,
  type DownloadRow,
  hasGeneratedSection,
  MARKER,
  readDownloadRows,
  renderGenerated,
  replaceGenerated,
} from './body.js';
export { parseDownloadRows } from './downloads.js';
export {
  type EnsureOptions,
  type EnsureResult,
  ensureRelease,
  type OnExisting,
  type Outcome,
  type ReleaseApi,
  type WantedRelease,
} from './ensure-release.js';
export { locateRelease, type ReleaseTarget, readReleaseTarget } from './locate.js';
export { chooseMakeLatest, type MakeLatestChoice } from './make-latest.js';
export { createReleaseRequest, MAX_BODY_CHARS, type ReleaseInputs } from './request.js';
export { tagNameProblem } from './tag-name.js';
