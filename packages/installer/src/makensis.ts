import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ActionError, type FileLocation, InputError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { runCommand } from '@forge-actions/system';

export interface MakensisOptions {
  makensis: string;
  /** Absolute path of the script. */
  script: string;
  /** Where makensis runs (the working-directory input). */
  cwd: string;
  /** `-D` defines, in order; VERSION first when the version input is set. */
  defines: Array<[string, string]>;
  warningsAsErrors: boolean;
  /** Store no file times (`SetDateSave off` before the script): the same files make the same installer. */
  reproducible: boolean;
  /** Each output line as makensis writes it. */
  onLine?: (line: string) => void;
  /**
   * A shell command run on the uninstaller makensis writes (`%1`) before it is packed (NSIS 3.08's
   * `!uninstfinalize`, given with -X so the user's script needs no change), and the input its
   * failure is blamed on.
   */
  uninstFinalize?: { command: string; input: string };
}

/** @internal Exported for its unit tests. */
export interface MakensisWarning {
  message: string;
  location?: FileLocation;
}

export interface MakensisResult {
  /** Absolute path of the installer makensis wrote. */
  installer: string;
  warnings: MakensisWarning[];
}

/**
 * makensis' arguments. Linux makensis takes only `-` options (`/V3` would be read as a script name),
 * and a `-D` must come before the script to be seen by it. -V3 keeps warnings, errors and the
 * `Output: "..."` line without the per-file and plugin listings of -V4.
 * @internal Exported for its unit tests.
 */
export function makensisArgs(
  options: Pick<
    MakensisOptions,
    'script' | 'defines' | 'warningsAsErrors' | 'reproducible' | 'uninstFinalize'
  >,
) {
  return [
    '-V3',
    ...(options.warningsAsErrors ? ['-WX'] : []),
    // File times are the one thing that differs between two builds of the same payload (a re-run's
    // fresh checkout and downloads); a script's own `SetDateSave on` still wins.
    ...(options.reproducible ? ['-XSetDateSave off'] : []),
    // `= 0`: without it makensis packs the uninstaller even when the command failed.
    ...(options.uninstFinalize ? [`-X!uninstfinalize '${options.uninstFinalize.command}' = 0`] : []),
    ...options.defines.map(([key, value]) => `-D${key}=${value}`),
    options.script,
  ];
}

/** `warning 7010: File: "x" -> no files found. (installer.nsi:7)` and `warning: !warning: text (a.nsh:4)`. */
const WARNING = /^warning(?: \d+)?: (.*?)(?: \(([^()]+):(\d+)\))?$/;
const SCRIPT_ERROR = /^Error in script "(.+)" on line (\d+) -- aborting creation process$/;
const INCLUDE_ERROR = /^!include: error in script: "(.+)" on line (\d+)$/;
/** stderr lines that frame an error rather than say what it is. */
const FRAME =
  /^(Error in script |!include: error in script|Error in macro |Error - aborting|Usage: |Note: you may have|Error: warning treated as error|UninstFinalize command returned)/;

/** makensis reports paths relative to the script's folder (it changes directory there). */
const located = (scriptDir: string, file: string, line: string): FileLocation => ({
  file: resolve(scriptDir, file),
  line: Number(line),
});

/** @internal Exported for its unit tests. */
export function parseWarnings(lines: string[], scriptDir: string): MakensisWarning[] {
  const warnings: MakensisWarning[] = [];
  for (const line of lines) {
    const match = WARNING.exec(line.trim());
    if (!match) continue;
    const [, message, file, lineNumber] = match;
    warnings.push({
      message: printable(message),
      location: file ? located(scriptDir, file, lineNumber) : undefined,
    });
  }
  return warnings;
}

/**
 * The one-line error for a failed makensis run: what it said, at the innermost file and line it
 * named (an included file before the script that included it). With -WX the failure is the first
 * warning, so that warning is the message.
 * @internal Exported for its unit tests.
 */
