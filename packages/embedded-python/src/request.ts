import { resolve } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import { checkFolder } from '@forge-actions/system';
import { checkExtraPaths } from './pth.js';
import { EMBED_ARCHES, type EmbedArch, type PythonVersion, parsePythonVersion } from './version.js';

export interface FetchInputs {
  pythonVersion: string;
  arch: string;
  destination: string;
  mirror: string;
  sha256: string;
  sitePackages: boolean;
  extraPaths: string[];
  tkinter: boolean;
  cache: boolean;
  /** Relative destinations are taken from here (the step's working directory). */
  workspace: string;
}

export interface FetchRequest {
  version: PythonVersion;
  arch: EmbedArch;
  /** Absolute. */
  destination: string;
  /** Without a trailing slash. */
  mirror: string;
  /** Lower-case hex, or ''. */
  sha256: string;
  sitePackages: boolean;
  extraPaths: string[];
  tkinter: boolean;
  cache: boolean;
}

/** Checks every input of fetch-embedded-python before anything is downloaded or written. */
export function checkFetchInputs(inputs: FetchInputs): FetchRequest {
  const version = parsePythonVersion(inputs.pythonVersion);
  const arch = inputs.arch.toLowerCase() as EmbedArch;
  if (!EMBED_ARCHES.includes(arch)) {
    throw new InputError('arch', `must be one of ${EMBED_ARCHES.join(', ')} (got '${inputs.arch}')`);
  }
  let mirrorUrl: URL;
  try {
    mirrorUrl = new URL(inputs.mirror);
  } catch {
    throw new InputError('mirror', `must be an http(s) URL (got '${inputs.mirror}')`);
  }
  if (mirrorUrl.protocol !== 'https:' && mirrorUrl.protocol !== 'http:') {
    throw new InputError('mirror', `must be an http(s) URL (got '${inputs.mirror}')`);
  }
  const sha256 = inputs.sha256.toLowerCase();
  if (sha256 && !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InputError('sha256', `must be 64 hexadecimal digits (got '${inputs.sha256}')`);
  }
  if (!inputs.destination) throw new InputError('destination', 'is required and was not set');
  const destination = resolve(inputs.workspace, inputs.destination);
  checkFolder('destination', destination);
  return {
    version,
    arch,
    destination,
    mirror: inputs.mirror.replace(/\/+$/, ''),
    sha256,
    sitePackages: inputs.sitePackages,
    extraPaths: checkExtraPaths(inputs.extraPaths),
    tkinter: inputs.tkinter,
    cache: inputs.cache,
  };
}
