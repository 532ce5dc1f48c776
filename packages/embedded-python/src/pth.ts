import { readdir } from 'node:fs/promises';
import { InputError } from '@forge-actions/action-kit/errors';

const SITE_PACKAGES_LINE = 'Lib\\site-packages';

export interface PthChanges {
  /** Add `Lib\site-packages` and enable `import site`. */
  sitePackages: boolean;
  /** Further lines (relative to the python folder), added in order after the existing paths. */
  extraPaths: string[];
}

export interface PthPatchResult {
  text: string;
  changed: boolean;
  /** Path lines added by this patch. */
  added: string[];
  /** What happened to `import site`. */
  importSite: 'uncommented' | 'appended' | 'already enabled' | 'left alone';
}

const IMPORT_SITE = /^\s*import\s+site\s*$/;
const COMMENTED_IMPORT_SITE = /^\s*#\s*import\s+site\s*$/;

/** How two ._pth path lines compare on Windows: case-insensitive, either slash, no trailing slash. */
function pathKey(line: string): string {
  return line.trim().replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();
}

const isPathLine = (line: string): boolean =>
  line.trim() !== '' && !line.trimStart().startsWith('#') && !/^\s*import\s/.test(line);

/**
 * Patches an embeddable Python's `._pth` text. Keeps every line it has (the stdlib zip and `.` first),
 * inserts missing path lines after the last existing path, and enables exactly one `import site`
 * (the first commented one, else a new line). Idempotent: patching the result again changes nothing.
 * Keeps the file's line endings (CRLF in python.org's files) and a byte-order mark.
 */
export function patchPth(original: string, changes: PthChanges): PthPatchResult {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = original.slice(bom.length);
  const eol = body.includes('\r\n') ? '\r\n' : body.includes('\n') ? '\n' : '\r\n';
  const lines = body === '' ? [] : body.split(/\r?\n/);
  const hadFinalEol = lines.length > 0 && lines[lines.length - 1] === '';
  if (hadFinalEol) lines.pop();

  const present = new Set(lines.filter(isPathLine).map(pathKey));
  const wanted = [...(changes.sitePackages ? [SITE_PACKAGES_LINE] : []), ...changes.extraPaths];
  const added: string[] = [];
  for (const line of wanted) {
    if (present.has(pathKey(line))) continue;
    present.add(pathKey(line));
    added.push(line.trim());
  }
  let lastPath = -1;
  lines.forEach((line, index) => {
    if (isPathLine(line)) lastPath = index;
  });
  lines.splice(lastPath + 1, 0, ...added);

  let importSite: PthPatchResult['importSite'] = 'left alone';
  if (changes.sitePackages) {
    if (lines.some((line) => IMPORT_SITE.test(line))) importSite = 'already enabled';
    else {
      const commented = lines.findIndex((line) => COMMENTED_IMPORT_SITE.test(line));
      if (commented >= 0) {
        lines[commented] = 'import site';
        importSite = 'uncommented';
      } else {
        lines.push('import site');
        importSite = 'appended';
      }
    }
  }

  const changed = added.length > 0 || importSite === 'uncommented' || importSite === 'appended';
  const text = changed || hadFinalEol ? `${bom}${lines.join(eol)}${eol}` : `${bom}${lines.join(eol)}`;
  return { text: changed ? text : original, changed, added, importSite };
}

/**
 * Checks `extra-paths` lines before anything is written: each is a path relative to the python folder
 * that stays inside the app (the folder holding the python folder), so the portable app still works
 * after it is moved. Returns the lines trimmed.
 */
export function checkExtraPaths(lines: string[], input = 'extra-paths'): string[] {
  return lines.map((raw, index) => {
    const line = raw.trim();
    const shown = line.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    const where = `line ${index + 1} ('${shown}')`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (/[\u0000-\u001f\u007f]/.test(line)) {
      throw new InputError(input, `${where} holds a line break or control character; give one path a line`);
    }
    if (/^[A-Za-z]:/.test(line) || /^[\\/]/.test(line)) {
      throw new InputError(
        input,
        `${where} is an absolute path; ._pth lines must be relative to the python folder (e.g. ../app/src)`,
      );
    }
    if (line.startsWith('#') || /^import\s/.test(line)) {
      throw new InputError(
        input,
        `${where} is not a path (# and import lines mean something else in a ._pth)`,
      );
    }
    // Start inside the python folder, one level below the app; '..' may climb to the app, not above it.
    let depth = 1;
    for (const part of line.split(/[\\/]+/)) {
      if (part === '..') depth--;
      else if (part !== '' && part !== '.') depth++;
      if (depth < 0) {
        throw new InputError(
          input,
          `${where} leads outside the app (above the folder that holds the python folder)`,
        );
      }
    }
    return line;
  });
}

/** The `._pth` file of an extracted embeddable Python: `python3XY._pth`, else the only `*._pth` there. */
export async function findPthFile(dir: string, stem: string): Promise<string | undefined> {
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('._pth'));
  const own = names.find((name) => name.toLowerCase() === `${stem}._pth`);
  if (own) return own;
  return names.length === 1 ? names[0] : undefined;
}
