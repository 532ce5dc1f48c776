/**
 * Why an archive entry name must not be extracted, or undefined when it is safe. Names are checked as
 * stored, before anything is written: zip names use `/` only (APPNOTE 4.4.17), so a backslash is refused
 * rather than guessed at (`..\evil`, `C:\x` and `\\server\share` hide behind it).
 */
export function unsafeEntryName(name: string): string | undefined {
  if (name === '') return 'empty name';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character in the name';
  if (name.includes('\\')) return 'backslash in the name';
  if (/^[A-Za-z]:/.test(name)) return 'drive letter';
  if (name.startsWith('/')) return 'absolute path';
  if (name.split('/').includes('..')) return "'..' segment";
  return undefined;
}

/**
 * Device names Win32 opens instead of a file, whatever the extension (`aux.txt`, `CON.tar.gz`) and the
 * case; the superscript COM/LPT digits count too (Windows 10 and later treat them as devices).
 */
const DEVICE_NAME =
  /^(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

/**
 * Why a `/`-separated name cannot be written as is on Windows, or undefined. Checked on top of
 * `unsafeEntryName` (which already refuses backslashes, drive letters and control characters):
 * - `:` opens an NTFS alternate data stream (`python.exe:x` writes a hidden stream of python.exe);
 *   `<>"|?*` are refused by Win32 outright;
 * - a device name (`CON`, `aux.txt`, `LPT1`, `COM1.py`): the part before the first dot, trailing spaces
 *   dropped, in any case, opens the device instead of a file;
 * - a trailing dot or space in a segment is silently dropped, so `x.` becomes `x` (and may meet it).
 * Names that differ only in case are a property of the set, see `caseClashFinder`.
 */
export function windowsUnsafeName(name: string): string | undefined {
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') continue;
    const bad = /[<>:"|?*]/.exec(segment);
    if (bad) {
      return bad[0] === ':'
        ? "':' in a name (an alternate data stream on Windows)"
        : `character '${bad[0]}' that Windows refuses in names`;
    }
    const stem = segment.split('.')[0].replace(/ +$/, '');
    if (DEVICE_NAME.test(stem)) return `reserved Windows device name '${stem}'`;
    if (segment.endsWith('.')) return `trailing dot in '${segment}', which Windows drops`;
    if (segment.endsWith(' ')) return `trailing space in '${segment}', which Windows drops`;
  }
  return undefined;
}

/**
 * Case folding close to NTFS's: each code point mapped to its simple upper case (one code point for one,
 * so `ß` stays `ß` as it does on NTFS, where JavaScript's full mapping would make it `SS`).
 */
function foldCase(name: string): string {
  let folded = '';
  for (const char of name) {
    const upper = char.toUpperCase();
    folded += [...upper].length === 1 ? upper : char;
  }
  return folded;
}

/**
 * A checker fed names one by one (`/`-separated, a trailing `/` for folders): it returns why a name
 * clashes with an earlier one on a case-insensitive file system (Windows, macOS by default), or
 * undefined. Every folder above a name takes part, so `Lib/os.py` and `lib/site.py` clash on their
 * folders even without folder entries; the same name twice is not a clash (duplicates are caught apart).
 */
export function caseClashFinder(): (name: string) => string | undefined {
  const seen = new Map<string, string>();
  return (name) => {
    const parts = name.replace(/\/+$/, '').split('/');
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/');
      const key = foldCase(path);
      const earlier = seen.get(key);
      if (earlier === undefined) seen.set(key, path);
      else if (earlier !== path) {
        return i < parts.length
          ? `folder '${path}' differs only in case from '${earlier}'`
          : `differs only in case from '${earlier}'`;
      }
    }
    return undefined;
  };
}
