// What a Linux build shares with the Windows one (the seed's build-common.sh, section 5.2): the
// site-packages cleanup rules, package indexes given as inputs, and running pip with secrets masked.
export {
  CLEANUP_LEVELS,
  type CleanupLevel,
  checkRemovePatterns,
  cleanSitePackages,
  treeSize,
} from './cleanup.js';
export { reasonOf, run } from './command.js';
export { checkIndexUrl, type Indexes, indexEnv, indexSecrets } from './indexes.js';
export { type Python, probePython } from './python.js';
