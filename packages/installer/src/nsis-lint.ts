// A small rule set for the two NSIS mistakes that cost the seed project releases:
//   file-r-merge             `File /r` is a merge, not a replace: a folder it extracts into must be
//                            cleared by an earlier `RMDir /r` (file-r-merge.ts), or files dropped from
//                            the payload survive an upgrade (seed 6 and 14, Pillow).
//   finish-page-parameters   MUI_FINISHPAGE_RUN_PARAMETERS breaks the finish page's Exec quoting (seed 13.3).
// The third rule, vbs-pythonw, is found while the launchers are read (vbs.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { comparable, type MergeScope, mergeMessages, recursiveSources } from './file-r-merge.js';
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
  const scopes: MergeScope[] = [];
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
        scopes.push({ kind: command, outPath: '$OUTDIR', cleared: [] });
        return;
      case 'sectionend':
      case 'functionend':
        scopes.pop();
        return;
    }
    if (!scope) return;
    // $OUTDIR is the folder SetOutPath last set, so `RMDir /r "$OUTDIR\python"` names a known folder.
    const path = (arg: string) => expand(arg).replace(/^\$OUTDIR(?=[\\/]|$)/i, () => scope.outPath);
    if (command === 'setoutpath' && positional[0]) {
      scope.outPath = path(positional[0]).replace(/[\\/]+$/, '');
    } else if (command === 'rmdir' && args.some((arg) => arg.toLowerCase() === '/r') && positional[0]) {
      scope.cleared.push(comparable(path(positional[0])));
    } else if (command === 'file') {
      const sources = recursiveSources(args).map(expand);
      for (const message of mergeMessages(sources, scope, scriptDir)) {
        findings.push({ file: statement.file, line: statement.line, rule: 'file-r-merge', message });
      }
    }
  };

  for (const statement of readStatements(options.script, scriptDir, new Set())) visit(statement, 0);
  return findings;
}
