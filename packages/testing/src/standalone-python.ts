// A python-build-standalone `install_only` tarball for the linux-portable tests, made from this machine's
// own CPython so nothing is downloaded. A CPython built with a shared libpython (pyenv's, setup-python's)
// finds libpython and is found by its extension modules through an absolute rpath into its prefix: a
// plain copy only seems to work while the original is still there. The copy gets $ORIGIN-relative
// runpaths instead, as python-build-standalone's builds have.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { sha256File, which } from '@forge-actions/system';

export interface StandaloneTarball {
  /** Absolute path of the .tar.gz */
  path: string;
  /** File name, python-build-standalone's: cpython-{X.Y.Z}+{YYYYMMDD}-{arch}-unknown-linux-gnu-install_only.tar.gz */
  name: string;
  /** X.Y.Z of the CPython inside */
  version: string;
  sha256: string;
}

/** The python-build-standalone release that shipped 3.11.7. */
const DEFAULT_DATE = '20240107';

/** The CPython behind `python3` (its base, should that be a venv). */
interface Source {
  prefix: string;
  /** X.Y.Z */
  version: string;
  /** sys.version: tells two builds of one version apart. */
  build: string;
  machine: string;
  /** libpython's file name in {prefix}/lib, e.g. libpython3.11.so.1.0. */
  soname: string;
  /** pip's dist-info folder in site-packages, e.g. pip-23.2.1.dist-info. */
  pipDist: string;
}

const PROBE = `import json, platform, sys, sysconfig
v = sysconfig.get_config_var
print(json.dumps({'prefix': sys.base_prefix, 'version': platform.python_version(), 'build': sys.version,
  'machine': platform.machine(), 'shared': v('Py_ENABLE_SHARED'), 'libdir': v('LIBDIR'), 'soname': v('INSTSONAME')}))`;

let probed: { source: Source | undefined } | undefined;

/** The source CPython, or undefined when there is none fit for the tier (static libpython, no pip). */
function source(): Source | undefined {
  if (probed) return probed.source;
  probed = { source: undefined };
  let found: Record<string, string | number | null>;
  try {
    found = JSON.parse(execFileSync('python3', ['-c', PROBE], { encoding: 'utf8', stdio: 'pipe' }));
  } catch {
    return undefined;
  }
  const prefix = String(found.prefix);
  const soname = String(found.soname);
  const site = join(prefix, 'lib', `python${xy(String(found.version))}`, 'site-packages');
  const pipDist = existsSync(site)
    ? readdirSync(site).find((n) => /^pip-[^-]+\.dist-info$/.test(n))
    : undefined;
  // The layout below assumes libpython sits in {prefix}/lib, as in python-build-standalone's.
  if (found.shared !== 1 || found.libdir !== join(prefix, 'lib') || !existsSync(join(prefix, 'lib', soname)))
    return undefined;
  if (!pipDist || !existsSync(join(site, 'pip'))) return undefined;
  probed.source = {
    prefix,
    version: String(found.version),
    build: String(found.build),
    machine: String(found.machine),
    soname,
    pipDist,
  };
  return probed.source;
}

/** "3.11" of "3.11.7". */
const xy = (version: string) => version.split('.').slice(0, 2).join('.');

/** Missing tools for the tier (patchelf, ldd, tar, gzip, a shared-libpython CPython 3 with pip): names, empty when all present. */
export function standaloneMissing(): string[] {
  const missing = ['patchelf', 'ldd', 'tar', 'gzip'].filter((tool) => !which(tool));
  if (!source()) missing.push('python3 (CPython 3 with a shared libpython in {prefix}/lib and pip)');
  return missing;
}

/** Folders an app does not need, wherever they are in the standard library. */
const DROPPED = new Set(['__pycache__', 'test', 'tests', 'idle_test', 'idlelib', 'tkinter', 'turtledemo']);

/** Whether `path` (relative to the source's lib/) goes into the copy; site-packages is copied apart. */
function kept(path: string, stdlib: string): boolean {
  const parts = path.split(sep);
  if (parts[0] === 'pkgconfig' || path.endsWith('.a') || parts.some((part) => DROPPED.has(part)))
    return false;
  if (parts[0] !== stdlib) return true;
  // config-X.Y-*/ is for building extensions (Makefile, libpython.a); sysconfig reads _sysconfigdata*.py.
  if (parts[1] === 'site-packages' || parts[1]?.startsWith('config-')) return false;
  return !(parts[1] === 'lib-dynload' && parts[2]?.startsWith('_tkinter.'));
}

