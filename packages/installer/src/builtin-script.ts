// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${If}, ${Do} and the like are NSIS LogicLib macros.
// The NSIS script of template: builtin (seed 6): a user- or machine-scoped amd64 installer that removes
// what the previous install's manifest lists before extracting (File merges: a module the new version
// dropped would otherwise stay, the seed's Pillow mismatch), never touching the keep paths.
import { basename, posix, relative } from 'node:path';
import { nsisString } from './nsis-string.js';
import type { PayloadEntry } from './payload.js';

export type Shortcut = 'start-menu' | 'desktop' | 'autostart';

export interface BuiltinTemplate {
  appName: string;
  /** '' when the version input is empty. */
  version: string;
  publisher: string;
  scope: 'user' | 'machine';
  shortcuts: Shortcut[];
  /** Relative to the install folder, `/`-separated, a folder ending in `/`. */
  keep: string[];
  openUrl?: string;
  /** The icon's path under the install folder (`/`-separated) and its file. */
  icon?: { target: string; source: string };
  /** Absolute path of the .nsh included at the end. */
  include?: string;
  /** Every file and folder installed, except the manifest itself. */
  payload: PayloadEntry[];
  /** Absolute: the folder of the script, the manifest, the generated launcher and the installer. */
  buildDir: string;
}

/** The files written next to the installer. */
export const builtinNames = (appName: string) => ({
  script: `${appName}.nsi`,
  manifest: `${appName}.install-manifest.txt`,
  launcher: `${appName}.start-hidden.vbs`,
});

/** Where each shortcut goes (the shell folders follow SetShellVarContext). */
const SHORTCUT_FOLDER: Record<Shortcut, string> = {
  'start-menu': '$SMPROGRAMS',
  desktop: '$DESKTOP',
  autostart: '$SMSTARTUP',
};

const LAUNCH = '"$SYSDIR\\wscript.exe" \'"$INSTDIR\\scripts\\start-hidden.vbs"\'';

