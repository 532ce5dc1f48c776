// Real things for the fetch-embedded-python tests and benchmark: a python.org-shaped mirror on
// 127.0.0.1 (node:http serving a folder, counting requests), embeddable zips with python.org's layout,
// and MSI packages built with wixl (msitools) for msiextract to unpack.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { which } from '@forge-actions/system';
import { ZipArchive } from 'archiver';

export interface Mirror {
  /** Root URL, e.g. http://127.0.0.1:PORT/ftp/python (no trailing slash). */
  url: string;
  root: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

export interface MirrorOptions {
  /** Require Basic auth with these credentials (as the server sees them: decoded); 401 otherwise. */
  auth?: { user: string; password: string };
}

/**
 * Serves `root` read-only under /ftp/python on 127.0.0.1; a missing file is a 404. A folder (with or
 * without its trailing slash) is answered with an autoindex listing as python.org's nginx writes it.
 * With `auth`, every request without those Basic credentials is a 401 (and is recorded with a `401 `
 * prefix).
 */
export async function startMirror(root: string, options: MirrorOptions = {}): Promise<Mirror> {
  const requests: string[] = [];
  const expected = options.auth
    ? `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`
    : undefined;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (expected && req.headers.authorization !== expected) {
      requests.push(`401 ${path}`);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="mirror"', 'content-type': 'text/plain' });
      res.end('unauthorized');
      return;
    }
    requests.push(path);
    const prefix = '/ftp/python';
    const file = normalize(join(root, path.slice(prefix.length)));
    let info: Stats | undefined;
    try {
      if (
        (path === prefix || path.startsWith(`${prefix}/`)) &&
        (file === root || file.startsWith(root + sep))
      )
        info = statSync(file);
    } catch {
      info = undefined;
    }
    if (req.method !== 'GET' || !(info?.isFile() || info?.isDirectory())) {
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/html' });
      res.end('<html><body>404 Not Found</body></html>');
      return;
    }
    if (info.isDirectory()) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(autoindex(file, path.endsWith('/') ? path : `${path}/`));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': info.size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ftp/python`,
    root,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** nginx's autoindex page for a folder: `../`, then its entries by name (folders with a `/`), dot files hidden. */
function autoindex(dir: string, urlPath: string): string {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
    .sort();
  const title = `Index of ${escapeHtml(urlPath)}`;
  return [
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<h1>${title}</h1><hr><pre><a href="../">../</a>`,
    ...entries.map(
      (name) =>
        `<a href="${escapeHtml(encodeURI(name))}">${escapeHtml(name)}</a>${' '.repeat(Math.max(1, 51 - name.length))}02-Apr-2024 19:22       -`,
    ),
    '</pre><hr></body>\r\n</html>\r\n',
  ].join('\r\n');
}

/** The default `._pth` python.org ships (3.11 shown; CRLF in the real files). */
export function defaultPth(stem: string, eol = '\r\n'): string {
  return [`${stem}.zip`, '.', '', '# Uncomment to run site.main() automatically', '#import site', ''].join(
    eol,
  );
}

/** Files of python-3.11.9-embed-amd64.zip besides python311.*; named after the real listing. */
const EMBED_FILES = [
  'LICENSE.txt',
  '_asyncio.pyd',
  '_bz2.pyd',
  '_ctypes.pyd',
  '_decimal.pyd',
  '_elementtree.pyd',
  '_hashlib.pyd',
  '_lzma.pyd',
  '_msi.pyd',
  '_multiprocessing.pyd',
  '_overlapped.pyd',
  '_queue.pyd',
  '_socket.pyd',
  '_sqlite3.pyd',
  '_ssl.pyd',
  '_uuid.pyd',
  '_wmi.pyd',
  '_zoneinfo.pyd',
  'libcrypto-3.dll',
  'libffi-8.dll',
  'libssl-3.dll',
  'pyexpat.pyd',
  'python.cat',
  'python.exe',
  'python3.dll',
  'pythonw.exe',
  'select.pyd',
  'sqlite3.dll',
  'unicodedata.pyd',
  'vcruntime140.dll',
  'vcruntime140_1.dll',
  'winsound.pyd',
];

async function writeZip(
  path: string,
  entries: Array<{ name: string; data: Buffer | string }>,
): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const done = pipeline(zip, createWriteStream(path));
  const date = new Date('2024-04-02T12:00:00Z');
  for (const entry of entries) zip.append(Buffer.from(entry.data), { name: entry.name, date });
  await zip.finalize();
  await done;
}

export interface EmbedZipOptions {
  /** Line endings of the ._pth (python.org: CRLF). */
  eol?: string;
  /** Random (incompressible) bytes spread over the DLLs, to reach a given zip size. */
  payloadBytes?: number;
  /** Files whose content replaces (or adds to) the standard layout, e.g. a mirror's own python.exe. */
  files?: Record<string, string>;
}

/**
 * Writes `{mirrorRoot}/{X.Y.Z}/python-{version}-embed-{arch}.zip` with the embeddable layout: python.exe,
 * python3XY.dll, python3XY.zip (the stdlib, itself a zip), python3XY._pth with the default content, the
 * VC runtime and the extension modules.
 */
export async function publishEmbedZip(
  mirrorRoot: string,
  version: string,
  arch: string,
  options: EmbedZipOptions = {},
): Promise<string> {
  const [major, minor] = version.split('.');
  const release = /^\d+\.\d+\.\d+/.exec(version)?.[0] ?? version;
  const stem = `python${major}${minor}`;
  const work = join(mirrorRoot, '.work', `${version}-${arch}`);
  const stdlib = join(work, `${stem}.zip`);
  await writeZip(stdlib, [
    { name: 'os.pyc', data: 'os' },
    { name: 'site.pyc', data: 'site' },
    { name: 'encodings/__init__.pyc', data: 'encodings' },
  ]);
  const payload = options.payloadBytes ?? 0;
  const third = Math.floor(payload / 3);
  const entries: Array<{ name: string; data: Buffer | string }> = [
    ...EMBED_FILES.map((name) => ({ name, data: `${name} ${version} ${arch}` })),
    { name: `${stem}.dll`, data: Buffer.concat([Buffer.from('MZ'), randomBytes(third)]) },
    { name: `${stem}.zip`, data: readFileSync(stdlib) },
    { name: `${stem}._pth`, data: defaultPth(stem, options.eol ?? '\r\n') },
  ];
  if (third > 0) {
    entries.push(
      { name: 'libcrypto-3.dll', data: randomBytes(third) },
      { name: '_ssl.pyd', data: randomBytes(payload - 2 * third) },
    );
  }
  for (const [name, data] of Object.entries(options.files ?? {})) entries.push({ name, data });
  // Later entries of the same name replace earlier ones (payload DLLs).
  const unique = [...new Map(entries.map((e) => [e.name, e])).values()].sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  const zip = join(mirrorRoot, release, `python-${version}-embed-${arch}.zip`);
  await writeZip(zip, unique);
  return zip;
}

/** Writes raw bytes as a mirror file (hostile zips, or anything else). */
export function publishFile(mirrorRoot: string, relative: string, data: Buffer | string): string {
  const path = join(mirrorRoot, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

/**
 * Builds a real MSI with wixl holding `files` (paths with `/`) under their folders, e.g.
 * `DLLs/_tkinter.pyd`, `tcl/tcl8.6/init.tcl`: the layout python.org's tcltk.msi uses.
 */
export function buildMsi(out: string, name: string, files: Record<string, string>): void {
  const work = `${out}.src`;
  mkdirSync(work, { recursive: true });
  interface Dir {
    dirs: Map<string, Dir>;
    files: string[];
  }
  const tree: Dir = { dirs: new Map(), files: [] };
  for (const [path, content] of Object.entries(files)) {
    const source = join(work, ...path.split('/'));
    mkdirSync(dirname(source), { recursive: true });
    writeFileSync(source, content);
    const parts = path.split('/');
    let dir = tree;
    for (const part of parts.slice(0, -1)) {
      if (!dir.dirs.has(part)) dir.dirs.set(part, { dirs: new Map(), files: [] });
      dir = dir.dirs.get(part) as Dir;
    }
    dir.files.push(path);
  }
  let id = 0;
  const components: string[] = [];
  const render = (dir: Dir, indent: string): string =>
    [
      ...dir.files.map((path) => {
        id++;
        components.push(`c${id}`);
        const fileName = path.split('/').pop() as string;
        return `${indent}<Component Id="c${id}" Guid="*"><File Id="f${id}" Name="${fileName}" Source="${path}" KeyPath="yes"/></Component>`;
      }),
      ...[...dir.dirs.entries()].map(([dirName, child]) => {
        id++;
        const own = id;
        return `${indent}<Directory Id="d${own}" Name="${dirName}">\n${render(child, `${indent}  `)}\n${indent}</Directory>`;
      }),
    ].join('\n');
  const body = render(tree, '        ');
  const wxs = `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="${name}" Language="1033" Version="3.11.9150.0" Manufacturer="Python Software Foundation" UpgradeCode="1A2B3C4D-0000-4000-8000-000000000001">
    <Package InstallerVersion="500" Compressed="yes" />
    <Media Id="1" Cabinet="${name}.cab" EmbedCab="yes" />
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="InstallDirectory" Name=".">
${body}
      </Directory>
    </Directory>
    <Feature Id="DefaultFeature" Level="1">${components.map((c) => `<ComponentRef Id="${c}"/>`).join('')}</Feature>
  </Product>
</Wix>
`;
  // wixl takes Source paths relative to its working directory only.
  writeFileSync(join(work, 'package.wxs'), wxs);
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('wixl', ['-o', out, 'package.wxs'], { cwd: work, stdio: 'pipe' });
}

/** The tkinter pieces as python.org's tcltk.msi lays them out (DLLs/, tcl/) plus a little more. */
export const TCLTK_FILES: Record<string, string> = {
  'DLLs/_tkinter.pyd': 'MZ _tkinter',
  'DLLs/tcl86t.dll': 'MZ tcl86t',
  'DLLs/tk86t.dll': 'MZ tk86t',
  'tcl/tcl8.6/init.tcl': '# init.tcl',
  'tcl/tcl8.6/encoding/cp1252.enc': 'cp1252',
  'tcl/tk8.6/tk.tcl': '# tk.tcl',
  'tcl/tk8.6/ttk/ttk.tcl': '# ttk',
  'tcl/tcl8/8.5/msgcat-1.6.1.tm': '# msgcat',
  'Lib/idlelib/__init__.py': '',
};

/** lib.msi: the standard library, tkinter included (seed 4.4 takes tkinter/ from it). */
export const LIB_FILES: Record<string, string> = {
  'Lib/os.py': '# os',
  'Lib/json/__init__.py': '# json',
  'Lib/tkinter/__init__.py': '# tkinter',
  'Lib/tkinter/ttk.py': '# ttk',
  'Lib/test/tkinter/__init__.py': '# a decoy deeper down',
};

/** Tools the suites need; missing ones make the suite fail under CI=true and skip (with a note) elsewhere. */
export function missingTools(tools: string[]): string[] {
  return tools.filter((tool) => !which(tool, process.env.PATH));
}
