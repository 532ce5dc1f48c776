import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';

export interface BuildInputs {
  script: string;
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

/** Checks the build inputs; every problem is one line naming its input, before anything runs. */
export function planBuild(inputs: BuildInputs): BuildPlan {
  const cwd = resolve(inputs.workspace, inputs.workingDirectory || '.');
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new InputError('working-directory', `'${inputs.workingDirectory}' is not a folder (${cwd})`);
  }
  const script = resolve(cwd, inputs.script);
  if (!existsSync(script) || !statSync(script).isFile()) {
    throw new InputError('script', `'${inputs.script}' does not exist in ${cwd}`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f]/.test(inputs.version)) {
    throw new InputError('version', 'must be one line without control characters');
  }
  const seen = new Set<string>();
  for (const [key] of inputs.defines) {
    if (!DEFINE_NAME.test(key)) {
      throw new InputError('defines', `has '${key}', which is not a define name (letters, digits, _ . -)`);
    }
    if (seen.has(key)) throw new InputError('defines', `sets ${key} twice`);
    if (key === 'VERSION' && inputs.version) {
      throw new InputError('defines', "sets VERSION, which the 'version' input already passes (-DVERSION)");
    }
    seen.add(key);
  }
  const defines: Array<[string, string]> = inputs.version
    ? [['VERSION', inputs.version], ...inputs.defines]
    : [...inputs.defines];
  return { cwd, script, defines };
}
