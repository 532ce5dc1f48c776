export { hasGeneratedSection, readDownloadRows, renderGenerated, replaceGenerated } from './body.js';
export { ensureRelease, type OnExisting } from './ensure-release.js';
export { locateRelease, type ReleaseTarget, readReleaseTarget } from './locate.js';
export { chooseMakeLatest, type MakeLatestChoice } from './make-latest.js';
export { createReleaseRequest } from './request.js';
