// Where a version lives in a project file, down to the characters of its value, so that reading and
// stamping share one locator and a stamp replaces exactly those characters and nothing else.
// TOML goes through toml-eslint-parser rather than a patching library: it gives source ranges, and
// splicing a range keeps every other byte (comments, alignment, quotes, CRLF) as it was.
import { basename } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { findNodeAtLocation, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { type AST, parseTOML, ParseError as TomlParseError } from 'toml-eslint-parser';

export type ProjectFileKind = 'pyproject' | 'package-json' | 'python';

/** One version value in a file: what it says and the offsets of its characters inside the quotes. */
export interface VersionField {
  /** Where it is, for messages: `[project].version`, `version`, `__version__`. */
  name: string;
  value: string;
  start: number;
  end: number;
}

export interface VersionFields {
  /** In reading order: the first one is the file's version. */
  fields: VersionField[];
  /** pyproject.toml lists `version` in `[project].dynamic` (a build backend computes it): that line. */
  dynamicLine?: number;
}

/** The kind of project file by its name; undefined for a kind this package does not read. */
export function projectFileKind(path: string): ProjectFileKind | undefined {
  const name = basename(path);
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'package.json') return 'package-json';
  if (name.endsWith('.py')) return 'python';
  return undefined;
}

/** Finds the version values of a file; `file` is only used in messages. */
export function findVersionFields(kind: ProjectFileKind, original: string, file: string): VersionFields {
  // A byte order mark is not TOML or JSON; a space in its place keeps every offset where it was.
  const text = original.startsWith('\uFEFF') ? ` ${original.slice(1)}` : original;
  if (kind === 'pyproject') return pyprojectFields(text, file);
  if (kind === 'package-json') return { fields: packageJsonFields(text, file) };
  return { fields: pythonFields(text) };
}

/** 1-based line of an offset, for annotations. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

type Path = Array<string | number>;

function pyprojectFields(text: string, file: string): VersionFields {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text);
  } catch (error) {
    if (error instanceof TomlParseError) {
      throw new ActionError(
        `${printable(file)} is not valid TOML (line ${error.lineNumber}): ${printable(error.message)}`,
        {
          file,
          line: error.lineNumber,
        },
      );
    }
    throw error;
  }
  const values = new Map<string, AST.TOMLContentNode>();
  const visit = (kv: AST.TOMLKeyValue, prefix: Path) => {
    const path = [...prefix, ...kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value))];
    values.set(JSON.stringify(path), kv.value);
    if (kv.value.type === 'TOMLInlineTable') for (const inner of kv.value.body) visit(inner, path);
  };
  for (const item of ast.body[0].body) {
    if (item.type === 'TOMLKeyValue') visit(item, []);
    else for (const kv of item.body) visit(kv, item.resolvedKey);
  }
  const at = (...path: string[]) => values.get(JSON.stringify(path));

  const fields: VersionField[] = [];
  for (const [table, name] of [
    [['project'], '[project].version'],
    [['tool', 'poetry'], '[tool.poetry].version'],
  ] as const) {
    const node = at(...table, 'version');
    if (!node) continue;
    if (node.type !== 'TOMLValue' || node.kind !== 'string') {
      throw new ActionError(`${printable(file)}: ${name} is not a string`, {
        file,
        line: node.loc.start.line,
      });
    }
    const quote = node.multiline ? 3 : 1;
    fields.push({ name, value: node.value, start: node.range[0] + quote, end: node.range[1] - quote });
  }
  const dynamic = at('project', 'dynamic');
  const isDynamic =
    dynamic?.type === 'TOMLArray' &&
    dynamic.elements.some((e) => e.type === 'TOMLValue' && e.kind === 'string' && e.value === 'version');
  return isDynamic ? { fields, dynamicLine: dynamic.loc.start.line } : { fields };
}

function packageJsonFields(text: string, file: string): VersionField[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !root) {
    const first = errors[0];
    const what = first ? `${printParseErrorCode(first.error)} (line ${lineAt(text, first.offset)})` : 'empty';
    throw new ActionError(`${printable(file)} is not valid JSON: ${what}`, {
      file,
      ...(first ? { line: lineAt(text, first.offset) } : {}),
    });
  }
  const node = root.type === 'object' ? findNodeAtLocation(root, ['version']) : undefined;
  if (!node) return [];
  if (node.type !== 'string') {
    throw new ActionError(`${printable(file)}: version is not a string`, {
      file,
      line: lineAt(text, node.offset),
    });
  }
  return [{ name: 'version', value: node.value, start: node.offset + 1, end: node.offset + node.length - 1 }];
}

// `__version__ = "1.2.3"` (also annotated, single-quoted, or indented as in a try/except fallback).
const PY_VERSION = /^[ \t]*__version__[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*(["'])([^"'\\\r\n]*)\1/m;

function pythonFields(text: string): VersionField[] {
  const m = PY_VERSION.exec(text);
  if (!m) return [];
  const end = m.index + m[0].length - 1;
  return [{ name: '__version__', value: m[2], start: end - m[2].length, end }];
}

/** The text with each field's characters replaced by `value`; every other byte stays as it was. */
export function spliceFields(text: string, fields: readonly VersionField[], value: string): string {
  let out = text;
  for (const field of [...fields].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, field.start) + value + out.slice(field.end);
  }
  return out;
}
