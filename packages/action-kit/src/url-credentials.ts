// The credentials a URL value carries (`user:password@`), in every spelling a log could show them: one
// place for the kit's URL inputs and for packages that read credentials out of URLs.

/** `%xx` decoded; a spelling that is not valid percent-encoding is taken as written. */
export function decodedPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * What to register as secrets for a URL value: the value itself, user and password as written and
 * percent-decoded; nothing when it carries no credentials. A value that is no URL is one secret as a
 * whole, as where its credentials would end cannot be told.
 */
export function credentialSpellings(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [value];
  }
  if (!url.username && !url.password) return [];
  const out = new Set([value]);
  for (const part of [url.username, url.password]) {
    if (!part) continue;
    out.add(part);
    out.add(decodedPart(part));
  }
  return [...out];
}
