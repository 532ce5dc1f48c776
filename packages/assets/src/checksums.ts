// SHA256SUMS in the format `sha256sum` writes and `sha256sum -c` reads: the hex digest, a space, a
// mode character (' ' text, '*' binary) and the file name, one file a line.

export const CHECKSUMS_NAME = 'SHA256SUMS';

export function formatChecksums(entries: Array<{ name: string; sha256: string }>): string {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => `${entry.sha256}  ${entry.name}\n`)
    .join('');
}

/** Name → digest from a SHA256SUMS text; lines that are not checksum lines are ignored. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (match) sums.set(match[2], match[1].toLowerCase());
  }
  return sums;
}
