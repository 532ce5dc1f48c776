// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${If}, ${Do} and the like are NSIS LogicLib macros.
// The NSIS script of template: builtin (seed 6): a user- or machine-scoped amd64 installer whose payload
// goes through the replace-on-upgrade include (payload-nsh.ts), with a launcher, shortcuts to it, a
// running-instance check and an Add/Remove Programs entry.
import { relative } from 'node:path';
import { nsisString } from './nsis-string.js';

export type Shortcut = 'start-menu' | 'desktop' | 'autostart';

export interface BuiltinTemplate {
  appName: string;
  /** '' when the version input is empty. */
  version: string;
  publisher: string;
  scope: 'user' | 'machine';
  shortcuts: Shortcut[];
  /** exe: `<app-name>.exe` in the install folder (launcher-script.ts); vbs: `scripts\start-hidden.vbs`. */
  launcher: 'exe' | 'vbs';
  openUrl?: string;
  /** The icon's path under the install folder (`/`-separated) and its file. */
  icon?: { target: string; source: string };
  /** Absolute path of the .nsh included at the end. */
  include?: string;
  /** Absolute: the folder of the script, the payload include, the manifest and the generated launcher. */
  buildDir: string;
  /** Absolute path of the installer. */
  outFile: string;
}

/** The files written next to the installer. */
export const builtinNames = (appName: string, version: string) => ({
  installer: version ? `${appName}-${version}-setup.exe` : `${appName}-setup.exe`,
  script: `${appName}.nsi`,
  payload: `${appName}.payload.nsh`,
  manifest: `${appName}.install-manifest.txt`,
  vbsLauncher: `${appName}.start-hidden.vbs`,
  exeLauncherScript: `${appName}.launcher.nsi`,
  /** Also its name in the install folder. */
  exeLauncher: `${appName}.exe`,
});

/** Where each shortcut goes (the shell folders follow SetShellVarContext). */
const SHORTCUT_FOLDER: Record<Shortcut, string> = {
  'start-menu': '$SMPROGRAMS',
  desktop: '$DESKTOP',
  autostart: '$SMSTARTUP',
};

/** The installer's NSIS script. */
export function builtinScript(t: BuiltinTemplate): string {
  const names = builtinNames(t.appName, t.version);
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
  const exe = `$INSTDIR\\${names.exeLauncher}`;
  // The program and its parameters, as ExecShell and CreateShortcut take them.
  const launch =
    t.launcher === 'exe'
      ? `${s(exe)} ""`
      : '"$SYSDIR\\wscript.exe" \'"$INSTDIR\\scripts\\start-hidden.vbs"\'';
  const iconAt = t.icon
    ? `$INSTDIR\\${t.icon.target.replaceAll('/', '\\')}`
    : t.launcher === 'exe'
      ? exe
      : '$INSTDIR\\python\\python.exe';
  const shortcutFiles = (Object.keys(SHORTCUT_FOLDER) as Shortcut[]).map(
    (shortcut) => [shortcut, `${SHORTCUT_FOLDER[shortcut]}\\${t.appName}.lnk`] as const,
  );

  return [
    `; ${title}: written by build-nsis (template: builtin) from its inputs. To adapt it, copy it out of`,
    '; build/ and build it with template: script.',
    'Unicode true',
    'Target amd64-unicode',
    'SetCompressor /SOLID lzma',
    '!include "MUI2.nsh"',
    '!include "LogicLib.nsh"',
    `!include ${s(names.payload)}`,
    '',
    `Name ${s(title)}`,
    `OutFile ${fromScript(t.outFile)}`,
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
    'Function .onInit',
    '  !insertmacro STOP_RUNNING_APP',
    'FunctionEnd',
    '',
    'Function un.onInit',
    '  !insertmacro STOP_RUNNING_APP',
    'FunctionEnd',
    '',
    'Function LaunchApp',
    `  ExecShell "open" ${launch}`,
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
    '  !insertmacro FORGE_INSTALL_PAYLOAD',
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
      .map(([, file]) => `  CreateShortcut ${s(file)} ${launch} ${s(iconAt)} 0`),
    'SectionEnd',
    '',
    'Section "Uninstall"',
    `  ${context}`,
    '  !insertmacro FORGE_UNINSTALL_PAYLOAD',
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
