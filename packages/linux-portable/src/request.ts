// linux-portable's inputs, read once and checked before anything is downloaded or written.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InputReader } from '@forge-actions/action-kit/contract';
import { InputError } from '@forge-actions/action-kit/errors';
import { isReallyInside } from '@forge-actions/action-kit/paths';
import { type PortablePlan, planOutput } from '@forge-actions/archive';
import { type ExtractOptions, extractLimitsFromInputs } from '@forge-actions/archive/extract';
import { basicAuthUrl } from '@forge-actions/http';
import { checkFile, checkFolder } from '@forge-actions/system';
import { requestedPython } from '@forge-actions/version/python';
import {
  CLEANUP_LEVELS,
  type CleanupLevel,
  checkIndexUrl,
  checkRemovePatterns,
  type Indexes,
} from '@forge-actions/wheels/build-common';

type PythonKind = 'standalone' | 'venv';

export interface LinuxPortableRequest {
  python: PythonKind;
  /** `3.11` or `3.11.9`, from python-version or python-version-file; '' (standalone from one archive: its own; venv: the runner's python3). */
  pythonVersion: string;
  /** Where the python-build-standalone archive comes from: one `.tar.gz`, or a folder listing them. No credentials. */
  distUrl: string;
  /** The `user:password@` of python-dist-url as a Basic Authorization header value, or ''. */
  distAuthorization: string;
  /** Lower-case hex of the archive, or ''. */
  sha256: string;
  requirements: string[];
  /** Absolute, or ''. */
  requirementsFile: string;
  constraints: string[];
  indexes: Indexes;
  /** Absolute. */
  appDir: string;
  appModule: string;
  /** Absolute; emptied first. */
  distDir: string;
  /** The archive: name, root folder, version and tag (checked now, packed last). */
  pack: PortablePlan;
  service: boolean;
  serviceName: string;
  cleanup: CleanupLevel;
  remove: string[];
  extractLimits: ExtractOptions;
}

/** A dotted Python module name, as `python -m` takes it. */
const MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** What systemd accepts in a unit name (without `@`, which makes a template). */
const UNIT = /^[A-Za-z0-9:_.\\-]+$/;

function checkDistUrl(value: string, python: PythonKind): { distUrl: string; distAuthorization: string } {
  if (!value) {
    if (python === 'standalone') {
      throw new InputError(
        'python-dist-url',
        'is required with python: standalone: a python-build-standalone install_only .tar.gz, or a folder (mirror) listing them',
      );
    }
    return { distUrl: '', distAuthorization: '' };
  }
  if (python === 'venv')
    throw new InputError(
      'python-dist-url',
      "is for python: standalone; python: venv uses the runner's Python",
    );
  const { url, authorization } = basicAuthUrl('python-dist-url', value);
  return { distUrl: url, distAuthorization: authorization };
}

/** An optional file input, absolute, or ''. */
function fileInput(input: string, workspace: string, value: string): string {
  if (!value) return '';
  const path = resolve(workspace, value);
  checkFile(input, path);
  return path;
}

export function readLinuxPortableRequest(
  inputs: InputReader,
  runner: { workspace: string; tag: string },
): LinuxPortableRequest {
  const { workspace } = runner;
  // Credentials in URLs are secrets before anything can print them.
  const distInput = inputs.urlText('python-dist-url');
  const indexUrl = inputs.urlText('index-url');
  const extraIndexUrls = inputs.urlList('extra-index-url');
  const python = inputs.enum('python', ['standalone', 'venv'] as const);
  const versionFile = inputs.string('python-version-file');
  const version = inputs.string('python-version');
  // Optional here: a standalone archive names its own version, and a venv takes the runner's python3.
  const pythonVersion =
    version || versionFile ? requestedPython({ version, versionFile, workspace }).text : '';
  const { distUrl, distAuthorization } = checkDistUrl(distInput, python);
  const sha256 = inputs.string('sha256').toLowerCase();
  if (sha256 && !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InputError('sha256', `must be 64 hexadecimal digits (got '${inputs.string('sha256')}')`);
  }
  if (sha256 && python === 'venv')
    throw new InputError('sha256', 'checks the python-dist-url archive, which python: venv has none of');

  const appDir = resolve(workspace, inputs.required('app-dir'));
  try {
    if (!statSync(appDir).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new InputError('app-dir', `names no folder: ${appDir}`);
  }
  const appModule = inputs.required('app-module');
  if (!MODULE.test(appModule)) {
    throw new InputError(
      'app-module',
      `must be a dotted Python module name such as myapp or myapp.main (got '${appModule}')`,
    );
  }
  const distDir = resolve(workspace, inputs.required('dist-dir'));
  checkFolder('dist-dir', distDir);
  // dist-dir is emptied first: it must not hold the app, nor lie inside it (the app is copied into it).
  if (isReallyInside(distDir, appDir) || isReallyInside(appDir, distDir)) {
    throw new InputError('dist-dir', `and app-dir must be separate folders (${distDir}, ${appDir})`);
  }
  const plan = planOutput({
    source: distDir,
    output: inputs.required('output'),
    format: 'tar.gz',
    rootDir: '',
    version: inputs.string('version'),
    tag: runner.tag,
    workspace,
  });
  const serviceName = inputs.string('service-name') || appModule.split('.')[0];
  if (!UNIT.test(serviceName)) {
    throw new InputError(
      'service-name',
      `must be a systemd unit name: letters, digits, ':', '_', '.', '-' (got '${serviceName}')`,
    );
  }
  const cleanup = inputs.enum('cleanup', CLEANUP_LEVELS);
  const remove = inputs.list('remove');
  checkRemovePatterns(remove);
  return {
    python,
    pythonVersion,
    distUrl,
    distAuthorization,
    sha256,
    requirements: inputs.list('requirements'),
    requirementsFile: fileInput('requirements-file', workspace, inputs.string('requirements-file')),
    constraints: inputs.list('constraints'),
    indexes: {
      indexUrl: indexUrl ? checkIndexUrl('index-url', indexUrl) : '',
      extraIndexUrls: extraIndexUrls.map((url) => checkIndexUrl('extra-index-url', url)),
    },
    appDir,
    appModule,
    distDir,
    pack: plan,
    service: inputs.boolean('service'),
    serviceName,
    cleanup,
    remove,
    extractLimits: extractLimitsFromInputs((name) => inputs.positiveInt(name)),
  };
}
