export {
  type DownloadAssetOptions,
  ForgeClient,
  type ForgeClientConfig,
  type HttpTuning,
  type MakeLatest,
  mutationSpacingMs,
  type NewRelease,
  PAGE_SIZE,
  type ReleasePatch,
  type UploadFile,
} from './client.js';
export {
  type ConnectOptions,
  connectForge,
  type Detection,
  detectFlavour,
  type ForgeChoice,
  type ForgeInputs,
  type InputReader,
  parseRepository,
  readForgeInputs,
  resolveApiUrl,
} from './connect.js';
export {
  AssetConflictError,
  type ErrorContext,
  ForgeError,
  forgeErrorMessage,
  hasAlreadyExists,
  isLostCreate,
  ReleaseConflictError,
  toForgeError,
} from './errors.js';
export {
  type Asset,
  type Release,
  type ReleaseRef,
  sha256FromDigest,
  stripUriTemplate,
  toAsset,
  toRelease,
} from './models.js';
export { type MultipartBody, multipartFile, quoteFilename } from './multipart.js';
export {
  type Flavour,
  ROUTES,
  type Route,
  type RouteName,
  type RouteParams,
  routeFor,
  routePath,
} from './routes.js';
export { acceptsRawUpload, parseGiteaVersion } from './version.js';
