export { finalizeRelease } from './finalize.js';
