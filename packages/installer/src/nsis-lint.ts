// A small rule set for the two NSIS mistakes that cost the seed project releases:
//   file-r-merge             `File /r` is a merge, not a replace: without an `RMDir /r` of the target
//                            first, files dropped from the payload survive an upgrade (seed 14, Pillow).
//   finish-page-parameters   MUI_FINISHPAGE_RUN_PARAMETERS breaks the finish page's Exec quoting (seed 13.3).
// The third rule, vbs-pythonw, is found while the launchers are read (vbs.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import { decodeScript, parseScript, type Statement } from './nsis-script.js';

export interface LintFinding {
  /** Absolute path of the file. */
  file: string;
  line: number;
  rule: 'file-r-merge' | 'finish-page-parameters' | 'vbs-pythonw';
  message: string;
}

export interface NsisLintOptions {
  /** Absolute path of the main script. */
  script: string;
  /** Defines given on the command line (-D), used to resolve `${NAME}` in paths. */
  defines?: Record<string, string>;
}

interface Located extends Statement {
  file: string;
}

/** Where `File /r` writes, and whether an RMDir /r of a folder inside it also counts. */
interface Target {
  path: string;
  /** The payload's folders are unknown (a wildcard source not found here): any RMDir /r inside counts. */
  lenient: boolean;
}

interface Scope {
  kind: 'section' | 'function';
  outPath: string;
  removed: string[];
}

const MAX_DEPTH = 16;

/** The parameters after a statement's leading /options (`RMDir /r /REBOOTOK dir` gives [dir]). */
function positionalArgs(args: string[]): string[] {
  const first = args.findIndex((arg) => !arg.startsWith('/'));
  return first < 0 ? [] : args.slice(first);
}

/** The script's statements with local `!include` files inlined (system headers are not ours to lint). */
function readStatements(file: string, scriptDir: string, seen: Set<string>, depth = 0): Located[] {
  if (seen.has(file) || depth > MAX_DEPTH) return [];
  seen.add(file);
  const statements: Located[] = [];
  for (const statement of parseScript(decodeScript(readFileSync(file)))) {
    statements.push({ ...statement, file });
    if (statement.command.toLowerCase() !== '!include') continue;
    const [name] = positionalArgs(statement.args);
    if (!name || name.includes('$')) continue;
    const local = name.replace(/\\/g, '/');
    const included = [resolve(dirname(file), local), resolve(scriptDir, local)].find(
      (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
    );
    if (included) statements.push(...readStatements(included, scriptDir, seen, depth + 1));
  }
  return statements;
}

/** Comparable form of an NSIS path: backslashes, no doubled or trailing separator, lower case. */
const comparable = (path: string) =>
  path.replace(/\//g, '\\').replace(/\\+/g, '\\').replace(/\\$/, '').toLowerCase();

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** The sources of a `File` statement when it has /r, else none. */
function recursiveSources(args: string[]): string[] {
  let recursive = false;
  const sources: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === '/r') recursive = true;
    else if (option === '/x') i++;
    else if (option === '/nonfatal' || option === '/a' || option.startsWith('/oname=')) continue;
    else sources.push(args[i]);
  }
  return recursive ? sources : [];
}

/**
 * The folders a `File /r` source merges into. `dir\*.*` puts dir's children into the output folder,
 * so each child folder is a target (all of them when dir is found next to the script); `dir` puts the
 * folder itself there.
 */
