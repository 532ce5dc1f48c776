export { fetchEmbeddedPython } from './fetch.js';
export { fetchOutputs, fetchSummary, pthSummary, readFetchRequest } from './report.js';
