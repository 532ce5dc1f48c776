import { resolve } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import type { ExtractOptions } from '@forge-actions/archive/extract';
import { basicAuthUrl } from '@forge-actions/http';
import { checkFolder } from '@forge-actions/system';
import { type PythonSpec, requestedPython } from '@forge-actions/version/python';
import { checkExtraPaths } from './pth.js';
import { checkEmbeddable, EMBED_ARCHES, type EmbedArch } from './version.js';

export interface FetchInputs {
  /** '' when not given, as pythonVersionFile. */
  pythonVersion: string;
  pythonVersionFile: string;
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
  /** Caps on what the zip may unpack to (defaults: the archive package's). */
  extractLimits?: ExtractOptions;
}

export interface FetchRequest {
  /** A release (`3.11.9`, `3.13.0rc2`), or a line (`3.11`) whose newest release with the zip the mirror lists. */
  python: PythonSpec;
  arch: EmbedArch;
  /** Absolute. */
  destination: string;
  /** Without a trailing slash and without credentials: safe to print and to store. */
  mirror: string;
  /**
   * The `user:password@` of the mirror input as a Basic Authorization header value (sent to the mirror
   * only), or '' for none.
   */
  mirrorAuthorization: string;
  /** Lower-case hex, or ''. */
  sha256: string;
  sitePackages: boolean;
  extraPaths: string[];
  tkinter: boolean;
  cache: boolean;
  extractLimits: ExtractOptions;
}

/** Checks every input of fetch-embedded-python before anything is downloaded or written. */
export function checkFetchInputs(inputs: FetchInputs): FetchRequest {
  const python = requestedPython({
    version: inputs.pythonVersion,
    versionFile: inputs.pythonVersionFile,
    workspace: inputs.workspace,
  });
  checkEmbeddable(python);
  const arch = inputs.arch.toLowerCase() as EmbedArch;
  if (!EMBED_ARCHES.includes(arch)) {
    throw new InputError('arch', `must be one of ${EMBED_ARCHES.join(', ')} (got '${inputs.arch}')`);
  }
  const { mirror, mirrorAuthorization } = checkMirror(inputs.mirror);
  const sha256 = inputs.sha256.toLowerCase();
  if (sha256 && !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InputError('sha256', `must be 64 hexadecimal digits (got '${inputs.sha256}')`);
  }
  if (!inputs.destination) throw new InputError('destination', 'is required and was not set');
  const destination = resolve(inputs.workspace, inputs.destination);
  checkFolder('destination', destination);
  return {
    python,
    arch,
    destination,
    mirror,
    mirrorAuthorization,
    sha256,
    sitePackages: inputs.sitePackages,
    extraPaths: checkExtraPaths(inputs.extraPaths),
    tkinter: inputs.tkinter,
    cache: inputs.cache,
    extractLimits: inputs.extractLimits ?? {},
  };
}

/** The mirror root without credentials or a trailing slash, and its Basic Authorization header value. */
function checkMirror(value: string): { mirror: string; mirrorAuthorization: string } {
  const { url, authorization } = basicAuthUrl('mirror', value, 'the root of a python.org FTP mirror');
  return { mirror: url.replace(/\/+$/, ''), mirrorAuthorization: authorization };
}
