// The inputs of template: builtin, and dist-dir with template: script, checked (each problem one line
// naming its input) and turned into the files build-nsis writes before makensis runs: the script, the
// payload include with its install manifest, and the launcher.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { InputReader } from '@forge-actions/action-kit/contract';
import { InputError } from '@forge-actions/action-kit/errors';
import { isInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';
import { checkFile, checkFolder } from '@forge-actions/system';
import { type BuiltinTemplate, builtinNames, builtinScript, type Shortcut } from './builtin-script.js';
import { exeLauncherScript, hiddenLauncher } from './launcher.js';
import {
  checkWindowsName,
  isKept,
  listPayload,
  manifestBytes,
  type PayloadEntry,
  parentsOf,
  postOrder,
} from './payload.js';
import { PAYLOAD_DEFINE, payloadInclude } from './payload-nsh.js';
import { CONTROL, confine } from './plan.js';

/** The app's name goes into folder, file, shortcut and registry key names, and unescaped into messages. */
const APP_NAME = /^[A-Za-z0-9]([A-Za-z0-9 ._+()-]*[A-Za-z0-9_+()-])?$/;
const SHORTCUTS: readonly Shortcut[] = ['start-menu', 'desktop', 'autostart'];
/** What the installer itself puts in the install folder. */
const RESERVED = ['install-manifest.txt', 'uninstall.exe'];
const VBS_LAUNCHER = 'scripts/start-hidden.vbs';
/** `!include "${FORGE_PAYLOAD_NSH}"`, quoted or not. */
const INCLUDES_PAYLOAD = new RegExp(`^\\s*!include\\s+"?\\$\\{${PAYLOAD_DEFINE}\\}"?\\s*(;.*)?$`, 'im');

/** The generated script's place (relative to working-directory), from the app-name input. */
export function builtinScriptPath(inputs: InputReader): string {
  const name = inputs.string('app-name');
  if (name === '') throw new InputError('app-name', 'is required with template: builtin');
  if (!APP_NAME.test(name) || name.length > 64) {
    throw new InputError(
      'app-name',
      `'${printable(name)}' may hold only letters, digits, spaces and . _ + - ( ), at most 64, ` +
        'neither starting nor ending with a space, dot or dash (it names folders, files and a registry key)',
    );
  }
  return join('build', builtinNames(name, '').script);
}

export interface Generated {
  /** What build-nsis writes before makensis runs. */
  files: Array<{ path: string; content: string | Buffer }>;
  /** How many files and folders the payload has. */
  payloadEntries: number;
  /** launcher: exe: the launcher's script and the program makensis makes of it, packed by the installer. */
  exeLauncher?: { script: string; exe: string };
  /** template: builtin's include input (absolute): the one file of the user's to lint. */
  include?: string;
  /** Passed to makensis: where a hand-written script finds the payload include. */
  defines: Array<[string, string]>;
  /** Folders to create before makensis runs (the installer's). */
  folders: string[];
}

/** Windows compares names case-insensitively. */
const caseless = (path: string) => path.toLowerCase();

/**
 * A file or folder input relative to working-directory, inside the workspace. The script names it
 * literally, where a `$` would start a variable or a define and a quote end the string.
 */
function located(inputs: InputReader, input: string, cwd: string, workspace: string) {
  const given = inputs.string(input);
  const path = resolve(cwd, given);
  confine(input, given, path, workspace, 'a file');
  if (/[$"]/.test(path))
    throw new InputError(input, `has a $ or a double quote in its path (${printable(path)})`);
  return { given, path };
}

function readKeep(inputs: InputReader): string[] {
  const lines = inputs.list('keep');
  if (lines.length === 1 && lines[0] === 'none') return [];
  return lines.map((line) => {
    const path = line.replaceAll('\\', '/').replace(/^(\.\/)+/, '');
    if (CONTROL.test(path))
      throw new InputError('keep', `has a path with a control character (${printable(line)})`);
    checkWindowsName('keep', path.replace(/\/$/, ''));
    return path;
  });
}

function readShortcuts(inputs: InputReader): Shortcut[] {
  const items = inputs.list('shortcuts', { commas: true });
  if (items.length === 1 && items[0] === 'none') return [];
  for (const item of items) {
    if (!(SHORTCUTS as readonly string[]).includes(item)) {
      throw new InputError('shortcuts', `has '${printable(item)}'; use ${SHORTCUTS.join(', ')} or none`);
    }
  }
  return [...new Set(items as Shortcut[])];
}

/** The output input: the installer's path (absolute), a Windows name ending in .exe; undefined when empty. */
function readOutput(inputs: InputReader, cwd: string, workspace: string): string | undefined {
  if (inputs.string('output') === '') return undefined;
  const { given, path } = located(inputs, 'output', cwd, workspace);
  checkWindowsName('output', basename(path));
  if (!/\.exe$/i.test(path)) throw new InputError('output', `'${printable(given)}' does not end in .exe`);
  checkFolder('output', dirname(path));
  return path;
}

/** An .ico by name and by its header (reserved 0, type 1), so a renamed PNG is refused too. */
function readIcon(inputs: InputReader, cwd: string, workspace: string) {
  if (inputs.string('icon') === '') return undefined;
  const { given, path } = located(inputs, 'icon', cwd, workspace);
  checkFile('icon', path);
  const header = readFileSync(path).subarray(0, 4);
  if (!/\.ico$/i.test(path) || !header.equals(Buffer.from([0, 0, 1, 0]))) {
    throw new InputError('icon', `'${printable(given)}' is no .ico file (Windows icons only)`);
  }
  return path;
}

/** dist-dir's payload and the keep paths, checked; `add` puts a generated file into the payload. */
function readDist(
  inputs: InputReader,
  context: { cwd: string; workspace: string; buildDir: string; requirePython: boolean },
) {
  const { cwd, workspace, buildDir } = context;
  const dist = located(inputs, 'dist-dir', cwd, workspace);
  if (!existsSync(dist.path) || !statSync(dist.path).isDirectory())
    throw new InputError('dist-dir', `'${printable(dist.given)}' is not a folder`);
  if (isInside(dist.path, buildDir)) {
    throw new InputError(
      'dist-dir',
      `'${printable(dist.given)}' holds build/, where build-nsis writes the installer's files`,
    );
  }
  if (context.requirePython) {
    let python = false;
    try {
      python = statSync(join(dist.path, 'python', 'python.exe')).isFile();
    } catch {}
    if (!python) {
      throw new InputError(
        'dist-dir',
        `'${printable(dist.given)}' holds no python/python.exe (the windows-portable layout: python/, app/, scripts/)`,
      );
    }
  }
  let payload: PayloadEntry[] = listPayload('dist-dir', dist.path);
  const has = (target: string) => payload.some((entry) => caseless(entry.target) === caseless(target));
  const reserved = RESERVED.find(has);
  if (reserved) throw new InputError('dist-dir', `holds ${reserved}, which the installer writes itself`);

  const keep = readKeep(inputs);
  const kept = payload.find((entry) => isKept(entry.target, keep));
  if (kept) {
    throw new InputError(
      'keep',
      `covers '${printable(kept.target)}', which dist-dir ships: an upgrade would overwrite it; ship a ` +
        'default under another name (config.example.yaml) or leave it out of keep',
    );
  }
  return {
    dist,
    keep,
    has,
    /** Adds a generated file (and its folders), replacing a file of dist-dir at the same place. */
    add(target: string, source: string) {
      payload = payload.filter((entry) => caseless(entry.target) !== caseless(target));
      for (const folder of parentsOf(target)) if (!has(folder)) payload.push({ target: folder });
      payload.push({ target, source });
    },
    /** The payload in manifest order. */
    entries: () => postOrder(payload),
  };
}

/** The include and the manifest it packs, written to `buildDir`; `scriptDir` is the compiled script's folder. */
function payloadFiles(
  entries: PayloadEntry[],
  keep: string[],
  paths: { include: string; manifest: string; scriptDir: string },
): Generated['files'] {
  const { include, manifest, scriptDir } = paths;
  return [
    { path: include, content: payloadInclude({ payload: entries, keep, manifest, scriptDir }) },
    { path: manifest, content: manifestBytes(entries) },
  ];
}

/**
 * template: script with dist-dir: the payload include a hand-written script pulls in with
 * `!include "${FORGE_PAYLOAD_NSH}"`, written with its manifest to `build/` under working-directory.
 */
export function readScriptPayload(
  inputs: InputReader,
  context: { cwd: string; workspace: string; script: string },
): Generated | undefined {
  if (inputs.string('dist-dir') === '') return undefined;
  const { cwd, script } = context;
  const buildDir = join(cwd, 'build');
  checkFolder('working-directory', buildDir);
  const { keep, entries } = readDist(inputs, { ...context, buildDir, requirePython: false });
  if (!INCLUDES_PAYLOAD.test(readFileSync(script, 'utf8'))) {
    throw new InputError(
      'dist-dir',
      `is given, but the script does not !include "\${${PAYLOAD_DEFINE}}" (the file that installs it)`,
    );
  }
  const include = join(buildDir, 'forge-payload.nsh');
  const payload = entries();
  return {
    files: payloadFiles(payload, keep, {
      include,
      manifest: join(buildDir, 'install-manifest.txt'),
      scriptDir: dirname(script),
    }),
    payloadEntries: payload.length,
    defines: [[PAYLOAD_DEFINE, include]],
    folders: [],
  };
}

/**
 * Reads the template: builtin inputs. `cwd` is the checked working directory, `script` the generated
 * script's absolute path, `version` the checked version input.
 */
export function readBuiltin(
  inputs: InputReader,
  context: { cwd: string; workspace: string; script: string; version: string },
): Generated {
  const { cwd, workspace, version } = context;
  const appName = inputs.string('app-name');
  const names = builtinNames(appName, version);
  const buildDir = resolve(context.script, '..');
  const outFile = readOutput(inputs, cwd, workspace) ?? join(buildDir, names.installer);
  checkFolder('working-directory', buildDir);
  if (inputs.string('dist-dir') === '')
    throw new InputError('dist-dir', 'is required with template: builtin');
  const dist = readDist(inputs, { cwd, workspace, buildDir, requirePython: true });

  if (isInside(dist.dist.path, outFile))
    throw new InputError('output', 'lies inside dist-dir: the next build would ship the installer in itself');
  const files: Generated['files'] = [];
  const launcher = inputs.enum('launcher', ['exe', 'vbs'] as const);
  const appModule = inputs.string('app-module');
  const iconPath = readIcon(inputs, cwd, workspace);
  let exeLauncher: Generated['exeLauncher'];
  if (launcher === 'exe') {
    if (appModule === '')
      throw new InputError('app-module', 'is required with launcher: exe (the module it starts)');
    exeLauncher = { script: join(buildDir, names.exeLauncherScript), exe: join(buildDir, names.exeLauncher) };
    files.push({
      path: exeLauncher.script,
      content: exeLauncherScript({
        appName,
        module: appModule,
        outFile: names.exeLauncher,
        icon: iconPath,
        buildDir,
      }),
    });
    dist.add(names.exeLauncher, exeLauncher.exe);
  } else if (appModule !== '') {
    const vbs = join(buildDir, names.vbsLauncher);
    files.push({ path: vbs, content: hiddenLauncher(appModule) });
    dist.add(VBS_LAUNCHER, vbs);
  } else if (!dist.has(VBS_LAUNCHER)) {
    throw new InputError(
      'app-module',
      `is required when dist-dir holds no ${VBS_LAUNCHER} (the launcher to start)`,
    );
  }

  let icon: BuiltinTemplate['icon'];
  if (iconPath && isInside(dist.dist.path, iconPath)) {
    icon = { target: relative(dist.dist.path, iconPath).replaceAll('\\', '/'), source: iconPath };
  } else if (iconPath) {
    if (dist.has('icon.ico'))
      throw new InputError('icon', 'lies outside dist-dir, whose icon.ico it would replace');
    icon = { target: 'icon.ico', source: iconPath };
    dist.add(icon.target, iconPath);
  }

  const publisher = inputs.string('publisher');
  if (CONTROL.test(publisher))
    throw new InputError('publisher', 'must be one line without control characters');
  let include: string | undefined;
  if (inputs.string('include') !== '') {
    include = located(inputs, 'include', cwd, workspace).path;
    checkFile('include', include);
  }

  const template: BuiltinTemplate = {
    appName,
    version,
    publisher,
    scope: inputs.enum('install-scope', ['user', 'machine'] as const),
    shortcuts: readShortcuts(inputs),
    launcher,
    openUrl: inputs.url('open-url')?.href,
    icon,
    include,
    buildDir,
    outFile,
  };
  const payload = dist.entries();
  files.push(
    { path: context.script, content: builtinScript(template) },
    ...payloadFiles(payload, dist.keep, {
      include: join(buildDir, names.payload),
      manifest: join(buildDir, names.manifest),
      scriptDir: buildDir,
    }),
  );
  return {
    files,
    payloadEntries: payload.length,
    exeLauncher,
    include,
    defines: [],
    folders: [dirname(outFile)],
  };
}
