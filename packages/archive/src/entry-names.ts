import { isAbsolute, relative, resolve } from 'node:path';

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

/** Whether `target` lies inside `root` (or is it); both resolved. The last line of defence after the name check. */
export function isInside(root: string, target: string): boolean {
  const rel = relative(resolve(root), resolve(target));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