function isElf(file: string): boolean {
  const fd = openSync(file, 'r');
  const magic = Buffer.alloc(4);
  try {
    readSync(fd, magic, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return magic.equals(Buffer.from('\x7fELF', 'latin1'));
}

/** Every rpath entry of every ELF file under `root` that points into `prefix` now points to the same place in `root`, from $ORIGIN. */
function relocate(prefix: string, root: string): void {
  const elves = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => join(root, name))
    .filter((file) => lstatSync(file).isFile() && isElf(file));
  // patchelf takes many files at once (one rpath line each): a few runs instead of two per file.
  const rpaths = execFileSync('patchelf', ['--print-rpath', ...elves], { encoding: 'utf8' }).split('\n');
  const byRpath = new Map<string, string[]>();
  elves.forEach((file, i) => {
    const moved = rpaths[i]
      .split(':')
      .map((entry) => {
        if (entry !== prefix && !entry.startsWith(`${prefix}/`)) return entry;
        const up = relative(dirname(file), join(root, relative(prefix, entry)));
        return up ? `$ORIGIN/${up}` : '$ORIGIN';
      })
      .join(':');
    if (moved !== rpaths[i]) byRpath.set(moved, [...(byRpath.get(moved) ?? []), file]);
  });
  for (const [rpath, files] of byRpath) execFileSync('patchelf', ['--set-rpath', rpath, ...files]);
}

/** Builds `name` in `dir`: in a folder of its own, renamed into place whole (a concurrent build's rename may win; both are equal). */
function build(src: Source, dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, '.build-'));
  try {
    const root = join(work, 'python');
    const stdlib = `python${xy(src.version)}`;
    const lib = join(src.prefix, 'lib');
    mkdirSync(join(root, 'bin'), { recursive: true });
    // Only the interpreter: the other scripts (pip3, pydoc3, ...) have the prefix in their shebangs.
    cpSync(join(src.prefix, 'bin', stdlib), join(root, 'bin', stdlib));
    symlinkSync(stdlib, join(root, 'bin', 'python3'));
    cpSync(lib, join(root, 'lib'), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (from) => kept(relative(lib, from), stdlib),
    });
    // pip only: whatever else the machine installed must not be there for the tests to install it.
    for (const entry of ['pip', src.pipDist]) {
      cpSync(join(lib, stdlib, 'site-packages', entry), join(root, 'lib', stdlib, 'site-packages', entry), {
        recursive: true,
        filter: (from) => basename(from) !== '__pycache__',
      });
    }
    relocate(src.prefix, root);
    const partial = join(work, name);
    // gzip -1: a third of -6's time for a tenth more size; -n leaves the time out, so equal trees give equal bytes.
    execFileSync(
      'tar',
      [
        ...['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0'],
        ...['--use-compress-program=gzip -n -1', '-cf', partial, '-C', work, 'python'],
      ],
      { stdio: 'pipe' },
    );
    renameSync(partial, join(dir, name));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const tarballs = new Map<string, Promise<StandaloneTarball>>();

/**
 * Builds the tarball once per machine state: cached under os.tmpdir() keyed by the source CPython
 * (prefix, build, pip) and this file's own text, so later calls and other Jest workers reuse it.
 */
export async function standaloneTarball(options: { date?: string } = {}): Promise<StandaloneTarball> {
  const src = source();
  if (!src) throw new Error(`standalone python: missing ${standaloneMissing().join(', ')}`);
  const name = `cpython-${src.version}+${options.date ?? DEFAULT_DATE}-${src.machine}-unknown-linux-gnu-install_only.tar.gz`;
  let tarball = tarballs.get(name);
  if (!tarball) {
    const key = createHash('sha256')
      .update(
        JSON.stringify([src.prefix, src.build, src.pipDist, readFileSync(import.meta.filename, 'utf8')]),
      )
      .digest('hex')
      .slice(0, 16);
    const dir = join(tmpdir(), `standalone-python-${src.version}-${key}`);
    const path = join(dir, name);
    if (!existsSync(path)) build(src, dir, name);
    tarball = sha256File(path).then((sha256) => ({ path, name, version: src.version, sha256 }));
    tarballs.set(name, tarball);
  }
  return tarball;
}
