export { packArchive } from './pack.js';
export { planPortable } from './portable.js';
export { archiveTime } from './timestamp.js';
