export { fetchEmbeddedPython } from './fetch.js';
export { checkFetchInputs } from './request.js';
