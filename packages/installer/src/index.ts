export { buildInstaller, buildSummaryRows, readBuildRequest } from './build.js';
export { displayPathIn } from './paths.js';
export { checkVbsPolicy, findVbsFiles, writeVbsFixes } from './vbs-files.js';
