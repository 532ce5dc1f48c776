export { githubAssetName, isValidTagName } from './names.js';
export {
  DEFAULT_GITEA_VERSION,
  DEFAULT_REPO,
  DEFAULT_TOKEN,
  listRoutes,
  startForgeServer,
} from './server.js';
export type {
  AssetState,
  ChangeKind,
  ChangeRecord,
  FaultController,
  FaultHandle,
  FaultResponse,
  FaultSpec,
  Flavour,
  ForgeServer,
  ForgeServerOptions,
  PackageState,
  RecordedRequest,
  ReleaseState,
  SeedAssetOptions,
  SeedHelpers,
  SeedPackage,
  SeedRelease,
  StateView,
  TokenSpec,
} from './types.js';
