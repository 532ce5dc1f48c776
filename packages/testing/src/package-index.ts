// Real things for the download-win-wheels tests: wheels and sdists made here (wheels written byte by
// byte, sdists with a tiny in-tree PEP 517 backend so building them needs nothing from an index), and
// a PEP 503 simple index serving them over HTTP on 127.0.0.1, optionally behind Basic auth.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RawEntry, rawZip } from './raw-zip.js';

/** PEP 503 name normalisation. */
export const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
/** The distribution part of wheel and dist-info names (PEP 427 escaping). */
const distName = (name: string) => name.replace(/[-_.]+/g, '_');

export interface WheelSpec {
  name: string;
  version: string;
  /** e.g. py3-none-any, cp311-cp311-win_amd64. */
  tag?: string;
  requires?: string[];
  /** Files below the wheel root (packages), path → text or bytes. */
  files?: Record<string, string | Buffer>;
  /** Files below NAME-VER.data/ (purelib/..., platlib/..., scripts/..., data/...). */
  data?: Record<string, string>;
  /** Entries added as given, after the regular ones (hostile names, links). */
  raw?: RawEntry[];
}

/** A wheel: the files, NAME-VER.dist-info/{METADATA,WHEEL,RECORD}, stored entries. Returns its file name. */
export function writeWheel(dir: string, spec: WheelSpec): string {
  const tag = spec.tag ?? 'py3-none-any';
  const base = `${distName(spec.name)}-${spec.version}`;
  const distInfo = `${base}.dist-info`;
  const entries: Array<{ name: string; data: Buffer }> = [];
  const add = (name: string, data: string | Buffer) => entries.push({ name, data: Buffer.from(data) });
  for (const [path, data] of Object.entries(spec.files ?? {})) add(path, data);
  for (const [path, data] of Object.entries(spec.data ?? {})) add(`${base}.data/${path}`, data);
  add(
    `${distInfo}/METADATA`,
    [
      'Metadata-Version: 2.1',
      `Name: ${spec.name}`,
      `Version: ${spec.version}`,
      ...(spec.requires ?? []).map((r) => `Requires-Dist: ${r}`),
      '',
    ].join('\n'),
  );
  const pure = tag.endsWith('-none-any');
  add(
    `${distInfo}/WHEEL`,
    `Wheel-Version: 1.0\nGenerator: forge-actions-test\nRoot-Is-Purelib: ${pure}\nTag: ${tag}\n`,
  );
  const record = entries.map((e) => {
    const digest = createHash('sha256').update(e.data).digest('base64url');
    return `${e.name},sha256=${digest},${e.data.length}`;
  });
  add(`${distInfo}/RECORD`, `${[...record, `${distInfo}/RECORD,,`].join('\n')}\n`);
  const file = `${base}-${tag}.whl`;
  writeFileSync(join(dir, file), rawZip([...entries, ...(spec.raw ?? [])]));
  return file;
}

/** A PEP 517 backend with no requirements; NATIVE builds a wheel tagged for the build machine, as a C extension would. */
const BACKEND = `import os, sys, sysconfig, zipfile, hashlib, base64
from forge_test_config import NAME, VERSION, NATIVE, REQUIRES

def _tag():
    if not NATIVE:
        return 'py3-none-any'
    py = 'cp%d%d' % sys.version_info[:2]
    return '%s-%s-%s' % (py, py, sysconfig.get_platform().replace('-', '_').replace('.', '_'))

def _metadata():
    lines = ['Metadata-Version: 2.1', 'Name: ' + NAME, 'Version: ' + VERSION]
    lines += ['Requires-Dist: ' + r for r in REQUIRES]
    return '\\n'.join(lines) + '\\n'

def _dist_info():
    return '%s-%s.dist-info' % (NAME.replace('-', '_'), VERSION)

def get_requires_for_build_wheel(config_settings=None):
    return []

def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    path = os.path.join(metadata_directory, _dist_info())
    os.makedirs(path)
    with open(os.path.join(path, 'METADATA'), 'w') as f:
        f.write(_metadata())
    return _dist_info()

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = {}
    package = NAME.replace('-', '_')
    for root, _, names in os.walk(package):
        for name in names:
            path = os.path.join(root, name)
            with open(path, 'rb') as f:
                files[path.replace(os.sep, '/')] = f.read()
    files[_dist_info() + '/METADATA'] = _metadata().encode()
    files[_dist_info() + '/WHEEL'] = ('Wheel-Version: 1.0\\nGenerator: forge-test\\nRoot-Is-Purelib: %s\\nTag: %s\\n'
                                      % ('false' if NATIVE else 'true', _tag())).encode()
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append('%s,sha256=%s,%d' % (path, digest, len(data)))
    record.append(_dist_info() + '/RECORD,,')
    files[_dist_info() + '/RECORD'] = ('\\n'.join(record) + '\\n').encode()
    wheel = '%s-%s-%s.whl' % (package, VERSION, _tag())
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), 'w') as z:
        for path, data in files.items():
            z.writestr(path, data)
    return wheel
`;

