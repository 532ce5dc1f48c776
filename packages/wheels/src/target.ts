import { InputError } from '@forge-actions/action-kit/errors';
import type { PythonSpec } from '@forge-actions/version/python';

const PLATFORMS = ['win_amd64', 'win32', 'win_arm64'] as const;
type WinPlatform = (typeof PLATFORMS)[number];

/** The Windows Python the wheels are for. */
export interface Target {
  platform: WinPlatform;
  /** X.Y */
  pythonVersion: string;
  /** X.Y.Z[pre] as given, else X.Y.0 (python_full_version in markers; uv reads X.Y the same way). */
  fullVersion: string;
  /** The version passed to pip and uv: X.Y or X.Y.Z as given (a pre-release as its X.Y.Z: pip takes digits only). */
  versionArg: string;
  major: number;
  minor: number;
  implementation: 'cp';
  /** uv's --python-platform. */
  uvPlatform: string;
  /** For messages: cp311-win_amd64. */
  label: string;
}

const UV_PLATFORMS: Record<WinPlatform, string> = {
  win_amd64: 'x86_64-pc-windows-msvc',
  win32: 'i686-pc-windows-msvc',
  win_arm64: 'aarch64-pc-windows-msvc',
};

/** platform.machine() of a Windows Python on each platform. */
const MACHINES: Record<WinPlatform, string> = { win_amd64: 'AMD64', win32: 'x86', win_arm64: 'ARM64' };

export function parseTarget(python: PythonSpec, platform: string, implementation: string): Target {
  const { major, minor, patch, pre } = python;
  if (major !== 3) {
    throw new InputError(python.input, `must be 3.X or 3.X.Y, e.g. 3.11 (got '${python.text}')`);
  }
  const plat = platform.toLowerCase() as WinPlatform;
  if (!PLATFORMS.includes(plat)) {
    throw new InputError('platform', `must be one of ${PLATFORMS.join(', ')} (got '${platform}')`);
  }
  if (implementation.toLowerCase() !== 'cp') {
    throw new InputError(
      'implementation',
      `must be cp: the Windows embeddable Python is CPython (got '${implementation}')`,
    );
  }
  return {
    platform: plat,
    pythonVersion: `${major}.${minor}`,
    fullVersion: `${major}.${minor}.${patch ?? 0}${pre}`,
    versionArg: pre ? `${major}.${minor}.${patch}` : python.text,
    major,
    minor,
    implementation: 'cp',
    uvPlatform: UV_PLATFORMS[plat],
    label: `cp${major}${minor}-${plat}`,
  };
}

/**
 * PEP 508 marker values of the target, as its own interpreter would report them. pip evaluates markers
 * for the machine it runs on (pypa/pip#11664), so the pip engine runs pip with these instead.
 */
export function markerEnvironment(target: Target): Record<string, string> {
  return {
    implementation_name: 'cpython',
    implementation_version: target.fullVersion,
    os_name: 'nt',
    platform_machine: MACHINES[target.platform],
    platform_python_implementation: 'CPython',
    platform_release: '10',
    platform_system: 'Windows',
    platform_version: '10.0.19045',
    python_full_version: target.fullVersion,
    python_version: target.pythonVersion,
    sys_platform: 'win32',
  };
}

/**
 * The wheel tags the target accepts, best first, as `packaging.tags.sys_tags()` orders them on that
 * Python: its own ABI, then abi3 down to 3.2, then the generic py3X tags, then `any`.
 */
export function supportedTags(target: Target): string[] {
  const { major, minor, platform } = target;
  const cp = `cp${major}${minor}`;
  const tags = [`${cp}-${cp}-${platform}`, `${cp}-abi3-${platform}`, `${cp}-none-${platform}`];
  for (let m = minor - 1; m >= 2; m--) tags.push(`cp${major}${m}-abi3-${platform}`);
  // py311, py3, py310 ... py30: packaging's _py_interpreter_range.
  const generic = [`py${major}${minor}`, `py${major}`];
  for (let m = minor - 1; m >= 0; m--) generic.push(`py${major}${m}`);
  for (const py of generic) tags.push(`${py}-none-${platform}`);
  tags.push(`${cp}-none-any`);
  for (const py of generic) tags.push(`${py}-none-any`);
  return tags;
}
