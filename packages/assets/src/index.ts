export { CHECKSUMS_NAME, formatChecksums, parseChecksums } from './checksums.js';
export { refreshDownloadsTable } from './downloads-table.js';
export { KnownDigests } from './existing-digests.js';
export { immutableReleaseError } from './immutable.js';
export { partialName, targetOfPartial } from './partial-names.js';
export { GITHUB_MAX_ASSET_BYTES, GITHUB_MAX_ASSETS, githubStoredName, preflight } from './preflight.js';
export { newestByName } from './reconcile-names.js';
export { type LocalFile, selectFiles } from './select-files.js';
export { checksumsFor, type SettledChecksums, settleChecksums } from './settle-checksums.js';
export {
  type AssetAction,
  type AssetResult,
  type FileFailure,
  type Phase,
  type UploadOptions,
  type UploadReport,
  uploadAssets,
} from './upload-assets.js';
