import { InputError } from '@forge-actions/action-kit/errors';

export interface KeyUri {
  /** The URI without its `pin-value` attribute: what may reach a command line and the log. */
  uri: string;
  /** The PIN the URI carried (percent-decoded), or '' when it carried none. */
  pin: string;
  /** The pin-value as written, for masking in both spellings. */
  pinAsWritten: string;
}

const isPin = (attribute: string) => /^pin-value=/i.test(attribute);

/**
 * Splits an RFC 7512 `pkcs11:` URI (path attributes `;`-separated, query attributes after `?`
 * `&`-separated) into the URI without `pin-value` and that PIN. osslsigncode would put the URI on its
 * command line, where `ps` shows it; the PIN goes the way of sign-pin instead (a private file).
 * `input` names the input in errors; the value is never repeated there, as it may hold the PIN.
 */
export function splitPinValue(input: string, text: string): KeyUri {
  if (!/^pkcs11:/i.test(text)) {
    throw new InputError(input, 'must be an RFC 7512 pkcs11: URI (e.g. pkcs11:token=MyToken;object=MyKey)');
  }
  const [path, query] = text.slice('pkcs11:'.length).split('?', 2) as [string, string | undefined];
  const attributes = [...path.split(';'), ...(query?.split('&') ?? [])];
  const pinAsWritten = attributes.find(isPin)?.slice('pin-value='.length) ?? '';
  let pin: string;
  try {
    pin = decodeURIComponent(pinAsWritten);
  } catch {
    throw new InputError(input, 'has a pin-value whose %-escapes are not valid');
  }
  const keptPath = path.split(';').filter((attribute) => !isPin(attribute));
  const keptQuery = (query?.split('&') ?? []).filter((attribute) => !isPin(attribute));
  const uri = `pkcs11:${keptPath.join(';')}${keptQuery.length > 0 ? `?${keptQuery.join('&')}` : ''}`;
  return { uri, pin, pinAsWritten };
}
