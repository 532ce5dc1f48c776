export { finalizeRelease } from './finalize.js';
export { finalizeOutcome, finalizeSummary, readFinalizeRequest } from './request.js';
