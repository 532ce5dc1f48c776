export { type GitReader, systemGit } from './git.js';
export {
  cleanVersion,
  compareVersionStrings,
  compareVersions,
  dockerTags,
  LABEL_PEP440,
  type NormalizedVersion,
  type NormalizeOptions,
  normalizeVersion,
  pep440StringToSemver,
  type VersionKind,
} from './normalize.js';
export {
  comparePep440,
  formatPep440,
  isPep440Prerelease,
  normalizePep440,
  type Pep440,
  parsePep440,
  pep440ToSemver,
} from './pep440.js';
export {
  findVersionFields,
  type ProjectFileKind,
  projectFileKind,
  spliceFields,
  type VersionField,
  type VersionFields,
} from './project-files.js';
export {
  compilePrereleasePattern,
  type Resolution,
  type ResolveOptions,
  resolveVersion,
  tagPrefix,
  type VersionSource,
} from './resolve.js';
export { checkStampFiles, type StampResult, stampFiles } from './stamp.js';