export function makensisError(
  stdout: string[],
  stderr: string[],
  script: string,
  displayPath: (file: string) => string,
  finalizeInput?: string,
): ActionError {
  const scriptDir = dirname(script);
  let location: FileLocation | undefined;
  for (const line of stderr) {
    const match = INCLUDE_ERROR.exec(line.trim()) ?? SCRIPT_ERROR.exec(line.trim());
    if (match) {
      location = located(scriptDir, match[1], match[2]);
      break;
    }
  }
  let reason = stderr
    .map((line) => line.trim())
    .find((line) => line !== '' && !FRAME.test(line))
    ?.replace(/^Error: /, '');
  if (stderr.some((line) => line.trim() === 'Error: warning treated as error')) {
    const [first] = parseWarnings(stdout, scriptDir);
    reason = `warning treated as error (warnings-as-errors: true): ${first?.message ?? 'see the log'}`;
    location = first?.location ?? location;
  }
  reason ??= 'see the makensis output in the log';
  // system()'s wait status: the exit status is its high byte.
  const finalize = stderr
    .map((line) => /^UninstFinalize command returned (\d+)/.exec(line.trim()))
    .find(Boolean);
  if (finalize && finalizeInput) {
    return new InputError(
      finalizeInput,
      `failed on the uninstaller makensis wrote (exit status ${Number(finalize[1]) >> 8}): ${printable(reason)}`,
    );
  }
  const macro = stderr
    .map((line) => /^Error in macro (\S+) on macroline (\d+)$/.exec(line.trim()))
    .find(Boolean);
  if (macro) reason += ` (in macro ${macro[1]}, its line ${macro[2]})`;
  if (/^Can't open output file/.test(reason))
    reason += ' (does the OutFile folder exist? makensis does not create it)';
  const where = location ? `${displayPath(location.file)}:${location.line}` : displayPath(script);
  const annotation = location
    ? { ...location, file: displayPath(location.file) }
    : { file: displayPath(script) };
  return new ActionError(`makensis failed at ${where}: ${printable(reason)}`, annotation);
}

/**
 * The last `OutFile` of a preprocessed script, resolved from the script's folder as makensis does.
 * @internal Exported for its unit tests.
 */
export function outFileOf(preprocessed: readonly string[], scriptDir: string): string | undefined {
  let outFile: string | undefined;
  for (const line of preprocessed) {
    const match = /^\s*OutFile\s+(?:"([^"]*)"|'([^']*)'|`([^`]*)`|(\S+))/i.exec(line);
    if (match) outFile = match[1] ?? match[2] ?? match[3] ?? match[4];
  }
  // makensis on Linux reads a backslash in a path as a folder separator.
  return outFile === undefined ? undefined : resolve(scriptDir, outFile.replaceAll('\\', '/'));
}

/**
 * Where the script will write the installer, before anything is built: makensis' safe preprocessor
 * (`-SAFEPPO`: includes, defines, conditionals and macros expanded, `!system` and `!execute` not run)
 * prints the script as it will be compiled, and its last OutFile wins. Undefined when that cannot be
 * told (the preprocessor failed, or the script names no OutFile); the build then reports it.
 */
export async function plannedInstaller(
  options: Pick<MakensisOptions, 'makensis' | 'script' | 'cwd' | 'defines'>,
): Promise<string | undefined> {
  const args = ['-SAFEPPO', ...options.defines.map(([key, value]) => `-D${key}=${value}`), options.script];
  const result = await runCommand(options.makensis, args, { cwd: options.cwd });
  if (result.code !== 0) return undefined;
  return outFileOf(result.stdout, dirname(options.script));
}

/** Runs makensis; the installer's path comes from its `Output: "..."` line. */
export async function runMakensis(
  options: MakensisOptions,
  displayPath: (file: string) => string,
): Promise<MakensisResult> {
  const args = makensisArgs(options);
  options.onLine?.(`makensis ${args.join(' ')}`);
  const result = await runCommand(options.makensis, args, {
    cwd: options.cwd,
    onLine: (line) => options.onLine?.(line),
  });
  if (result.code !== 0) {
    const { stdout, stderr } = result;
    throw makensisError(stdout, stderr, options.script, displayPath, options.uninstFinalize?.input);
  }
  const scriptDir = dirname(options.script);
  const output = result.stdout
    .map((line) => /^Output: "(.+)"$/.exec(line.trim())?.[1])
    .filter((path) => path !== undefined)
    .pop();
  if (!output) throw new ActionError('makensis succeeded but printed no "Output:" line naming the installer');
  const installer = resolve(scriptDir, output);
  if (!existsSync(installer)) throw new ActionError(`makensis reported ${installer}, which does not exist`);
  return { installer, warnings: parseWarnings(result.stdout, scriptDir) };
}
