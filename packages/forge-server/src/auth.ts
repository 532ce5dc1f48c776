// Authorization header parsing: `token X`, `Bearer X`, or Basic with the token as user or password.
import type { TokenSpec } from './types.js';

export type Auth = { kind: 'anonymous' } | { kind: 'invalid' } | { kind: 'token'; spec: TokenSpec };

export function authenticate(header: string | undefined, tokens: ReadonlyMap<string, TokenSpec>): Auth {
  if (header === undefined || header.trim() === '') return { kind: 'anonymous' };
  const match = /^(\w+)\s+(\S+)\s*$/.exec(header.trim());
  if (!match) return { kind: 'invalid' };
  const [, scheme, credential] = match;
  let candidates: string[];
  switch (scheme.toLowerCase()) {
    case 'token':
    case 'bearer':
      candidates = [credential];
      break;
    case 'basic': {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      candidates = colon < 0 ? [decoded] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
      break;
    }
    default:
      return { kind: 'invalid' };
  }
  for (const candidate of candidates) {
    const spec = tokens.get(candidate);
    if (spec) return { kind: 'token', spec };
  }
  return { kind: 'invalid' };
}