export interface SdistSpec {
  name: string;
  version: string;
  /** true: the build makes a wheel for the machine it runs on (cpXY-cpXY-linux_x86_64 here). */
  native?: boolean;
  requires?: string[];
}

/** An sdist (NAME-VER.tar.gz) whose in-tree backend builds without fetching anything. Returns its file name. */
export function writeSdist(dir: string, spec: SdistSpec): string {
  const work = mkdtempSync(join(tmpdir(), 'sdist-'));
  const base = `${distName(spec.name)}-${spec.version}`;
  const root = join(work, base);
  const pkg = join(root, distName(spec.name));
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, '__init__.py'), `NAME = ${JSON.stringify(spec.name)}\n`);
  writeFileSync(
    join(root, 'PKG-INFO'),
    `Metadata-Version: 2.1\nName: ${spec.name}\nVersion: ${spec.version}\n`,
  );
  writeFileSync(
    join(root, 'pyproject.toml'),
    '[build-system]\nrequires = []\nbuild-backend = "forge_test_backend"\nbackend-path = ["."]\n',
  );
  writeFileSync(join(root, 'forge_test_backend.py'), BACKEND);
  writeFileSync(
    join(root, 'forge_test_config.py'),
    [
      `NAME = ${JSON.stringify(spec.name)}`,
      `VERSION = ${JSON.stringify(spec.version)}`,
      `NATIVE = ${spec.native ? 'True' : 'False'}`,
      `REQUIRES = ${JSON.stringify(spec.requires ?? [])}`,
      '',
    ].join('\n'),
  );
  const file = `${base}.tar.gz`;
  execFileSync('tar', ['-czf', join(dir, file), '-C', work, base]);
  rmSync(work, { recursive: true, force: true });
  return file;
}

export interface PackageIndex {
  /** The simple index root, e.g. http://127.0.0.1:PORT/simple/ */
  url: string;
  /** The same index behind Basic auth, with the credentials in the URL. */
  privateUrl: string;
  /** The password of privateUrl (must never be printed). */
  password: string;
  /** Every request path, in order. */
  requests: string[];
  close(): Promise<void>;
}

export interface IndexOptions {
  /** User of the private part (default `ci`), as written in the URL. */
  user?: string;
  /** Password of the private part as written in the URL (percent-encoding allowed; the server compares it decoded). */
  password?: string;
}

/**
 * Serves every file in `dir` as a PEP 503 simple index: /simple/ lists projects, /simple/NAME/ links
 * each file with its #sha256= digest, /files/FILE serves the bytes (cacheable for good, as on PyPI). Under /private/ the same answers
 * need Basic auth (user `ci`, the returned password); links there stay relative, so files are private too.
 */
export async function startIndex(dir: string, options: IndexOptions = {}): Promise<PackageIndex> {
  const requests: string[] = [];
  const user = options.user ?? 'ci';
  const password = options.password ?? 'pw-5c1e7t0ken';
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(user)}:${decodeURIComponent(password)}`).toString('base64')}`;
  const projectOf = (file: string) => {
    const m = /^(.+?)-\d[^-]*(?:-.*\.whl|\.tar\.gz|\.zip)$/.exec(file);
    return m ? normalize(m[1]) : undefined;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let path = decodeURIComponent(url.pathname);
    requests.push(path);
    if (path.startsWith('/private/')) {
      if (req.headers.authorization !== auth) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="index"' });
        res.end('unauthorized');
        return;
      }
      path = path.slice('/private'.length);
    }
    const files = readdirSync(dir).sort();
    const html = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!DOCTYPE html><html><body>\n${body}</body></html>\n`);
    };
    if (path === '/simple/') {
      const projects = [...new Set(files.map(projectOf).filter((p) => p))];
      html(projects.map((p) => `<a href="${p}/">${p}</a>\n`).join(''));
      return;
    }
    const project = /^\/simple\/([^/]+)\/$/.exec(path)?.[1];
    if (project) {
      const mine = files.filter((f) => projectOf(f) === normalize(project));
      if (mine.length === 0) {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html><body>404 Not Found</body></html>');
        return;
      }
      html(
        mine
          .map((f) => {
            const digest = createHash('sha256')
              .update(readFileSync(join(dir, f)))
              .digest('hex');
            return `<a href="../../files/${f}#sha256=${digest}">${f}</a><br/>\n`;
          })
          .join(''),
      );
      return;
    }
    const file = /^\/files\/([^/]+)$/.exec(path)?.[1];
    if (file && files.includes(file)) {
      const size = statSync(join(dir, file)).size;
      // As PyPI's file host answers: a file name never changes its bytes, so caches keep it for good.
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': size,
        'cache-control': 'max-age=365000000, immutable, public',
      });
      createReadStream(join(dir, file)).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>404 Not Found</body></html>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    privateUrl: `http://${user}:${password}@127.0.0.1:${port}/private/simple/`,
    password,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
