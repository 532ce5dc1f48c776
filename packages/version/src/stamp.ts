// Writes the resolved version into project files: every file is read, located and edited in memory
// first, and only when all of them can be stamped is anything written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ActionError, InputError } from '@forge-actions/action-kit/errors';
import { isInside, isReallyInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';
import type { NormalizedVersion } from './normalize.js';
import { findVersionFields, projectFileKind, spliceFields } from './project-files.js';

export interface StampResult {
  file: string;
  /** The fields written, e.g. `[project].version`. */
  fields: string[];
  /** What was written: PEP 440 into pyproject.toml, semver into package.json (npm accepts nothing else). */
  value: string;
  /** The values before, in the order of `fields`. */
  previous: string[];
  changed: boolean;
}

/**
 * Checks a `stamp` list before anything happens: each file is a kind that can be stamped, lies inside
 * the workspace once symlinks are resolved (a stamp rewrites the file), and exists.
 */
export function checkStampFiles(
  files: readonly string[],
  cwd = process.cwd(),
  input = 'stamp',
  workspace = cwd,
): void {
  for (const file of files) {
    const shown = printable(file);
    const kind = projectFileKind(file);
    if (kind !== 'pyproject' && kind !== 'package-json') {
      throw new InputError(input, `names '${shown}', which is neither a pyproject.toml nor a package.json`);
    }
    const path = resolve(cwd, file);
    if (!isInside(workspace, path)) {
      throw new InputError(
        input,
        `names '${shown}', which is outside the workspace (${printable(workspace)})`,
      );
    }
    if (!isReallyInside(workspace, path)) {
      throw new InputError(input, `names '${shown}', a link to a file outside the workspace`);
    }
    if (!existsSync(path)) throw new InputError(input, `names '${shown}', which does not exist`);
  }
}

/**
 * Stamps `version` into each file, changing only the version value; all or nothing, and only files
 * inside `workspace` (symlinks resolved).
 */
export function stampFiles(
  files: readonly string[],
  version: Pick<NormalizedVersion, 'pep440' | 'semver'>,
  cwd = process.cwd(),
  workspace = cwd,
): StampResult[] {
  checkStampFiles(files, cwd, 'stamp', workspace);
  const plans = files.map((file) => {
    const kind = projectFileKind(file) === 'pyproject' ? 'pyproject' : 'package-json';
    const path = resolve(cwd, file);
    const text = readFileSync(path, 'utf8');
    const { fields, dynamicLine } = findVersionFields(kind, text, file);
    if (fields.length === 0) {
      if (dynamicLine !== undefined) {
        throw new ActionError(
          `${printable(file)} declares its version dynamic ([project].dynamic), so there is no version to stamp`,
          { file, line: dynamicLine },
        );
      }
      const where = kind === 'pyproject' ? '[project].version or [tool.poetry].version' : 'version';
      throw new ActionError(`${printable(file)} has no ${where} to stamp`, { file });
    }
    const value = kind === 'pyproject' ? version.pep440 : version.semver;
    const stamped = spliceFields(text, fields, value);
    const result: StampResult = {
      file,
      fields: fields.map((f) => f.name),
      value,
      previous: fields.map((f) => f.value),
      changed: stamped !== text,
    };
    return { path, stamped, result };
  });
  for (const plan of plans) if (plan.result.changed) writeFileSync(plan.path, plan.stamped);
  return plans.map((plan) => plan.result);
}
