export { applyLintPolicy } from './lint-policy.js';
export { plannedInstaller, runMakensis } from './makensis.js';
export { lintNsisScript } from './nsis-lint.js';
export { checkInstallerPlace, displayPathIn } from './paths.js';
export { planBuild } from './plan.js';
export { decodePfx, signInstaller } from './sign.js';
export { checkVbsPolicy, findVbsFiles, vbsLintFindings, writeVbsFixes } from './vbs-files.js';
