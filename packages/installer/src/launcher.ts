// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${GetParameters} is an NSIS macro.
// The launchers a template: builtin installer's shortcuts and finish page start (seed 6, "Hidden
// Launcher"): python.exe in a hidden window, not pythonw.exe, whose null stdout/stderr can end an app
// silently at startup. exe: a silent NSIS-compiled program (VBScript is being retired from Windows);
// vbs: a script, ASCII with CRLF line endings as wscript.exe needs.
import { relative } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';

/** A dotted Python module name: it goes into a VBScript string and a command line as it is. */
const MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function checkModule(module: string): void {
  if (!MODULE.test(module)) {
    throw new InputError('app-module', `'${printable(module)}' is no Python module name (e.g. my_app.main)`);
  }
}

/** `scripts\start-hidden.vbs` running `python\python.exe -m <module>` hidden, from the install folder. */
export function hiddenLauncher(module: string): Buffer {
  checkModule(module);
  const lines = [
    "' Starts the app hidden. Written by build-nsis (template: builtin).",
    'Set fso = CreateObject("Scripting.FileSystemObject")',
    'Set WshShell = CreateObject("WScript.Shell")',
    'appRoot = fso.GetParentFolderName(fso.GetParentFolderName(WScript.ScriptFullName))',
    'WshShell.CurrentDirectory = appRoot',
    `WshShell.Run """" & appRoot & "\\python\\python.exe"" -m ${module}", 0, False`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/**
 * The NSIS script of `<app-name>.exe`, which lies in the install folder: it starts
 * `python\python.exe -m <module> <its own arguments>` there with the window hidden (a console that is
 * not shown: stdout and stderr are real handles) and exits. No page, no admin rights, the app's icon.
 */
export function exeLauncherScript(l: {
  appName: string;
  module: string;
  /** File name the compiled launcher gets, in `buildDir`. */
  outFile: string;
  /** Absolute; holds no `$` or quote (checked when read). */
  icon?: string;
  buildDir: string;
}): string {
  checkModule(l.module);
  const fromScript = (path: string) => `"${relative(l.buildDir, path).replaceAll('/', '\\')}"`;
  return [
    `; ${l.appName}: starts python\\python.exe -m ${l.module} hidden, with this program's arguments, from`,
    '; its own folder. Written by build-nsis (template: builtin, launcher: exe).',
    'Unicode true',
    'Target amd64-unicode',
    'SilentInstall silent',
    'RequestExecutionLevel user',
    'SetCompressor zlib',
    `Name "${l.appName}"`,
    `OutFile "${l.outFile}"`,
    ...(l.icon ? [`Icon ${fromScript(l.icon)}`] : []),
    '!include "FileFunc.nsh"',
    '',
    'Section',
    '  ${GetParameters} $0',
    '  ; ExecShell starts the program in $OUTDIR.',
    '  SetOutPath "$EXEDIR"',
    '  ClearErrors',
    `  ExecShell "open" "$EXEDIR\\python\\python.exe" "-m ${l.module} $0" SW_HIDE`,
    '  IfErrors 0 +2',
    `    MessageBox MB_ICONSTOP "${l.appName}: $EXEDIR\\python\\python.exe could not be started."`,
    'SectionEnd',
    '',
  ].join('\r\n');
}
