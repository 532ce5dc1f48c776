// The Portainer redeploy webhook. The URL is the credential, so it never reaches a log line or an error
// text in any spelling: the HTTP client shows a label in its place (a registered secret masks only the
// spelling as given, not the normalised one a URL parser prints), and everything here speaks of "the webhook".
import type { Logger } from '@forge-actions/action-kit/errors';
import { HttpClient, HttpError, NetworkError } from '@forge-actions/http';

export type WebhookResult = 'ok' | 'failed' | 'skipped';

/**
 * `http(s)://` only; anything else names the input without echoing the value.
 * @internal Exported for its unit tests.
 */
export function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * POSTs to the webhook once (a redeploy is not idempotent; only a refused connection is retried).
 * Any 2xx is success (services answer 204, stacks 204 or 202 with JSON). A 409 means a stack deploy is
 * already running: it may have started before this push, so the new image is not known to be deployed,
 * and the result is `failed` with a warning that says so. Failures warn; they never throw.
 * `timeoutSeconds` is the total time of an attempt (connection, answer and its body), not an idle time.
 */
export async function triggerWebhook(
  url: string,
  timeoutSeconds: number,
  logger: Logger,
): Promise<WebhookResult> {
  const client = new HttpClient({
    retries: 2,
    baseDelayMs: 500,
    socketTimeoutMs: timeoutSeconds * 1000,
    timeoutMs: timeoutSeconds * 1000,
    keepAlive: false,
    label: 'the Portainer webhook',
    secrets: [url],
    logger,
  });
  try {
    const response = await client.request('POST', url, { idempotent: false, allowStatus: [409] });
    if (response.status === 409) {
      logger.warning(
        'Portainer webhook: a deploy is already running (409); the new image may not be picked up until the next redeploy',
      );
      return 'failed';
    }
    logger.info(`Portainer webhook answered ${response.status}: redeploy triggered`);
    return 'ok';
  } catch (error) {
    logger.warning(`Portainer webhook failed: ${describe(error, timeoutSeconds)}`);
    return 'failed';
  } finally {
    client.dispose?.();
  }
}

// Only the status or the error code: server words or URLs could echo the token.
function describe(error: unknown, timeoutSeconds: number): string {
  if (error instanceof HttpError) return `it answered HTTP ${error.status}`;
  if (error instanceof NetworkError) {
    return error.code === 'ETIMEDOUT' || error.code === 'ESOCKETTIMEDOUT'
      ? `no answer within ${timeoutSeconds} s`
      : `no connection (${error.code})`;
  }
  return 'unexpected error';
}
