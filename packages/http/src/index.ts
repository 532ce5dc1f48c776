export { basicAuthUrl } from './basic-auth.js';
export { type DownloadResult, HttpClient, type HttpClientOptions, parseJson } from './client.js';
export { HttpError, isTransient, NetworkError } from './errors.js';
export { parseListing } from './listing.js';
export { redactUrl, scrubSecrets, secretsOfAuthorization } from './redact.js';
