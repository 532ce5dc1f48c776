// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${If}, ${Do} and the like are NSIS LogicLib macros.
// The include that makes an upgrade replace rather than merge (seed 6: File merges, so a module the new
// version dropped stays, the Pillow mismatch): the payload listed file by file, the list shipped as
// install-manifest.txt, and on upgrade or uninstall every path of the old list removed, keep paths
// excepted. template: builtin includes it; a hand-written script includes it through FORGE_PAYLOAD_NSH.
import { basename, posix, relative } from 'node:path';
import type { PayloadEntry } from './payload.js';

export interface PayloadInclude {
  /** Every file and folder installed, except the manifest itself. */
  payload: PayloadEntry[];
  /** Relative to the install folder, `/`-separated, a folder ending in `/`. */
  keep: string[];
  /** Absolute path of the manifest file to pack (manifestBytes of the payload). */
  manifest: string;
  /** Folder of the script makensis compiles: relative `File` sources resolve against it. */
  scriptDir: string;
}

/** The define a hand-written script includes the file by: `!include "${FORGE_PAYLOAD_NSH}"`. */
export const PAYLOAD_DEFINE = 'FORGE_PAYLOAD_NSH';

/** The .nsh: the RemoveListed functions and the FORGE_INSTALL_PAYLOAD / FORGE_UNINSTALL_PAYLOAD macros. */
export function payloadInclude(p: PayloadInclude): string {
  // Names and paths hold no $ or quote (checked when read), so they are only quoted.
  const s = (text: string) => `"${text}"`;
  const fromScript = (path: string) => s(relative(p.scriptDir, path).replaceAll('/', '\\'));

  // One SetOutPath per folder (parents first), then that folder's files.
  const filesIn = new Map<string, PayloadEntry[]>([['', []]]);
  for (const entry of p.payload) {
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
  const keepChecks = p.keep.flatMap((kept) => {
    const path = kept.replaceAll('/', '\\');
    const test = kept.endsWith('/')
      ? [`    StrCpy $2 $1 ${path.length}`, `    \${If} $2 == ${s(path)}`]
      : [`    \${If} $1 == ${s(path)}`];
    return [...test, '      ${Continue}', '    ${EndIf}'];
  });

  return [
    '; Written by build-nsis: the payload, installed so that an upgrade replaces the old one. In the install',
    '; section: !insertmacro FORGE_INSTALL_PAYLOAD (after SetShellVarContext); in the uninstall section:',
    '; !insertmacro FORGE_UNINSTALL_PAYLOAD.',
    '!include "LogicLib.nsh"',
    '',
    '; Removes what install-manifest.txt lists: files, and each folder (listed after what it held) when it',
    '; is empty, so what the user added survives. Keep paths, and lines that could leave the install folder,',
    '; are skipped.',
    '!macro FORGE_REMOVE_LISTED UN',
    'Function ${UN}ForgeRemoveListed',
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
    '!insertmacro FORGE_REMOVE_LISTED ""',
    '!insertmacro FORGE_REMOVE_LISTED "un."',
    '',
    '!macro FORGE_INSTALL_PAYLOAD',
    '  SetOutPath "$INSTDIR"',
    '  ; An upgrade: the old payload goes first, as its manifest lists it.',
    '  Call ForgeRemoveListed',
    '  ; The new manifest before the payload: an install that stops half-way is still uninstalled whole.',
    `  File "/oname=install-manifest.txt" ${fromScript(p.manifest)}`,
    ...extract,
    '  SetOutPath "$INSTDIR"',
    '!macroend',
    '',
    '!macro FORGE_UNINSTALL_PAYLOAD',
    '  Call un.ForgeRemoveListed',
    '  Delete "$INSTDIR\\install-manifest.txt"',
    '!macroend',
    '',
  ].join('\r\n');
}
