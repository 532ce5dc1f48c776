export { applyLintPolicy } from './lint-policy.js';
export {
  type MakensisOptions,
  type MakensisResult,
  type MakensisWarning,
  makensisArgs,
  makensisError,
  outFileOf,
  parseWarnings,
  plannedInstaller,
  runMakensis,
} from './makensis.js';
export { type LintFinding, lintNsisScript, type NsisLintOptions } from './nsis-lint.js';
export { decodeScript, parseScript, type Statement } from './nsis-script.js';
export { checkInstallerPlace, displayPathIn } from './paths.js';
export { type BuildInputs, type BuildPlan, planBuild } from './plan.js';
export { decodePfx, type SignOptions, type SignResult, signInstaller, verifySignature } from './sign.js';
export { commentStart, inspectVbs, type VbsFinding, type VbsReport } from './vbs.js';
export { checkVbsPolicy, findVbsFiles, type VbsFile, vbsLintFindings, writeVbsFixes } from './vbs-files.js';
