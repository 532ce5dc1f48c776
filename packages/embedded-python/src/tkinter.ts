import { cp, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';

/** One piece of tkinter: how to recognise it in the extracted MSIs and where it goes in the python folder. */
interface Piece {
  label: string;
  kind: 'file' | 'directory';
  matches(name: string, path: string, children: Set<string>): boolean;
  /** Destination relative to the python folder; `name` is the found file or folder name. */
  target(name: string): string;
  /** Copied when present, not required. */
  optional?: boolean;
}

// The MSIs put the DLLs under DLLs/ and the Tcl/Tk libraries under tcl/ (python.org's installer
// layout). The DLLs go beside python.exe (seed 4.4). The libraries keep CPython's own layout,
// {prefix}\tcl\tcl8.6 and {prefix}\tcl\tk8.6: that is where _tkinter points TCL_LIBRARY on Windows,
// and Tcl does not look for a tcl8.6 folder beside the executable. tcl\tcl8 holds Tcl modules such
// as msgcat, found relative to the library. Patterns allow the next Tcl.
const PIECES: Piece[] = [
  {
    label: '_tkinter.pyd',
    kind: 'file',
    matches: (name) => name.toLowerCase() === '_tkinter.pyd',
    target: (name) => name,
  },
  {
    label: 'tcl86t.dll',
    kind: 'file',
    matches: (name) => /^tcl\d+t?\.dll$/i.test(name),
    target: (name) => name,
  },
  {
    label: 'tk86t.dll',
    kind: 'file',
    matches: (name) => /^tk\d+t?\.dll$/i.test(name),
    target: (name) => name,
  },
  {
    label: 'tcl8.6/',
    kind: 'directory',
    matches: (name, _path, children) => /^tcl\d+\.\d+$/i.test(name) && children.has('init.tcl'),
    target: (name) => join('tcl', name),
  },
  {
    label: 'tk8.6/',
    kind: 'directory',
    matches: (name, _path, children) => /^tk\d+\.\d+$/i.test(name) && children.has('tk.tcl'),
    target: (name) => join('tcl', name),
  },
  {
    label: 'tcl/tcl8/',
    kind: 'directory',
    matches: (name, path) => /^tcl\d+$/i.test(name) && basename(dirname(path)).toLowerCase() === 'tcl',
    target: (name) => join('tcl', name),
    optional: true,
  },
  {
    label: 'Lib/tkinter/',
    kind: 'directory',
    matches: (name, _path, children) => name === 'tkinter' && children.has('__init__.py'),
    target: () => join('Lib', 'tkinter'),
  },
];

interface Found {
  path: string;
  depth: number;
  underLib: boolean;
}

/**
 * Finds tkinter's pieces in folders msiextract filled (searching rather than assuming one layout) and
 * copies them into `into`, laid out as in the python folder. A piece found more than once is taken
 * from the shallowest place (for tkinter: preferably a Lib folder). A missing piece fails, naming it.
 */
export async function collectTkinter(extracted: string[], into: string): Promise<string[]> {
  const found = new Map<Piece, Found>();
  const consider = (piece: Piece, path: string, depth: number) => {
    const underLib = basename(dirname(path)).toLowerCase() === 'lib';
    const best = found.get(piece);
    const better =
      !best ||
      (underLib && !best.underLib) ||
      (underLib === best.underLib && (depth < best.depth || (depth === best.depth && path < best.path)));
    if (better) found.set(piece, { path, depth, underLib });
  };
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name.toLowerCase()));
    for (const piece of PIECES) {
      if (piece.kind === 'directory' && depth > 0 && piece.matches(basename(dir), dir, names)) {
        consider(piece, dir, depth);
      }
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile()) {
        for (const piece of PIECES) {
          if (piece.kind === 'file' && piece.matches(entry.name, path, names))
            consider(piece, path, depth + 1);
        }
      }
    }
  };
  for (const root of extracted) await walk(root, 0);

  const missing = PIECES.filter((piece) => !piece.optional && !found.has(piece)).map((piece) => piece.label);
  if (missing.length > 0) {
    throw new ActionError(`tcltk.msi and lib.msi hold no ${missing.join(', ')}; cannot add tkinter`);
  }
  const placed: string[] = [];
  for (const piece of PIECES.filter((p) => found.has(p))) {
    const source = (found.get(piece) as Found).path;
    const target = piece.target(basename(source));
    await cp(source, join(into, target), { recursive: true, errorOnExist: false, force: true });
    placed.push(`${target.replace(/\\/g, '/')}${piece.kind === 'directory' ? '/' : ''}`);
  }
  return placed;
}
