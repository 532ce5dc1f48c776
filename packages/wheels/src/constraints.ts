import { InputError } from '@forge-actions/action-kit/errors';
import { satisfies, validRange } from '@renovatebot/pep440';
import { normalizeName } from './names.js';

/** One `constraints` line that names a project and a version specifier. */
export interface Constraint {
  /** The line as written (comment removed). */
  text: string;
  /** Normalised project name. */
  name: string;
  /** PEP 440 specifier set, '' for none. */
  specifier: string;
  /** The environment marker after `;`, when there is one. */
  marker: string | undefined;
}

const REQUIREMENT =
  /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*([^;]*?)\s*(?:;\s*(.*))?$/;

/** A line without its `# comment` (a `#` at the start or after white space, as pip reads it). */
const stripComment = (line: string) => line.replace(/(^|\s)#.*$/, '').trim();

/**
 * Reads the `constraints` lines. Lines the resolvers understand but that pin nothing checkable (options
 * such as `-c other.txt`, direct references `name @ url`) are passed on and not checked afterwards; a
 * line that names a project with a specifier PEP 440 does not know is an input error.
 */
export function parseConstraints(lines: string[]): Constraint[] {
  const constraints: Constraint[] = [];
  lines.forEach((raw, index) => {
    const text = stripComment(raw);
    if (text === '' || text.startsWith('-') || /\s@\s|:\/\//.test(text)) return;
    const m = REQUIREMENT.exec(text);
    const specifier = (m?.[2] ?? '').replace(/^\((.*)\)$/, '$1').trim();
    if (!m || (specifier !== '' && !validRange(specifier))) {
      throw new InputError(
        'constraints',
        `line ${index + 1} is not a project with a PEP 440 version specifier (got '${text}')`,
      );
    }
    constraints.push({ text, name: normalizeName(m[1]), specifier, marker: m[3]?.trim() || undefined });
  });
  return constraints;
}

export interface Pinned {
  name: string;
  version: string;
  file: string;
}

/**
 * Every wheel whose version a constraint excludes, as one message each. The resolvers already apply the
 * constraints; this is the check afterwards, so a stray wheel (the seed's numpy 2 pulled in
 * transitively) can never reach wheel-dir. Constraints with a marker are left to the resolver.
 */
export function constraintViolations(wheels: Pinned[], constraints: Constraint[]): string[] {
  const problems: string[] = [];
  for (const wheel of wheels) {
    for (const c of constraints) {
      if (c.marker || c.specifier === '' || c.name !== wheel.name) continue;
      if (!satisfies(wheel.version, c.specifier)) {
        problems.push(`${wheel.file} (${wheel.name} ${wheel.version}) violates the constraint '${c.text}'`);
      }
    }
  }
  return problems;
}
