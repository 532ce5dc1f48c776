export { buildLinuxPortable } from './build.js';
export { linuxPortableOutputs, linuxPortableSummary } from './report.js';
export { readLinuxPortableRequest } from './request.js';