/** The installer's NSIS script. */
export function builtinScript(t: BuiltinTemplate): string {
  const names = builtinNames(t.appName);
  // Free text (publisher, open-url) is escaped; names and paths hold no $ or quote (checked when read)
  // and may start with an NSIS variable ($INSTDIR), so they are only quoted.
  const q = nsisString;
  const s = (text: string) => `"${text}"`;
  const fromScript = (path: string) => s(relative(t.buildDir, path).replaceAll('/', '\\'));
  const machine = t.scope === 'machine';
  const root = machine ? 'HKLM' : 'HKCU';
  const key = s(`Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${t.appName}`);
  const context = `SetShellVarContext ${machine ? 'all' : 'current'}`;
  const title = t.version ? `${t.appName} ${t.version}` : t.appName;
  const outFile = t.version ? `${t.appName}-${t.version}-setup.exe` : `${t.appName}-setup.exe`;
  const iconAt = t.icon ? `$INSTDIR\\${t.icon.target.replaceAll('/', '\\')}` : '$INSTDIR\\python\\python.exe';
  const shortcutFiles = (Object.keys(SHORTCUT_FOLDER) as Shortcut[]).map(
    (shortcut) => [shortcut, `${SHORTCUT_FOLDER[shortcut]}\\${t.appName}.lnk`] as const,
  );

  // One SetOutPath per folder (parents first), then that folder's files.
  const filesIn = new Map<string, PayloadEntry[]>([['', []]]);
  for (const entry of t.payload) {
    const folder = entry.source ? posix.dirname(entry.target).replace(/^\.$/, '') : entry.target;
    const files = filesIn.get(folder) ?? [];
    filesIn.set(folder, files);
    if (entry.source) files.push(entry);
  }
  const extract = [...filesIn.keys()]
    .sort()
    .flatMap((folder) => [
      `  SetOutPath ${s(folder ? `$INSTDIR\\${folder.replaceAll('/', '\\')}` : '$INSTDIR')}`,
      ...(filesIn.get(folder) ?? []).map(({ target, source = '' }) =>
        posix.basename(target) === basename(source)
          ? `  File ${fromScript(source)}`
          : `  File ${s(`/oname=${posix.basename(target)}`)} ${fromScript(source)}`,
      ),
    ]);

  // A folder keep matches by prefix (the folder and everything in it), a file keep by name.
  const keepChecks = t.keep.flatMap((kept) => {
    const path = kept.replaceAll('/', '\\');
    const test = kept.endsWith('/')
      ? [`    StrCpy $2 $1 ${path.length}`, `    \${If} $2 == ${s(path)}`]
      : [`    \${If} $1 == ${s(path)}`];
    return [...test, '      ${Continue}', '    ${EndIf}'];
  });

  return [
    `; ${title}: written by build-nsis (template: builtin) from its inputs. To adapt it, copy it out of`,
    '; build/ and build it with template: script.',
    'Unicode true',
    'Target amd64-unicode',
    'SetCompressor /SOLID lzma',
    '!include "MUI2.nsh"',
    '!include "LogicLib.nsh"',
    '',
    `Name ${s(title)}`,
    `OutFile ${s(outFile)}`,
    `InstallDir ${s(`${machine ? '$PROGRAMFILES64' : '$LOCALAPPDATA'}\\${t.appName}`)}`,
    '; An upgrade goes where the last install went (a silent /D= still wins).',
    `InstallDirRegKey ${root} ${key} "InstallLocation"`,
    `RequestExecutionLevel ${machine ? 'admin' : 'user'}`,
    ...(t.icon
      ? [`!define MUI_ICON ${fromScript(t.icon.source)}`, `!define MUI_UNICON ${fromScript(t.icon.source)}`]
      : []),
    '; The finish page starts the app through a function: run parameters would break its Exec quoting.',
    '!define MUI_FINISHPAGE_RUN ""',
    `!define MUI_FINISHPAGE_RUN_TEXT ${s(`Launch ${t.appName}`)}`,
    '!define MUI_FINISHPAGE_RUN_FUNCTION LaunchApp',
    '!insertmacro MUI_PAGE_DIRECTORY',
    '!insertmacro MUI_PAGE_INSTFILES',
    '!insertmacro MUI_PAGE_FINISH',
    '!insertmacro MUI_UNPAGE_CONFIRM',
    '!insertmacro MUI_UNPAGE_INSTFILES',
    '!insertmacro MUI_LANGUAGE "English"',
    '',
    '; A running app holds python.exe open, and replacing or removing files under it fails half-way: offer',
    '; to stop it (a silent run stops it). PowerShell gets the path through the environment, so no quote in',
    '; the install folder can break its command line.',
    '!macro STOP_RUNNING_APP',
    '  ${If} ${FileExists} "$INSTDIR\\python\\python.exe"',
    '    ClearErrors',
    '    FileOpen $0 "$INSTDIR\\python\\python.exe" a',
    '    ${IfNot} ${Errors}',
    '      FileClose $0',
    '    ${Else}',
    // app-name holds no $ or quote (APP_NAME), so it can stand in a string with $\n escapes.
    `      MessageBox MB_YESNOCANCEL|MB_ICONEXCLAMATION "${t.appName} is running.$\\n$\\nYes = Stop it and continue$\\nNo = Continue anyway (may fail)$\\nCancel = Quit" /SD IDYES IDYES stop IDNO done`,
    '      Abort',
    '      stop:',
    `      System::Call 'kernel32::SetEnvironmentVariable(t "FORGE_APP_PYTHON", t "$INSTDIR\\python\\python.exe")'`,
    '      nsExec::ExecToLog `powershell.exe -NoProfile -NonInteractive -Command "Get-Process python -ErrorAction SilentlyContinue | Where-Object { $$_.Path -eq $$env:FORGE_APP_PYTHON } | Stop-Process -Force -PassThru | Wait-Process -Timeout 15"`',
    '      Pop $0',
    '      done:',
    '    ${EndIf}',
    '  ${EndIf}',
    '!macroend',
    '',
    '; Removes what install-manifest.txt lists: files, and each folder (listed after what it held) when it',
    '; is empty, so what the user added survives. Keep paths, and lines that could leave the install folder,',
    '; are skipped.',
    '!macro REMOVE_LISTED UN',
    'Function ${UN}RemoveListed',
    '  ClearErrors',
    '  FileOpen $0 "$INSTDIR\\install-manifest.txt" r',
    '  ${If} ${Errors}',
    '    Return',
    '  ${EndIf}',
    '  FileSeek $0 2 SET ; past the byte order mark',
    '  ${Do}',
    '    ClearErrors',
    '    FileReadUTF16LE $0 $1',
    '    ${If} ${Errors}',
    '      ${ExitDo}',
    '    ${EndIf}',
    '    ${Do}',
    '      StrCpy $2 $1 1 -1',
    '      ${If} $2 == "$\\r"',
    '      ${OrIf} $2 == "$\\n"',
    '        StrCpy $1 $1 -1',
    '      ${Else}',
    '        ${ExitDo}',
    '      ${EndIf}',
    '    ${Loop}',
    '    StrCpy $2 $1 1',
    '    StrCpy $3 $1 1 1',
    '    ${If} $1 == ""',
    '    ${OrIf} $2 == "\\"',
    '    ${OrIf} $3 == ":"',
    '      ${Continue}',
    '    ${EndIf}',
    '    ; A ..\\ part anywhere: searched in \\<line>\\ so that a first or last part counts too.',
    '    StrCpy $3 "\\$1\\"',
    '    StrLen $4 $3',
    '    StrCpy $5 0',
    '    ${DoWhile} $5 < $4',
    '      StrCpy $2 $3 4 $5',
    '      ${If} $2 == "\\..\\"',
    '        ${ExitDo}',
    '      ${EndIf}',
    '      IntOp $5 $5 + 1',
    '    ${Loop}',
    '    ${If} $5 < $4',
    '      ${Continue}',
    '    ${EndIf}',
    ...keepChecks,
    '    StrCpy $2 $1 1 -1',
    '    ${If} $2 == "\\"',
    '      StrCpy $1 $1 -1',
    '      RMDir "$INSTDIR\\$1"',
    '    ${Else}',
    '      Delete "$INSTDIR\\$1"',
    '    ${EndIf}',
    '  ${Loop}',
    '  FileClose $0',
    'FunctionEnd',
    '!macroend',
    '!insertmacro REMOVE_LISTED ""',
    '!insertmacro REMOVE_LISTED "un."',
    '',
    'Function .onInit',
    '  !insertmacro STOP_RUNNING_APP',
    'FunctionEnd',
    '',
    'Function un.onInit',
    '  !insertmacro STOP_RUNNING_APP',
    'FunctionEnd',
    '',
    'Function LaunchApp',
    `  ExecShell "open" ${LAUNCH}`,
    ...(t.openUrl
      ? [
          '  ; The app needs a moment to start serving before the browser asks it (seed 6).',
          '  Sleep 2000',
          `  ExecShell "open" ${q(t.openUrl)}`,
        ]
      : []),
    'FunctionEnd',
    '',
    `Section ${s(t.appName)} SecCore`,
    '  SectionIn RO',
    `  ${context}`,
    '  SetOutPath "$INSTDIR"',
    '  ; An upgrade: the old payload goes first, as its manifest lists it.',
    '  Call RemoveListed',
    '  ; The new manifest before the payload: an install that stops half-way is still uninstalled whole.',
    `  File "/oname=install-manifest.txt" ${fromScript(`${t.buildDir}/${names.manifest}`)}`,
    ...extract,
    '  SetOutPath "$INSTDIR"',
    '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
    `  DeleteRegKey ${root} ${key}`,
    `  WriteRegStr ${root} ${key} "DisplayName" ${s(t.appName)}`,
    ...(t.version ? [`  WriteRegStr ${root} ${key} "DisplayVersion" ${s(t.version)}`] : []),
    ...(t.publisher ? [`  WriteRegStr ${root} ${key} "Publisher" ${q(t.publisher)}`] : []),
    `  WriteRegStr ${root} ${key} "UninstallString" '"$INSTDIR\\uninstall.exe"'`,
    `  WriteRegStr ${root} ${key} "QuietUninstallString" '"$INSTDIR\\uninstall.exe" /S'`,
    `  WriteRegStr ${root} ${key} "InstallLocation" "$INSTDIR"`,
    `  WriteRegStr ${root} ${key} "DisplayIcon" ${s(iconAt)}`,
    `  WriteRegDWORD ${root} ${key} "NoModify" 1`,
    `  WriteRegDWORD ${root} ${key} "NoRepair" 1`,
    '  ; Shortcuts an earlier version made and this one does not go.',
    ...shortcutFiles.map(([, file]) => `  Delete ${s(file)}`),
    ...shortcutFiles
      .filter(([shortcut]) => t.shortcuts.includes(shortcut))
      .map(([, file]) => `  CreateShortcut ${s(file)} ${LAUNCH} ${s(iconAt)} 0`),
    'SectionEnd',
    '',
    'Section "Uninstall"',
    `  ${context}`,
    '  Call un.RemoveListed',
    '  Delete "$INSTDIR\\install-manifest.txt"',
    '  Delete "$INSTDIR\\uninstall.exe"',
    ...shortcutFiles.map(([, file]) => `  Delete ${s(file)}`),
    `  DeleteRegKey ${root} ${key}`,
    '  ; Only when empty: kept user data keeps the folder.',
    '  RMDir "$INSTDIR"',
    'SectionEnd',
    ...(t.include ? ['', `!include ${fromScript(t.include)}`] : []),
    '',
  ].join('\r\n');
}
