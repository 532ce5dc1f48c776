import { basename } from 'node:path';
import { ActionError } from '@forge-actions/action-kit/errors';
import { parse } from 'smol-toml';
import { normalizeName, parseSdistName, parseWheelName, wheelRank } from './names.js';
import type { Candidate } from './types.js';

interface LockFile {
  url?: string;
  path?: string;
  name?: string;
  hashes?: Record<string, string>;
}

interface LockPackage {
  name?: string;
  version?: string;
  wheels?: LockFile[];
  sdist?: LockFile;
  archive?: LockFile;
  vcs?: unknown;
  directory?: unknown;
}

/** The file name a lock entry stands for: its `name`, else the last segment of its URL or path. */
function fileNameOf(entry: LockFile): string {
  if (entry.name) return entry.name;
  if (entry.url) return decodeURIComponent(basename(new URL(entry.url).pathname));
  return basename(entry.path ?? '');
}

function candidate(name: string, version: string, kind: Candidate['kind'], entry: LockFile): Candidate {
  const result: Candidate = { name, version, kind, file: fileNameOf(entry) };
  if (entry.url) result.url = entry.url;
  if (entry.path) result.path = entry.path;
  const sha256 = entry.hashes?.sha256;
  if (sha256) result.sha256 = sha256.toLowerCase();
  return result;
}

/**
 * Reads uv's PEP 751 lock (`uv pip compile --format pylock.toml`, resolved for the target) into one
 * candidate per package: its best wheel for the target's tags, else its sdist. uv lists only wheels that
 * fit the target platform; ranking them again here also picks among several (cp311 over abi3 over py3).
 */
export function candidatesFromLock(text: string, supported: string[], label: string): Candidate[] {
  let lock: { packages?: LockPackage[] };
  try {
    lock = parse(text) as typeof lock;
  } catch (error) {
    throw new ActionError(`uv wrote a pylock.toml that cannot be read: ${(error as Error).message}`);
  }
  const candidates: Candidate[] = [];
  for (const pkg of lock.packages ?? []) {
    const name = normalizeName(pkg.name ?? '');
    const version = pkg.version ?? '';
    if (pkg.vcs || pkg.directory) {
      throw new ActionError(
        `${name} comes from a ${pkg.vcs ? 'VCS repository' : 'local folder'}, which cannot be fetched as a Windows ` +
          'wheel; publish it to an index or give a wheel file URL',
      );
    }
    const wheels = [...(pkg.wheels ?? [])];
    let sdist = pkg.sdist;
    if (pkg.archive) {
      // A direct URL requirement: a wheel or an sdist by its file name.
      if (fileNameOf(pkg.archive).endsWith('.whl')) wheels.push(pkg.archive);
      else sdist = pkg.archive;
    }
    let best: { entry: LockFile; rank: number } | undefined;
    for (const entry of wheels) {
      const parsed = parseWheelName(fileNameOf(entry));
      const rank = parsed ? wheelRank(parsed, supported) : undefined;
      if (rank !== undefined && (!best || rank < best.rank)) best = { entry, rank };
    }
    const fromFile = (entry: LockFile) =>
      parseWheelName(fileNameOf(entry)) ?? parseSdistName(fileNameOf(entry));
    if (best) {
      const named = fromFile(best.entry);
      candidates.push(
        candidate(name || (named?.name ?? ''), version || (named?.version ?? ''), 'wheel', best.entry),
      );
    } else if (sdist) {
      const named = fromFile(sdist);
      candidates.push(
        candidate(name || (named?.name ?? ''), version || (named?.version ?? ''), 'sdist', sdist),
      );
    } else {
      throw new ActionError(`${name} ${version} has no wheel for ${label} and no sdist in uv's resolution`);
    }
  }
  return candidates;
}
