export { packArchive } from './pack.js';
export { type PortablePlan, planOutput, planPortable } from './portable.js';
export { archiveTime } from './timestamp.js';
