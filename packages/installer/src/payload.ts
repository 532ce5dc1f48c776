// What a template: builtin installer ships: every file and folder of dist-dir (plus the generated launcher
// and the icon), each with the path it gets under $INSTDIR. The same list is the install manifest, so
// an upgrade and the uninstaller remove exactly what an install put there.
import { lstatSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';

export interface PayloadEntry {
  /** Where it goes, relative to $INSTDIR, `/`-separated. */
  target: string;
  /** The file makensis packs (absolute); none for a folder. */
  source?: string;
}

/**
 * What a name must avoid to be installed on Windows (and to be a literal makensis `File` source: no
 * wildcard, no `$` or `${` a define would take, no quote ending the string).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const BAD_NAME = /[<>:"|?*\\$\u0000-\u001f]|[. ]$/;

/** Whether a Windows path name is fit for install (see BAD_NAME); `input` is blamed otherwise. */
export function checkWindowsName(input: string, path: string): void {
  for (const name of path.split('/')) {
    if (name === '' || name === '.' || name === '..' || BAD_NAME.test(name)) {
      throw new InputError(
        input,
        `has '${printable(path)}', which is no Windows path below the install folder ` +
          '(no < > : " | ? * \\ $ or control character, no name ending in a dot or space, no .. part)',
      );
    }
  }
}

/** Every file and folder under `root`, as payload entries; links are refused (makensis would follow them). */
export function listPayload(input: string, root: string): PayloadEntry[] {
  const entries: PayloadEntry[] = [];
  const walk = (folder: string, prefix: string) => {
    const seen = new Map<string, string>();
    for (const name of readdirSync(folder).sort()) {
      const target = prefix ? `${prefix}/${name}` : name;
      checkWindowsName(input, target);
      // Windows names are case-insensitive: App.py and app.py would overwrite each other.
      const twin = seen.get(name.toLowerCase());
      if (twin)
        throw new InputError(
          input,
          `has '${printable(twin)}' and '${printable(target)}', one file on Windows`,
        );
      seen.set(name.toLowerCase(), target);
      const source = join(folder, name);
      const stats = lstatSync(source);
      if (stats.isDirectory()) {
        entries.push({ target });
        walk(source, target);
      } else if (stats.isFile()) {
        entries.push({ target, source });
      } else {
        const what = stats.isSymbolicLink() ? 'a link' : 'neither a file nor a folder';
        throw new InputError(input, `has '${printable(target)}', which is ${what}`);
      }
    }
  };
  walk(root, '');
  return entries;
}

/**
 * Sorted with each folder after everything in it, names by code unit: the same list for the same tree,
 * and one pass over it empties each folder before removing it.
 */
export function postOrder(entries: PayloadEntry[]): PayloadEntry[] {
  const parts = (entry: PayloadEntry) => entry.target.split('/');
  return [...entries].sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return y.length - x.length;
  });
}

/** `app/x.py` as `app\x.py`, a folder with a trailing `\`: how the manifest and the script name it. */
const windowsPath = (entry: PayloadEntry) => entry.target.replaceAll('/', '\\') + (entry.source ? '' : '\\');

/**
 * install-manifest.txt: one payload path a line, in post order, CRLF; UTF-16LE with a byte order mark,
 * which the installer reads with FileReadUTF16LE (a Unicode installer's FileRead reads the ANSI code page).
 */
export function manifestBytes(entries: PayloadEntry[]): Buffer {
  const text = postOrder(entries)
    .map((entry) => `${windowsPath(entry)}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** Whether a payload path is a keep path or lies under a keep folder (`data/`), as Windows compares. */
export function isKept(target: string, keep: readonly string[]): boolean {
  const path = target.toLowerCase();
  return keep.some((kept) => {
    const k = kept.toLowerCase();
    return k.endsWith('/') ? `${path}/`.startsWith(k) : path === k;
  });
}

/** The parent folders of a path, deepest last (`a/b/c` gives a, a/b). */
export const parentsOf = (target: string) =>
  target
    .split('/')
    .slice(0, -1)
    .map((_, i, parts) => posix.join(...parts.slice(0, i + 1)));
