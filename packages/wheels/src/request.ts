import { resolve } from 'node:path';
import { InputError } from '@forge-actions/action-kit/errors';
import { isReallyInside } from '@forge-actions/action-kit/paths';
import type { ExtractOptions } from '@forge-actions/archive/extract';
import { checkFile, checkFolder } from '@forge-actions/system';
import { requestedPython } from '@forge-actions/version/python';
import { CLEANUP_LEVELS, type CleanupLevel, checkRemovePatterns } from './cleanup.js';
import { type Constraint, parseConstraints } from './constraints.js';
import { checkIndexUrl, type Indexes } from './indexes.js';
import { parseTarget, type Target } from './target.js';

const ENGINES = ['auto', 'uv', 'pip'] as const;
type Engine = (typeof ENGINES)[number];

/** The inputs as read from the workflow (trimmed strings and lines). */
export interface WheelInputs {
  requirements: string[];
  requirementsFile: string;
  constraints: string[];
  pythonVersion: string;
  /** True when pythonVersion is the action's default, which pythonVersionFile replaces. */
  pythonVersionIsDefault?: boolean;
  /** A `.python-version` file, or ''. */
  pythonVersionFile: string;
  platform: string;
  implementation: string;
  wheelDir: string;
  sitePackages: string;
  allowSdistFallback: boolean;
  engine: string;
  indexUrl: string;
  extraIndexUrls: string[];
  cleanup: string;
  remove: string[];
  uvVersion: string;
  /** Relative paths are taken from here (the step's working directory). */
  workspace: string;
  /** Caps on what each wheel may unpack to (defaults: the archive package's). */
  extractLimits?: ExtractOptions;
}

export interface WheelRequest {
  requirements: string[];
  /** Absolute, or '' */
  requirementsFile: string;
  /** The lines as given (passed to the resolver). */
  constraintLines: string[];
  /** The lines that can be checked afterwards. */
  constraints: Constraint[];
  target: Target;
  /** Absolute. */
  wheelDir: string;
  /** Absolute, or '' for download only. */
  sitePackages: string;
  allowSdist: boolean;
  engine: Engine;
  indexes: Indexes;
  cleanup: CleanupLevel;
  remove: string[];
  uvVersion: string;
  extractLimits: ExtractOptions;
}

function oneOf<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  throw new InputError(input, `must be one of ${allowed.join(', ')} (got '${value}')`);
}

/** Checks every input of download-win-wheels before anything is downloaded or written. */
export function checkWheelInputs(inputs: WheelInputs): WheelRequest {
  if (inputs.requirements.length === 0 && !inputs.requirementsFile) {
    throw new InputError('requirements', "and 'requirements-file' are both empty: give at least one of them");
  }
  let requirementsFile = '';
  if (inputs.requirementsFile) {
    requirementsFile = resolve(inputs.workspace, inputs.requirementsFile);
    checkFile('requirements-file', requirementsFile);
  }
  const constraints = parseConstraints(inputs.constraints);
  const python = requestedPython({
    version: inputs.pythonVersion,
    versionIsDefault: inputs.pythonVersionIsDefault,
    versionFile: inputs.pythonVersionFile,
    workspace: inputs.workspace,
  });
  const target = parseTarget(python, inputs.platform, inputs.implementation);

  if (!inputs.wheelDir) throw new InputError('wheel-dir', 'is required and was not set');
  const wheelDir = resolve(inputs.workspace, inputs.wheelDir);
  checkFolder('wheel-dir', wheelDir);
  const sitePackages = inputs.sitePackages ? resolve(inputs.workspace, inputs.sitePackages) : '';
  if (sitePackages) {
    checkFolder('site-packages', sitePackages);
    // Symbolic links resolved; a name that merely starts with two dots (`..wheels`) is a folder like any other.
    if (isReallyInside(wheelDir, sitePackages) || isReallyInside(sitePackages, wheelDir)) {
      throw new InputError(
        'site-packages',
        `and wheel-dir must be separate folders (${sitePackages}, ${wheelDir})`,
      );
    }
  }

  const engine = oneOf('engine', inputs.engine || 'auto', ENGINES);
  const indexUrl = inputs.indexUrl ? checkIndexUrl('index-url', inputs.indexUrl) : '';
  const extraIndexUrls = inputs.extraIndexUrls.map((url) => checkIndexUrl('extra-index-url', url));
  const cleanup = oneOf('cleanup', inputs.cleanup || 'safe', CLEANUP_LEVELS);
  checkRemovePatterns(inputs.remove);
  if (inputs.remove.length > 0 && !sitePackages) {
    throw new InputError('remove', 'needs site-packages: with download only there is nothing to remove from');
  }
  if (!/^\d+\.\d+\.\d+$/.test(inputs.uvVersion)) {
    throw new InputError('uv-version', `must be a uv release such as 0.13.8 (got '${inputs.uvVersion}')`);
  }
  return {
    requirements: inputs.requirements,
    requirementsFile,
    constraintLines: inputs.constraints,
    constraints,
    target,
    wheelDir,
    sitePackages,
    allowSdist: inputs.allowSdistFallback,
    engine,
    indexes: { indexUrl, extraIndexUrls },
    cleanup,
    remove: inputs.remove,
    uvVersion: inputs.uvVersion,
    extractLimits: inputs.extractLimits ?? {},
  };
}
