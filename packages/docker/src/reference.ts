// Image references as Docker spells them: registry host[:port], lower-case path components, tags.
import { InputError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';

// distribution/reference: components of lower-case alphanumerics joined by `.`, `_`, `__` or dashes.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;

/** The registry host (with port) of a server URL: `https://gitea.example.com:3000/` → `gitea.example.com:3000`. */
export function registryOfServerUrl(serverUrl: string): string {
  try {
    return new URL(serverUrl).host;
  } catch {
    return '';
  }
}

/** A registry given as a host or a URL (`https://` is dropped; a path is not allowed). */
export function checkRegistry(input: string, value: string): string {
  if (value === '') throw new InputError(input, 'is required (no server URL to default to)');
  // A registry host has no `@`: what comes before one is user:password, never to be echoed.
  if (value.includes('@')) {
    throw new InputError(
      input,
      'must not carry credentials (user:password@): docker logs in with the username and password inputs',
    );
  }
  const host = value.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!HOST.test(host))
    throw new InputError(
      input,
      `must be a registry host such as gitea.example.com (got '${printable(value)}')`,
    );
  return host.toLowerCase();
}

/** An image path (`owner/name`): lower-case components, no registry, tag or digest. */
export function checkImage(input: string, value: string): string {
  if (value === '') throw new InputError(input, 'is required (no repository to default to)');
  const parts = value.split('/');
  if (value.length > 255 || !parts.every((part) => COMPONENT.test(part))) {
    throw new InputError(
      input,
      `must be an image path such as owner/name, lower-case, without registry or tag (got '${printable(value)}')`,
    );
  }
  return value;
}

/** A Docker tag: up to 128 of letters, digits, `_`, `.`, `-`, not starting with `.` or `-`. */
export function checkTag(input: string, value: string): string {
  if (!TAG.test(value))
    throw new InputError(input, `holds '${printable(value)}', which is not a valid Docker tag`);
  return value;
}
