import type { EmbedArch, PythonVersion } from './version.js';

/** `python-{version}-embed-{arch}.zip`, the embeddable zip's file name. */
export function embedZipName(version: string, arch: EmbedArch): string {
  return `python-${version}-embed-${arch}.zip`;
}

/** `{mirror}/{X.Y.Z}/python-{X.Y.Z[pre]}-embed-{arch}.zip`, python.org's layout. */
export function embedZipUrl(mirror: string, version: PythonVersion, arch: EmbedArch): string {
  return `${mirror}/${version.release}/${embedZipName(version.text, arch)}`;
}

/**
 * The folder of the release's MSI packages: `{mirror}/{X.Y.Z}/{arch}/`. Pre-releases keep theirs in a
 * folder named with the pre-release part too (`3.13.0/amd64rc2/`).
 */
export function msiFolderUrl(mirror: string, version: PythonVersion, arch: EmbedArch): string {
  return `${mirror}/${version.release}/${arch}${version.pre}/`;
}

/**
 * The last release of each minor line that came with Windows binaries; later ones are security-only
 * (source only). Lines not listed (3.13 and newer) are still in bugfix mode.
 */
const LAST_WINDOWS_BUILD: Record<string, number> = {
  '3.5': 4,
  '3.6': 8,
  '3.7': 9,
  '3.8': 10,
  '3.9': 13,
  '3.10': 11,
  '3.11': 9,
  '3.12': 10,
};

/** One sentence on why python.org may have no embeddable zip for this version and arch. */
export function whyNoEmbedZip(version: PythonVersion, arch: EmbedArch): string {
  const line = `${version.major}.${version.minor}`;
  if (arch === 'arm64' && version.minor < 11) {
    return `arm64 embeddable zips start at Python 3.11; use amd64 or win32 for ${line}`;
  }
  const last = LAST_WINDOWS_BUILD[line];
  if (last !== undefined && version.patch > last) {
    return (
      `${version.release} is a security-only release, which python.org publishes as source only: ` +
      `the last ${line} with Windows binaries is ${line}.${last}`
    );
  }
  return (
    'python.org publishes Windows binaries for bugfix releases only (security-only releases such as ' +
    '3.10.12+, 3.11.10+ and 3.12.11+ have none; arm64 starts at 3.11); check that the version exists' +
    (version.pre ? ` and that ${version.text} is spelled as on the release page` : '')
  );
}
