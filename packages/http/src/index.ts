export {
  type BackoffOptions,
  backoffDelay,
  isRateLimited,
  isRetryableStatus,
  parseRetryAfter,
  RATE_LIMIT_RESET_MARGIN_MS,
  serverRequestedDelay,
} from './backoff.js';
export type { BodyFactory } from './body.js';
export {
  type DownloadOptions,
  type DownloadResult,
  type Headers,
  HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  type JsonResponse,
  parseJson,
  type RequestOptions,
  serverMessageOf,
} from './client.js';
export {
  BodyError,
  DeadlineError,
  HttpError,
  isTransient,
  isTransientNetworkError,
  NetworkError,
  networkErrorCode,
  TruncatedBodyError,
  wasNotSent,
} from './errors.js';
export { nextPageUrl, parseLinkHeader } from './link.js';
export { redactUrl, scrubSecrets, secretsOfAuthorization } from './redact.js';
export { Spacer } from './spacing.js';
