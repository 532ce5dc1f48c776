// build-nsis building a Windows installer on Linux, next to makensis run by hand with the same arguments:
//  - template: builtin on a ~100 MB windows-portable payload (python/ with python.exe, DLLs, a zipped
//    standard library and a few thousand site-packages files, app/<pkg>/, scripts/); the anchor is
//    makensis on the very script build-nsis wrote (build/<app-name>.nsi), with the arguments
//    build-nsis passes (packages/installer/src/makensis.ts: -V3, -XSetDateSave off, -DVERSION=...);
//  - template: script on a 120 MB payload with a simple hand-written .nsi (each folder cleared with
//    RMDir /r before its File /r, makensis' default compressor), next to makensis on that script.
// The payloads are generated once per run of the benchmark from fixed seeds (the same bytes on every
// machine) into a temporary workspace. The action is bundled privately with ncc from its sources
// (actions/build-nsis/dist is not read or written) and run as a runner does. Runs are taken in pairs,
// the action then makensis (the action's first run writes the script the anchor compiles), so drift in
// the machine's load hits both sides of a pair alike; the ratio is the median of the pairs' ratios. Where
// the action's extra time goes comes from its log, timed line by line as it arrives: each `::group::`
// phase, the gaps between them (e.g. the -SAFEPPO preprocessing after the script is written; sha256 and
// the summary after makensis) and, before the first group, the start-up and input checks, split where
// @actions/glob starts on the vbs patterns. Two of them are also timed alone: the bundle's start-up (to an
// input error) and `makensis -SAFEPPO`. The builtin case's lzma takes a minute or more per run on 2 CPUs,
// so it runs at most 3 pairs; the zlib one at most 5.
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '@forge-actions/testing/run-action';
import {
  type Benchmark,
  type BenchRow,
  loggedRun,
  median,
  seconds,
  seededRandom,
  timeSpawn,
} from './_support.js';

const MB = 1_000_000;
const RATIO_GOAL = 1.05;
const APP = 'BenchApp';
const VERSION = '1.2.3';
/** Where both sides write the installer, relative to the workspace. */
const INSTALLER = `build/${APP}-${VERSION}-setup.exe`;

const KEYWORDS = (
  'def class return import from self None True False if elif else for while in not and or with as try ' +
  'except raise yield lambda pass async await = == ( ) : , . [ ] + - * 0 1 2'
).split(' ');
const SITE_PACKAGES = (
  'requests urllib3 idna certifi charset_normalizer pydantic pydantic_core fastapi starlette uvicorn anyio ' +
  'sniffio h11 click jinja2 markupsafe yaml PIL numpy websockets watchfiles httptools dotenv ' +
  'typing_extensions annotated_types six dateutil pytz tzdata packaging'
).split(' ');
const EXTENSIONS = (
  '_asyncio _bz2 _ctypes _decimal _elementtree _hashlib _lzma _multiprocessing _overlapped _queue _socket ' +
  '_sqlite3 _ssl _uuid _zoneinfo pyexpat select unicodedata winsound _wmi'
).split(' ');
const SITE_FILES = 3_000;
const APP_MODULES = 150;
/** The larger incompressible binaries (model weights, a BLAS library) fill the payload up in such pieces. */
const LARGE_PIECE = 16 * MB;
/** Runs of each phase measured alone (a fraction of a second each). */
const PROBES = 3;

interface Payload {
  bytes: number;
  files: number;
}

/**
 * Writes a windows-portable distribution of `totalBytes` under `dist`: python/ (python.exe, DLLs and
 * .pyd files of native-code-like bytes, half of them compressible; python312.zip of random bytes, as a
 * zip is), python/Lib/site-packages with SITE_FILES files (four in five Python source, one in five a .pyd),
 * app/benchapp/ (sources, static files, model weights), scripts/ (the launcher, ASCII with CRLF); the
 * rest random bytes in pieces of at most LARGE_PIECE. The same seed writes the same bytes.
 */
