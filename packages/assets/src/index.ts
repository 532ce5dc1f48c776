export { CHECKSUMS_NAME } from './checksums.js';
export { refreshDownloadsTable } from './downloads-table.js';
export { KnownDigests } from './existing-digests.js';
export { immutableReleaseError } from './immutable.js';
export { targetOfPartial } from './partial-names.js';
export { newestByName } from './reconcile-names.js';
export { readUploadRequest, uploadOutcome, uploadSummary } from './request.js';
export { checksumsFor, type SettledChecksums, settleChecksums } from './settle-checksums.js';
export { type AssetResult, uploadAssets } from './upload-assets.js';
