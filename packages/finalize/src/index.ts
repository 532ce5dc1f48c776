export { type FinalizeOptions, type FinalizeReport, finalizeRelease } from './finalize.js';
