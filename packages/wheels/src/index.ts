export { checkWheels } from './checks.js';
export {
  CLEANUP_LEVELS,
  type CleanupLevel,
  type CleanupOptions,
  type CleanupResult,
  cleanSitePackages,
  treeSize,
} from './cleanup.js';
export { type CommandResult, reasonOf, run, showCommand } from './command.js';
export { type Constraint, constraintViolations, parseConstraints } from './constraints.js';
export { downloadWinWheels, type RunContext, type WheelInfo, type WheelReport } from './download.js';
export {
  authorizationFor,
  checkIndexUrl,
  type Indexes,
  indexEnv,
  indexSecrets,
  urlSecrets,
} from './indexes.js';
export { installWheels } from './install.js';
export { isPureWheel, normalizeName, parseSdistName, parseWheelName, wheelRank } from './names.js';
export { PIP_HELPER } from './pip-engine.js';
export { candidatesFromLock } from './pylock.js';
export { checkWheelInputs, ENGINES, type Engine, type WheelInputs, type WheelRequest } from './request.js';
export { markerEnvironment, PLATFORMS, parseTarget, supportedTags, type Target } from './target.js';
export { UV_DEFAULT_VERSION, UV_MIN_VERSION } from './uv.js';
