import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import { isInside, isReallyInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';

export interface BuildInputs {
  script: string;
  /**
   * The input a problem with `script` is blamed on: `script`, or for a script build-nsis writes itself
   * (template: builtin) the input its place comes from; such a script need not exist yet.
   */
  generatedBy?: string;
  version: string;
  defines: Array<[string, string]>;
  workingDirectory: string;
  workspace: string;
}

export interface BuildPlan {
  /** Absolute working directory: where makensis runs and the `vbs` globs start. */
  cwd: string;
  /** Absolute path of the script. */
  script: string;
  /** Every `-D`, VERSION first when given. */
  defines: Array<[string, string]>;
}

/** Names makensis takes after -D without surprises (no spaces, quotes, `$` or `=`). */
const DEFINE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * What a version may hold: it reaches makensis as `-DVERSION=<version>` and scripts put it in quoted
 * strings and file names, where a quote ends the string, `$` starts a variable and `/` or `\` a folder.
 */
const VERSION = /^[A-Za-z0-9._+!-]+$/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
export const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A path input (`working-directory`, `script`) inside the workspace, symlinks resolved: makensis
 * writes the installer beside the script, and nothing here may write outside the workspace.
 */
export function confine(input: string, given: string, path: string, workspace: string, what: string): void {
  if (!isInside(workspace, path)) {
    throw new InputError(input, `'${printable(given)}' is outside the workspace (${printable(workspace)})`);
  }
  if (!isReallyInside(workspace, path)) {
    throw new InputError(input, `'${printable(given)}' is a link to ${what} outside the workspace`);
  }
}

/** Checks the build inputs; every problem is one line naming its input, before anything runs. */
export function planBuild(inputs: BuildInputs): BuildPlan {
  const workingDirectory = inputs.workingDirectory || '.';
  const cwd = resolve(inputs.workspace, workingDirectory);
  confine('working-directory', workingDirectory, cwd, inputs.workspace, 'a folder');
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new InputError(
      'working-directory',
      `'${printable(inputs.workingDirectory)}' is not a folder (${printable(cwd)})`,
    );
  }
  const script = resolve(cwd, inputs.script);
  confine(inputs.generatedBy ?? 'script', inputs.script, script, inputs.workspace, 'a file');
  if (!inputs.generatedBy && (!existsSync(script) || !statSync(script).isFile())) {
    throw new InputError('script', `'${printable(inputs.script)}' does not exist in ${printable(cwd)}`);
  }
  if (CONTROL.test(inputs.version)) {
    throw new InputError('version', 'must be one line without control characters');
  }
  if (inputs.version && !VERSION.test(inputs.version)) {
    throw new InputError(
      'version',
      `'${printable(inputs.version)}' may hold only letters, digits and . _ + ! - ` +
        '(makensis gets it as -DVERSION, and scripts put it in strings and file names)',
    );
  }
  const seen = new Set<string>();
  for (const [key, value] of inputs.defines) {
    if (!DEFINE_NAME.test(key)) {
      throw new InputError(
        'defines',
        `has '${printable(key)}', which is not a define name (letters, digits, _ . -)`,
      );
    }
    if (seen.has(key)) throw new InputError('defines', `sets ${key} twice`);
    if (key === 'VERSION' && inputs.version) {
      throw new InputError('defines', "sets VERSION, which the 'version' input already passes (-DVERSION)");
    }
    // A define's value goes into the script as it is: a double quote ends the string it is used in.
    if (value.includes('"')) {
      throw new InputError(
        'defines',
        `gives ${key} a value with a double quote, which would end the script's quoted strings early`,
      );
    }
    if (CONTROL.test(value)) {
      throw new InputError('defines', `gives ${key} a value with a control character (${printable(value)})`);
    }
    seen.add(key);
  }
  const defines: Array<[string, string]> = inputs.version
    ? [['VERSION', inputs.version], ...inputs.defines]
    : [...inputs.defines];
  return { cwd, script, defines };
}
