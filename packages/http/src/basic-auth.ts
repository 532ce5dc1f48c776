import { InputError } from '@forge-actions/action-kit/errors';
import { decodedPart } from '@forge-actions/action-kit/url-credentials';
import { redactUrl } from './redact.js';

/**
 * An http(s) URL input whose `user:password@` is sent as Basic auth (a mirror): the URL without
 * credentials, safe to print and to store, and the Authorization header value for the requests to it
 * ('' for none). A refused value is not echoed with its credentials. `what` completes the message.
 */
export function basicAuthUrl(
  input: string,
  value: string,
  what = '',
): { url: string; authorization: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, `must be an http(s) URL${what ? `, ${what}` : ''}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `must be an http(s) URL (got '${redactUrl(url)}')`);
  }
  const credentials =
    url.username || url.password ? `${decodedPart(url.username)}:${decodedPart(url.password)}` : '';
  url.username = '';
  url.password = '';
  return {
    url: url.href,
    authorization: credentials ? `Basic ${Buffer.from(credentials).toString('base64')}` : '',
  };
}