function writePayload(dist: string, seed: number, totalBytes: number): Payload {
  const next = seededRandom(seed);
  const key = createHash('sha256').update(`build-nsis bench ${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  /** Pseudo-random bytes: AES-CTR of zeros under a key from the seed. */
  const noise = (size: number) => cipher.update(Buffer.alloc(size));
  const codeBlocks = Array.from({ length: 64 }, () => noise(256));
  /** Native code: random 256-byte blocks among recurring ones (compresses to about half). */
  const native = (size: number) => {
    const out = Buffer.alloc(size);
    for (let at = 0; at < size; at += 256) {
      (next() < 0.5 ? noise(256) : codeBlocks[Math.floor(next() * codeBlocks.length)]).copy(out, at);
    }
    return out;
  };
  const syllables = 'ba co de fi go hu ja ke li mo nu pa qui ro su ta ve wi xo yu ze'.split(' ');
  const identifiers = Array.from({ length: 1_500 }, () =>
    Array.from(
      { length: 2 + Math.floor(next() * 4) },
      () => syllables[Math.floor(next() * syllables.length)],
    ).join(next() < 0.5 ? '_' : ''),
  );
  /** Python-like source: keywords and the payload's identifiers, indented, now and then a number. */
  const source = (size: number) => {
    const lines: string[] = [];
    let length = 0;
    while (length < size) {
      const tokens = Array.from({ length: 3 + Math.floor(next() * 10) }, () => {
        const roll = next();
        if (roll < 0.45) return KEYWORDS[Math.floor(next() * KEYWORDS.length)];
        if (roll < 0.95) return identifiers[Math.floor(next() * identifiers.length)];
        return String(Math.floor(next() * 100_000));
      });
      const line = `${'    '.repeat(Math.floor(next() * 4))}${tokens.join(' ')}\n`;
      lines.push(line);
      length += line.length;
    }
    return Buffer.from(lines.join('')).subarray(0, size);
  };
  /** Exponentially distributed sizes around `mean`, at least 64 bytes and at most `cap`. */
  const sized = (mean: number, cap: number) =>
    Math.max(64, Math.min(Math.floor(-Math.log(1 - next()) * mean), cap));

  const payload: Payload = { bytes: 0, files: 0 };
  const write = (path: string, content: Buffer) => {
    const file = join(dist, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    payload.bytes += content.length;
    payload.files += 1;
  };

  write('python/python.exe', native(103_000));
  write('python/pythonw.exe', native(101_000));
  write('python/python312.dll', native(4_500_000));
  write('python/vcruntime140.dll', native(120_000));
  write('python/libcrypto-3.dll', native(3_500_000));
  write('python/libssl-3.dll', native(700_000));
  write('python/sqlite3.dll', native(1_500_000));
  write('python/python312.zip', noise(11_000_000));
  write('python/python312._pth', Buffer.from('python312.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n'));
  for (const name of EXTENSIONS) write(`python/${name}.pyd`, native(sized(150_000, 1_500_000)));
  for (let i = 0; i < SITE_FILES; i++) {
    const folder = `python/Lib/site-packages/${SITE_PACKAGES[i % SITE_PACKAGES.length]}`;
    const inner = i % 4 === 0 ? folder : `${folder}/sub${(i >> 2) % 6}`;
    if (i % 5 === 4) write(`${inner}/_ext${i}.cp312-win_amd64.pyd`, native(sized(30_000, 400_000)));
    else write(`${inner}/mod${i}.py`, source(sized(5_000, 80_000)));
  }
  write('app/benchapp/__init__.py', Buffer.from('"""The benchmark app."""\n'));
  write('app/benchapp/main.py', source(3_000));
  for (let i = 0; i < APP_MODULES; i++) {
    write(`app/benchapp/part${i % 8}/module${i}.py`, source(sized(4_000, 40_000)));
  }
  for (let i = 0; i < 20; i++) write(`app/benchapp/static/bundle${i}.js`, source(sized(20_000, 200_000)));
  const launcher = [
    'Set fso = CreateObject("Scripting.FileSystemObject")',
    'Set WshShell = CreateObject("WScript.Shell")',
    'appRoot = fso.GetParentFolderName(fso.GetParentFolderName(WScript.ScriptFullName))',
    'WshShell.CurrentDirectory = appRoot',
    'WshShell.Run """" & appRoot & "\\python\\python.exe"" -m benchapp.main", 0, False',
    '',
  ];
  write('scripts/start-hidden.vbs', Buffer.from(launcher.join('\r\n'), 'latin1'));
  write('scripts/run.bat', Buffer.from('@echo off\r\n"%~dp0..\\python\\python.exe" -m benchapp.main %*\r\n'));

  let rest = totalBytes - payload.bytes;
  if (rest < 0) throw new Error(`the payload's fixed part is larger than ${totalBytes / MB} MB`);
  for (let piece = 0; rest > 0; piece++) {
    const size = Math.min(rest, LARGE_PIECE);
    write(
      piece % 2
        ? `python/Lib/site-packages/numpy.libs/libopenblas-${piece}.dll`
        : `app/benchapp/models/weights-${piece}.bin`,
      noise(size),
    );
    rest -= size;
  }
  return payload;
}

/** The hand-written script of the template: script case: each folder cleared, then extracted. */
const HAND_WRITTEN = `; A hand-written installer: each payload folder is cleared before File /r extracts into it.
Unicode true
Target amd64-unicode
Name "${APP} \${VERSION}"
OutFile "build\\${APP}-\${VERSION}-setup.exe"
InstallDir "$LOCALAPPDATA\\${APP}"
RequestExecutionLevel user
Page directory
Page instfiles

Section "Install"
  RMDir /r "$INSTDIR\\python"
  SetOutPath "$INSTDIR\\python"
  File /r "dist\\python\\*.*"
  RMDir /r "$INSTDIR\\app"
  SetOutPath "$INSTDIR\\app"
  File /r "dist\\app\\*.*"
  RMDir /r "$INSTDIR\\scripts"
  SetOutPath "$INSTDIR\\scripts"
  File /r "dist\\scripts\\*.*"
  WriteUninstaller "$INSTDIR\\uninstall.exe"
SectionEnd

Section "Uninstall"
  RMDir /r "$INSTDIR\\python"
  RMDir /r "$INSTDIR\\app"
  RMDir /r "$INSTDIR\\scripts"
  Delete "$INSTDIR\\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
`;

interface Case {
  label: string;
  seed: number;
  totalBytes: number;
  /** At most this many pairs: each builtin run lzma-compresses the payload (a minute or more here). */
  maxPairs: number;
  inputs: Record<string, string>;
  /** The script makensis compiles, relative to the workspace. */
  script: string;
  /** Writes what the workspace needs besides the payload. */
  prepare?: (workspace: string) => void;
}

const CASES: Case[] = [
  {
    label: `template: builtin (SetCompressor /SOLID lzma), vs makensis on the build/${APP}.nsi it wrote`,
    seed: 1,
    totalBytes: 100 * MB,
    maxPairs: 3,
    inputs: {
      template: 'builtin',
      'app-name': APP,
      'dist-dir': 'dist',
      'app-module': 'benchapp.main',
      version: VERSION,
    },
    script: `build/${APP}.nsi`,
  },
  {
    label: 'template: script, hand-written .nsi (RMDir /r, File /r, default zlib), vs makensis on it',
    seed: 2,
    totalBytes: 120 * MB,
    maxPairs: 5,
    inputs: { script: 'installer.nsi', version: VERSION },
    script: 'installer.nsi',
    prepare: (workspace) => writeFileSync(join(workspace, 'installer.nsi'), HAND_WRITTEN),
  },
];

/** makensis by hand gets the environment runAction gives the action (and so its makensis): no locale. */
const ANCHOR_ENV = { PATH: process.env.PATH, HOME: process.env.HOME };

/** The arguments build-nsis gives makensis (makensisArgs in packages/installer/src/makensis.ts). */
const makensisArgs = (script: string) => ['-V3', '-XSetDateSave off', `-DVERSION=${VERSION}`, script];

/** Bundles the action from its sources into `into`/build-nsis (dist/ and action.yml), as scripts/build.ts does. */
function bundleAction(into: string): string {
  const dir = join(into, 'build-nsis');
  const ncc = join(REPO_ROOT, 'node_modules', '.bin', 'ncc');
  const main = join(REPO_ROOT, 'actions', 'build-nsis', 'src', 'main.ts');
  try {
    execFileSync(ncc, ['build', main, '-o', join(dir, 'dist'), '-t', '--target', 'es2022', '-q'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(`ncc could not bundle actions/build-nsis/src/main.ts: ${stderr.split('\n')[0] ?? error}`);
  }
  copyFileSync(join(REPO_ROOT, 'actions', 'build-nsis', 'action.yml'), join(dir, 'action.yml'));
  return dir;
}

interface ActionRun {
  ms: number;
  /**
   * Milliseconds per phase of the log, in order: the groups, the gaps around them, and before the first
   * group the start-up and input checks, split where the vbs glob starts.
   */
  phases: Map<string, number>;
  stdout: string;
  sha256: string;
}

/** A group's name without what changes between runs or cases: `VBS launchers (2)` gives `VBS launchers`. */
const phaseName = (group: string) => group.replace(/\s*\(.*\)$/, '');

/**
 * Splits a run's wall time by its log: each `::group::` to its `::endgroup::`, the time before the first
 * group (start-up, reading and checking the inputs), and each gap after a group (`after <group>`).
 */
function phasesOf(lines: Array<[number, string]>, started: number, ended: number): Map<string, number> {
  const phases = new Map<string, number>();
  const add = (name: string, ms: number) => phases.set(name, (phases.get(name) ?? 0) + ms);
  let mark = started;
  let current = 'start-up, inputs';
  for (const [at, line] of lines) {
    const open = /^::group::(.*)$/.exec(line.trim());
    if (current === 'start-up, inputs' && line.startsWith('::debug::Search path')) {
      // @actions/glob starting on the vbs patterns: the rest of the input checks is that glob over
      // working-directory, the VBS checks and the lint.
      add(current, at - mark);
      [mark, current] = [at, 'vbs glob, lint'];
    } else if (open) {
      add(current, at - mark);
      [mark, current] = [at, phaseName(open[1])];
    } else if (line.trim() === '::endgroup::') {
      add(current, at - mark);
      [mark, current] = [at, `after ${current}`];
    }
  }
  add(current, ended - mark);
  return phases;
}

/** Runs the bundle as a runner does, timing it from spawn to exit and each line of its log as it comes. */
async function spawnBundle(actionDir: string, workspace: string, inputs: Record<string, string>) {
  return loggedRun('build-nsis', { actionDir, cwd: workspace, inputs });
}

async function runBundle(actionDir: string, workspace: string, inputs: Record<string, string>) {
  const { ms, lines, started, ended, result } = await spawnBundle(actionDir, workspace, inputs);
  if (result.code !== 0) throw new Error(`build-nsis failed: ${result.errors.join(' ') || result.stderr}`);
  const run: ActionRun = {
    ms,
    phases: phasesOf(lines, started, ended),
    stdout: result.stdout,
    sha256: result.outputs.sha256 ?? '',
  };
  return { run, warnings: result.warnings };
}

/** The bundle's start-up alone: node, the bundle and action.yml read, up to the first input's error. */
async function startUp(actionDir: string, workspace: string): Promise<number> {
  const { ms, result } = await spawnBundle(actionDir, workspace, { template: 'none' });
  if (result.code === 0) throw new Error('build-nsis accepted template: none');
  return ms;
}

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const secs = (ms: number) => (ms / 1000).toFixed(2);

async function runCase(
  spec: Case,
  context: { root: string; actionDir: string; runs: number; log: (line: string) => void },
): Promise<BenchRow> {
  const { root, actionDir, log } = context;
  const pairs = Math.min(context.runs, spec.maxPairs);
  const workspace = join(root, `workspace-${spec.seed}`);
  mkdirSync(join(workspace, 'build'), { recursive: true });
  const writing = performance.now();
  const payload = writePayload(join(workspace, 'dist'), spec.seed, spec.totalBytes);
  spec.prepare?.(workspace);
  const size = `${(payload.bytes / MB).toFixed(1)} MB, ${payload.files.toLocaleString('en')} files`;
  log(`${spec.label}: payload ${size}, written in ${secs(performance.now() - writing)} s`);
  const script = join(workspace, spec.script);
  const installer = join(workspace, INSTALLER);
  try {
    const actionTimes: number[] = [];
    const anchorTimes: number[] = [];
    const ratios: number[] = [];
    const phaseRuns: Array<Map<string, number>> = [];
    /** Each run's wall time outside its makensis group: what build-nsis adds to makensis. */
    const outside: number[] = [];
    const step = `makensis ${spec.script}`;
    for (let i = 0; i < pairs; i++) {
      rmSync(installer, { force: true });
      const { run, warnings } = await runBundle(actionDir, workspace, spec.inputs);
      if (i === 0) {
        for (const warning of warnings) log(`  the action warned: ${warning}`);
        const command = `makensis ${makensisArgs(script).join(' ')}`;
        if (!run.stdout.includes(command)) {
          const ran = run.stdout.split('\n').find((line) => line.startsWith('makensis -'));
          log(`  note: build-nsis ran \`${ran ?? '(no makensis line)'}\`, the anchor runs \`${command}\``);
        }
      }
      rmSync(installer, { force: true });
      const anchor = await timeSpawn('makensis', makensisArgs(script), { cwd: workspace, env: ANCHOR_ENV });
      if (i === 0) {
        const same = sha256Of(installer) === run.sha256;
        log(`  installers of the action and of makensis by hand: ${same ? 'identical' : 'DIFFERENT'}`);
      }
      actionTimes.push(run.ms);
      anchorTimes.push(anchor);
      ratios.push(run.ms / anchor);
      phaseRuns.push(run.phases);
      outside.push(run.ms - (run.phases.get(step) ?? 0));
      const phases = [...run.phases].map(([name, ms]) => `${name} ${secs(ms)}`).join(', ');
      log(`  pair ${i + 1}: build-nsis ${seconds(run.ms)} s (${phases}), makensis ${seconds(anchor)} s`);
    }
    // What two of the phases hold, measured alone: the bundle's start-up (before the inputs are read and
    // checked: the payload listed, the `**/*.vbs` glob, the lint) and the preprocessing build-nsis runs to
    // learn the installer's place before building (plannedInstaller: makensis -SAFEPPO).
    const startUps: number[] = [];
    const preprocess: number[] = [];
    for (let i = 0; i < PROBES; i++) {
      startUps.push(await startUp(actionDir, workspace));
      preprocess.push(
        await timeSpawn('makensis', ['-SAFEPPO', `-DVERSION=${VERSION}`, script], {
          cwd: workspace,
          env: ANCHOR_ENV,
        }),
      );
    }
    log(
      `  alone: bundle start-up to an input error ${seconds(median(startUps))} s, ` +
        `makensis -SAFEPPO ${seconds(median(preprocess))} s (medians of ${PROBES})`,
    );
    const names = [...new Set(phaseRuns.flatMap((phases) => [...phases.keys()]))];
    const phaseMedians = names.map((name) => [name, median(phaseRuns.map((p) => p.get(name) ?? 0))] as const);
    const anchorMedian = median(anchorTimes);
    const actionMedian = median(actionTimes);
    const ratio = median(ratios);
    const compile = phaseMedians.find(([name]) => name === step)?.[1] ?? 0;
    const share = ((median(outside) / anchorMedian) * 100).toFixed(1);
    const where = [
      `outside makensis ${secs(median(outside))} s (${share} % of makensis by hand)`,
      ...phaseMedians
        .filter(([name, ms]) => name !== step && ms >= 5)
        .map(([name, ms]) => `${name} ${secs(ms)} s`),
      `makensis step ${secs(compile)} s vs ${secs(anchorMedian)} s by hand`,
      `alone: bundle start-up ${secs(median(startUps))} s, makensis -SAFEPPO ${secs(median(preprocess))} s`,
    ].join('; ');
    const spread = `${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`;
    log(`  ratio ${ratio.toFixed(3)} (median of ${pairs} pairs, ${spread}); where: ${where}`);
    return {
      case: `${spec.label}, ${pairs} pairs`,
      payload: size,
      'anchor median s': seconds(anchorMedian),
      'action median s': seconds(actionMedian),
      ratio: ratio.toFixed(2),
      goal: `≤ ${RATIO_GOAL.toFixed(2)}×: ${ratio <= RATIO_GOAL ? 'met' : 'MISSED'}`,
      'where the extra time goes (medians)': where,
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  id: 'build-nsis',
  title: 'build-nsis: installers of 100 MB and 120 MB windows-portable payloads, next to makensis by hand',
  goal: `at most ${RATIO_GOAL.toFixed(2)}× makensis run by hand on the same script with the same arguments (spawn to exit, median of paired ratios)`,
  async run({ runs, log }) {
    const version = execFileSync('makensis', ['-VERSION'], { encoding: 'utf8' }).trim();
    // makensis compresses on one core: other work on the machine shows in both sides' times.
    log(`load average over the last minute ${loadavg()[0].toFixed(2)}`);
    const root = mkdtempSync(join(tmpdir(), 'bench-build-nsis-'));
    try {
      log(`makensis ${version}; bundling actions/build-nsis/src/main.ts with ncc into ${root}`);
      const actionDir = bundleAction(root);
      const rows: BenchRow[] = [];
      for (const spec of CASES) rows.push(await runCase(spec, { root, actionDir, runs, log }));
      return rows;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
