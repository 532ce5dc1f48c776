import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import { isInside, isReallyInside } from '@forge-actions/action-kit/paths';
import { printable } from '@forge-actions/action-kit/printable';
import { expandTemplate } from '@forge-actions/action-kit/template';
import { cleanVersion } from '@forge-actions/version';
import { unsafeEntryName, windowsUnsafeName } from './entry-names.js';
import { type ArchiveFormat, formatOfName } from './pack.js';

export interface PortableInputs {
  source: string;
  output: string;
  /** '' = from the output's extension. */
  format: string;
  /** '' = the archive's name without its extension; '.' = no root folder. */
  rootDir: string;
  version: string;
  tag: string;
  /** Relative paths are taken from here (the step's working directory). */
  workspace: string;
}

export interface PortablePlan {
  source: string;
  output: string;
  format: ArchiveFormat;
  rootDir: string;
  version: string;
  tag: string;
}

function checkRootDir(rootDir: string): string {
  const trimmed = rootDir.replace(/\/+$/, '');
  const reason =
    unsafeEntryName(trimmed) ??
    (trimmed.split('/').some((part) => part === '' || part === '.') ? "an empty or '.' segment" : undefined);
  if (reason)
    throw new InputError(
      'root-dir',
      `must be a relative folder name inside the archive (${reason}): '${rootDir}'`,
    );
  return trimmed;
}

function checkFormat(format: string, output: string): ArchiveFormat {
  const byName = formatOfName(output);
  const chosen = format.toLowerCase();
  if (chosen === '') {
    if (!byName) {
      throw new InputError(
        'output',
        `must end in .zip, .tar.gz or .tgz, or set format (got '${basename(output)}')`,
      );
    }
    return byName;
  }
  const explicit = chosen === 'zip' ? 'zip' : chosen === 'tar.gz' || chosen === 'tgz' ? 'tar.gz' : undefined;
  if (!explicit) throw new InputError('format', `must be zip or tar.gz (got '${format}')`);
  if (byName && byName !== explicit) {
    throw new InputError('format', `is ${explicit} but output '${basename(output)}' names a ${byName} file`);
  }
  return explicit;
}

/** Checks and resolves pack-portable's inputs; nothing is touched on disk. */
export function planPortable(inputs: PortableInputs): PortablePlan {
  if (!inputs.source) throw new InputError('source', 'is required and was not set');
  const source = resolve(inputs.workspace, inputs.source);
  let isDir = false;
  try {
    isDir = statSync(source).isDirectory();
  } catch {
    throw new InputError('source', `names no existing folder: ${source}`);
  }
  if (!isDir) throw new InputError('source', `must be a folder, not a file: ${source}`);
  return planOutput({ ...inputs, source });
}

/**
 * The archive's name, format and root folder for a source folder that an action is about to build (it
 * need not exist yet): the output outside it, named for a format, with a root folder it can hold.
 */
export function planOutput(inputs: PortableInputs): PortablePlan {
  const tag = inputs.tag;
  const version = inputs.version || cleanVersion(tag);
  const values = { tag, version };
  const source = resolve(inputs.workspace, inputs.source);

  if (!inputs.output) throw new InputError('output', 'is required and was not set');
  const outputName = expandTemplate('output', inputs.output, values);
  const output = resolve(inputs.workspace, outputName);
  // The archive would be packed into itself on the next run. Lexically first, then through symbolic
  // links (an output folder that links into source, or a source that links around the output).
  if (isInside(source, output)) {
    throw new InputError('output', `must not lie inside the source folder ${source}: ${output}`);
  }
  if (isReallyInside(source, output)) {
    throw new InputError(
      'output',
      `must not lie inside the source folder ${source} (through a symbolic link): ${output}`,
    );
  }
  try {
    if (statSync(output).isDirectory())
      throw new InputError('output', `names a folder, not a file: ${output}`);
  } catch (error) {
    if (error instanceof InputError) throw error;
  }
  const format = checkFormat(inputs.format, output);

  let rootDir: string;
  if (inputs.rootDir === '.') rootDir = '';
  else if (inputs.rootDir) rootDir = checkRootDir(expandTemplate('root-dir', inputs.rootDir, values));
  else rootDir = checkRootDir(basename(output).replace(/\.(zip|tar\.gz|tgz)$/i, '') || 'app');
  // A zip is for Windows: its root folder must be a name Windows can hold (see packArchive for the rest).
  const windows = format === 'zip' && rootDir ? windowsUnsafeName(rootDir) : undefined;
  if (windows) {
    if (inputs.rootDir) {
      throw new InputError(
        'root-dir',
        `must be a folder name Windows can hold in a zip (${windows}): '${printable(rootDir)}'`,
      );
    }
    throw new InputError(
      'output',
      `gives the zip's root folder '${printable(rootDir)}', which Windows cannot hold (${windows}); set root-dir`,
    );
  }
  return { source, output, format, rootDir, version, tag };
}
