// The launcher a template: builtin installer's shortcuts and finish page start (seed 6, "Hidden Launcher"):
// python.exe in a hidden window, not pythonw.exe, whose null stdout/stderr can end an app silently at
// startup; ASCII with CRLF line endings, as wscript.exe needs.
import { InputError } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';

/** A dotted Python module name: it goes into a VBScript string and a command line as it is. */
const MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** `scripts\start-hidden.vbs` running `python\python.exe -m <module>` hidden, from the install folder. */
export function hiddenLauncher(module: string): Buffer {
  if (!MODULE.test(module)) {
    throw new InputError('app-module', `'${printable(module)}' is no Python module name (e.g. my_app.main)`);
  }
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