function targetsOf(source: string, outPath: string, scriptDir: string): Target[] {
  const local = source.replace(/\\/g, '/');
  const base = posix.basename(local);
  const parent = posix.dirname(local);
  if (/[*?]/.test(base)) {
    const folder = resolve(scriptDir, parent);
    if (parent.includes('$') || !isDirectory(folder)) return [{ path: outPath, lenient: true }];
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => ({ path: `${outPath}\\${entry.name}`, lenient: false }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }
  const found = resolve(scriptDir, local);
  if (!local.includes('$') && existsSync(found) && !isDirectory(found)) return [];
  return [{ path: `${outPath}\\${base}`, lenient: false }];
}

function covered(target: Target, removed: string[]): boolean {
  const path = comparable(target.path);
  return removed.some(
    (dir) => path === dir || path.startsWith(`${dir}\\`) || (target.lenient && dir.startsWith(`${path}\\`)),
  );
}

/** Lints an NSIS script and the local files it includes; findings are in file order. */
export function lintNsisScript(options: NsisLintOptions): LintFinding[] {
  const scriptDir = dirname(options.script);
  const defines = new Map(Object.entries(options.defines ?? {}));
  const expand = (text: string) => {
    let out = text;
    for (let i = 0; i < MAX_DEPTH && /\$\{[^}]+\}/.test(out); i++) {
      out = out.replace(/\$\{([^}]+)\}/g, (whole, name: string) => defines.get(name) ?? whole);
    }
    return out;
  };
  const findings: LintFinding[] = [];
  const macros = new Map<string, Located[]>();
  const scopes: Scope[] = [];
  let recording: Located[] | undefined;

  const visit = (statement: Located, depth: number): void => {
    const command = statement.command.toLowerCase();
    const args = statement.args;
    const positional = positionalArgs(args);
    if (recording) {
      if (command === '!macroend') recording = undefined;
      else recording.push(statement);
      return;
    }
    const scope = scopes[scopes.length - 1];
    switch (command) {
      case '!define': {
        const [name, value = ''] = positional;
        if (name === 'MUI_FINISHPAGE_RUN_PARAMETERS') {
          findings.push({
            file: statement.file,
            line: statement.line,
            rule: 'finish-page-parameters',
            message:
              'MUI_FINISHPAGE_RUN_PARAMETERS breaks the quoting of the finish page Exec ("Exec expects 1 ' +
              'parameters, got 2"); define MUI_FINISHPAGE_RUN_FUNCTION and start the app from that ' +
              'Function with ExecShell',
          });
        }
        if (name && !defines.has(name) && !args.some((arg) => /^\/(math|file|date|utcdate)$/i.test(arg))) {
          defines.set(name, value);
        }
        return;
      }
      case '!macro':
        // Macros are linted where they are inserted, with the section's state.
        recording = [];
        if (positional[0]) macros.set(positional[0], recording);
        return;
      case '!insertmacro': {
        const body = macros.get(positional[0] ?? '');
        if (scope && body && depth < MAX_DEPTH) for (const inner of body) visit(inner, depth + 1);
        return;
      }
      case 'section':
      case 'function':
        scopes.push({ kind: command, outPath: '$OUTDIR', removed: [] });
        return;
      case 'sectionend':
      case 'functionend':
        scopes.pop();
        return;
    }
    if (!scope) return;
    if (command === 'setoutpath' && positional[0]) {
      scope.outPath = expand(positional[0]).replace(/[\\/]+$/, '');
    } else if (command === 'rmdir' && args.some((arg) => arg.toLowerCase() === '/r') && positional[0]) {
      scope.removed.push(comparable(expand(positional[0])));
    } else if (command === 'file') {
      const missing = recursiveSources(args)
        .flatMap((source) => targetsOf(expand(source), scope.outPath, scriptDir))
        .filter((target) => !covered(target, scope.removed))
        .map((target) => target.path);
      if (missing.length > 0) {
        const list = [...new Set(missing)];
        findings.push({
          file: statement.file,
          line: statement.line,
          rule: 'file-r-merge',
          message:
            `File /r merges into ${list.join(', ')}: files dropped from the payload stay behind on upgrade ` +
            `(half-old, half-new packages such as the Pillow _imaging mismatch); add ` +
            `${list.map((path) => `RMDir /r "${path}"`).join(', ')} before it in this ${scope.kind}`,
        });
      }
    }
  };

  for (const statement of readStatements(options.script, scriptDir, new Set())) visit(statement, 0);
  return findings;
}
