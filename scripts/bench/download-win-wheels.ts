// download-win-wheels (the bundle in actions/download-win-wheels/dist, copied when the benchmark starts)
// against a PEP 503 index on 127.0.0.1 (packages/testing's startIndex) serving a FastAPI + numpy app's
// requirements for Windows, generated here from fixed seeds: 6 requirements and a constraint that
// resolve to 19 wheels for cp311-win_amd64 (4 of them win_amd64 builds with incompressible .pyd bytes,
// about 16 MB in all), among other versions and other platforms' builds that the index lists too (kept
// small: the index hashes every file of a project for each page it serves). Two cases, each run in pairs,
// the anchor then the action, so that drift in the machine's load hits both sides of a pair alike; the
// ratio is the median of the pairs' ratios:
//  - uv engine, warm: the action resolving, fetching and installing into site-packages (cleanup: none)
//    with the tool cache holding uv and the wheels and uv's cache filled, next to
//    `uv pip install --target … --python-platform windows` (the same uv, from that tool cache) with its
//    own filled uv cache. Both are warmed by one run that is not counted.
//  - pip engine, cold: the action downloading (no site-packages) with an empty tool cache and pip cache,
//    next to `pip download --platform win_amd64 --only-binary :all:` resolving the dependencies, with an
//    empty pip cache too, the same interpreter's pip. Both sides get PIP_TRUSTED_HOST for the index: pip
//    caches nothing from a plain-http origin it does not trust (its uncached InsecureHTTPAdapter), and
//    an https index, the real case, is cached, so a cold run writes pip's cache as it would there. After
//    the pairs, the action runs warm twice more, with pip's cache filled: with PIP_TRUSTED_HOST and
//    without it, to show which wheels pip fetches again.
// Every run counts the wheel requests the index served and their bytes (the index serves whole files).
// Where the action's time goes comes from its log, timed line by line as it arrives: start-up (spawn
// to the first group), each `::group::` phase, and inside "Resolve and download" the engine's command
// (its `[command]` line to `uv chose` or to the group's end) apart from the action's own fetching. The
// bundle's start-up (to an input error), the Python probe the action makes (`python3 -c …`, a pyenv
// shim on this machine) and, for uv, `uv pip compile` with the action's arguments are also timed alone.
// uv is the release the action installs with pip from PyPI into the benchmark's tool cache on its first
// run (action.yml's uv-version); pip is the machine's python3's. The workspace, caches and index live in
// one temporary folder, removed at the end.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type PackageIndex, startIndex, writeWheel } from '@forge-actions/testing/package-index';
import type { RunResult } from '@forge-actions/testing/run-action';
import { installWheels } from '../../packages/wheels/src/install.js';
import {
  type Benchmark,
  type BenchRow,
  loggedRun,
  median,
  pythonLikeText,
  seconds,
  seededBytes,
  seededRandom,
  snapshotAction,
  timeSpawn,
} from './_support.js';

const ACTION = 'download-win-wheels';
const RATIO_GOAL = 1.3;
/** A pair takes one to a few seconds: a handful gives a stable median. */
const MAX_PAIRS = 9;
/** Runs of each piece timed alone. */
const PROBES = 3;
const PYTHON = '3.11';
const WIN = 'cp311-cp311-win_amd64';
const REQUIREMENTS = ['fastapi>=0.110', 'uvicorn>=0.30', 'numpy', 'pillow>=10', 'requests>=2.31', 'click>=8'];
const CONSTRAINTS = ['numpy<2'];
const MB = 1e6;

interface Project {
  name: string;
  version: string;
  /** Tag of the wheel the resolution takes (default py3-none-any). */
  tag?: string;
  requires?: string[];
  /** Python modules in the wheel (generated source). */
  modules: number;
  /** Bytes of compiled extensions (.pyd, random bytes) in the wheel. */
  native?: number;
  /** Older versions the index lists too (small wheels, the same requirements). */
  older?: string[];
}

/** An app's requirements as they resolve for Windows, a few versions old; sizes roughly the real ones. */
const PROJECTS: Project[] = [
  {
    name: 'fastapi',
    version: '0.115.0',
    requires: ['starlette<0.39.0,>=0.37.2', 'pydantic!=1.8,<3.0.0,>=1.7.4', 'typing-extensions>=4.8.0'],
    modules: 40,
    older: ['0.114.2', '0.110.0'],
  },
  {
    name: 'starlette',
    version: '0.38.6',
    requires: ['anyio<5,>=3.4.0', 'typing-extensions>=3.10.0; python_version < "3.10"'],
    modules: 30,
    older: ['0.37.2'],
  },
  {
    name: 'anyio',
    version: '4.6.0',
    requires: [
      'idna>=2.8',
      'sniffio>=1.1',
      'exceptiongroup>=1.0.2; python_version < "3.11"',
      'typing-extensions>=4.1; python_version < "3.11"',
    ],
    modules: 30,
    older: ['4.4.0'],
  },
  { name: 'idna', version: '3.10', modules: 8 },
  { name: 'sniffio', version: '1.3.1', modules: 3 },
  {
    name: 'pydantic',
    version: '2.9.2',
    requires: ['annotated-types>=0.6.0', 'pydantic-core==2.23.4', 'typing-extensions>=4.6.1'],
    modules: 90,
  },
  {
    name: 'pydantic-core',
    version: '2.23.4',
    tag: WIN,
    requires: ['typing-extensions!=4.7.0,>=4.6.0'],
    modules: 3,
    native: 1_900_000,
  },
  { name: 'annotated-types', version: '0.7.0', modules: 3 },
  { name: 'typing-extensions', version: '4.12.2', modules: 1, older: ['4.11.0'] },
  {
    name: 'uvicorn',
    version: '0.30.6',
    requires: ['click>=7.0', 'h11>=0.8', 'typing-extensions>=4.0; python_version < "3.11"'],
    modules: 35,
  },
  { name: 'h11', version: '0.14.0', modules: 12 },
  {
    name: 'click',
    version: '8.1.7',
    requires: ['colorama; platform_system == "Windows"'],
    modules: 16,
    older: ['8.1.6'],
  },
  { name: 'colorama', version: '0.4.6', modules: 8 },
  { name: 'numpy', version: '1.26.4', tag: WIN, modules: 220, native: 9_000_000, older: ['1.26.3'] },
  { name: 'pillow', version: '10.4.0', tag: WIN, modules: 90, native: 3_300_000 },
  {
    name: 'requests',
    version: '2.32.3',
    requires: ['charset-normalizer<4,>=2', 'idna<4,>=2.5', 'urllib3<3,>=1.21.1', 'certifi>=2017.4.17'],
    modules: 18,
  },
  { name: 'charset-normalizer', version: '3.3.2', tag: WIN, modules: 10, native: 110_000 },
  { name: 'urllib3', version: '2.2.3', modules: 36 },
  { name: 'certifi', version: '2024.8.30', modules: 3 },
];

/** Builds of the native projects for other targets, listed beside the Windows one (small). */
const OTHER_TAGS = ['cp312-cp312-win_amd64', 'cp311-cp311-win32', 'cp311-cp311-manylinux_2_17_x86_64'];
/** numpy 2 is on the index too; the constraint keeps it out. */
const EXCLUDED = { name: 'numpy', version: '2.1.1', tag: WIN };

/** Writes the index's files into `dir`; returns the wheel files the resolution takes, file → bytes. */
function writeIndex(dir: string): Map<string, number> {
  const next = seededRandom(2025);
  const source = (size: number) => pythonLikeText(next, size);
  const bytes = (size: number) => seededBytes(next, size);
  const chosen = new Map<string, number>();
  for (const project of PROJECTS) {
    const pkg = project.name.replace(/-/g, '_');
    const files: Record<string, string | Buffer> = {
      [`${pkg}/__init__.py`]: `__version__ = '${project.version}'\n`,
    };
    for (let i = 0; i < project.modules; i++) {
      const size = Math.min(Math.floor(-Math.log(1 - next()) * 6_000) + 200, 60_000);
      files[`${pkg}/${i % 4 ? `part${i % 5}/` : ''}module${i}.py`] = source(size);
    }
    const pieces = project.native ? Math.max(1, Math.round(project.native / 1_500_000)) : 0;
    for (let i = 0; i < pieces; i++) {
      files[`${pkg}/_ext${i}.cp311-win_amd64.pyd`] = bytes(Math.floor((project.native ?? 0) / pieces));
    }
    const file = writeWheel(dir, {
      name: project.name,
      version: project.version,
      tag: project.tag,
      requires: project.requires,
      files,
    });
    chosen.set(file, statSync(join(dir, file)).size);
    const small = (version: string, tag?: string) =>
      writeWheel(dir, {
        name: project.name,
        version,
        tag,
        requires: project.requires,
        files: { [`${pkg}/__init__.py`]: `__version__ = '${version}'\n`, [`${pkg}/core.py`]: source(30_000) },
      });
    for (const version of project.older ?? []) small(version, project.tag);
    if (project.tag) for (const tag of OTHER_TAGS) small(project.version, tag);
  }
  writeWheel(dir, {
    ...EXCLUDED,
    files: { 'numpy/__init__.py': `__version__ = '${EXCLUDED.version}'\n`, 'numpy/core.py': source(30_000) },
  });
  return chosen;
}

/** Wheel requests among the index's requests, and the bytes of the files they were served. */
function wheelFetches(requests: string[], sizes: Map<string, number>) {
  const wheels = requests.filter((path) => /\/files\/[^/]+\.whl$/.test(path));
  const bytes = wheels.reduce(
    (sum, path) => sum + (sizes.get(path.slice(path.lastIndexOf('/') + 1)) ?? 0),
    0,
  );
  return { wheels: wheels.length, bytes, pages: requests.filter((path) => path.includes('/simple/')).length };
}

const fetched = (f: { wheels: number; bytes: number }) =>
  f.wheels === 0 ? '0 wheels' : `${f.wheels} wheels, ${(f.bytes / MB).toFixed(1)} MB`;
const secs = (ms: number) => (ms / 1000).toFixed(2);

/** A group's name without what changes between runs: paths, the engine's label. */
function phaseName(group: string): string {
  if (group.startsWith('Resolve and download')) return 'resolve and download';
  if (group.startsWith('Wheels into')) return 'wheels into wheel-dir (move, sha256)';
  if (group.startsWith('Install into')) return 'install into site-packages';
  if (group.startsWith('Clean up')) return 'clean up (sizes only with cleanup: none)';
  if (group === 'Prepare') return 'prepare (find python3, check the engine)';
  return group.toLowerCase();
}

/**
 * Splits a run's wall time by its log: start-up (spawn to the first group), each group, the gaps after
 * them (outputs, summary, exit), and inside "Resolve and download" the engine's command (from its
 * `[command]` line to `uv chose`, or to the group's end for pip) apart from what the action does itself.
 */
function phasesOf(lines: Array<[number, string]>, started: number, ended: number): Map<string, number> {
  const phases = new Map<string, number>();
  const add = (name: string, ms: number) => phases.set(name, (phases.get(name) ?? 0) + ms);
  let mark = started;
  let current = 'start-up';
  let inResolve = false;
  for (const [at, raw] of lines) {
    const line = raw.trim();
    const open = /^::group::(.*)$/.exec(line);
    if (open) {
      add(current, at - mark);
      current = phaseName(open[1]);
      inResolve = current === 'resolve and download';
      if (inResolve) current = 'resolve: the action before the engine';
      mark = at;
    } else if (line === '::endgroup::') {
      add(current, at - mark);
      [mark, current, inResolve] = [at, 'between and after the groups (outputs, summary, exit)', false];
    } else if (inResolve && line.startsWith('[command] ') && current.startsWith('resolve: the action')) {
      add(current, at - mark);
      [mark, current] = [at, 'engine command'];
    } else if (inResolve && current === 'engine command' && line.startsWith('uv chose ')) {
      add(current, at - mark);
      [mark, current] = [at, 'fetch (tool cache or index), sha256'];
    }
  }
  add(current, ended - mark);
  return phases;
}

interface ActionRun {
  ms: number;
  phases: Map<string, number>;
  result: RunResult;
}

/** Runs the bundle as a runner does, timed from spawn to exit and each log line as it arrives. */
async function runBundle(actionDir: string, inputs: Record<string, string>, env: Record<string, string>) {
  const { ms, started, ended, lines, result } = await loggedRun(ACTION, { actionDir, inputs, env });
  const run: ActionRun = { ms, phases: phasesOf(lines, started, ended), result };
  return run;
}

function expectSuccess(run: ActionRun, wheels: number): void {
  const { result } = run;
  if (result.code !== 0)
    throw new Error(`${ACTION} failed: ${result.errors.join(' ') || result.stderr || result.stdout}`);
  const got = (JSON.parse(result.outputs.wheels ?? '[]') as unknown[]).length;
  if (got !== wheels) throw new Error(`${ACTION} gave ${got} wheels, expected ${wheels}:\n${result.stdout}`);
}

interface Context {
  root: string;
  actionDir: string;
  index: PackageIndex;
  indexDir: string;
  /** The wheels of the resolution: file name → bytes. */
  sizes: Map<string, number>;
  /** PATH without a folder holding uv (the action finds its own), with HOME: what runAction passes on. */
  env: Record<string, string>;
  /** The runner's Python as the action finds it (sys.executable of python3). */
  python: string;
  requirementsFile: string;
  constraintsFile: string;
  pairs: number;
  log: (line: string) => void;
}

interface PairResult {
  anchorTimes: number[];
  actionTimes: number[];
  ratios: number[];
  phaseRuns: Array<Map<string, number>>;
  actionFetches: Array<ReturnType<typeof wheelFetches>>;
  anchorFetches: Array<ReturnType<typeof wheelFetches>>;
}

/** Runs `pairs` pairs, anchor then action, counting each side's requests to the index. */
async function runPairs(
  context: Context,
  label: string,
  anchor: () => Promise<number>,
  action: () => Promise<ActionRun>,
): Promise<PairResult> {
  const { index, sizes, log } = context;
  const out: PairResult = {
    anchorTimes: [],
    actionTimes: [],
    ratios: [],
    phaseRuns: [],
    actionFetches: [],
    anchorFetches: [],
  };
  for (let i = 0; i < context.pairs; i++) {
    let before = index.requests.length;
    const anchorMs = await anchor();
    out.anchorFetches.push(wheelFetches(index.requests.slice(before), sizes));
    before = index.requests.length;
    const run = await action();
    out.actionFetches.push(wheelFetches(index.requests.slice(before), sizes));
    out.anchorTimes.push(anchorMs);
    out.actionTimes.push(run.ms);
    out.ratios.push(run.ms / anchorMs);
    out.phaseRuns.push(run.phases);
    const phases = [...run.phases].map(([name, ms]) => `${name} ${secs(ms)}`).join(', ');
    log(
      `  ${label} pair ${i + 1}: anchor ${seconds(anchorMs)} s (${fetched(out.anchorFetches[i])}), ` +
        `action ${seconds(run.ms)} s (${fetched(out.actionFetches[i])}; ${phases})`,
    );
  }
  return out;
}

function phaseMedians(runs: Array<Map<string, number>>): Array<[string, number]> {
  const names = [...new Set(runs.flatMap((phases) => [...phases.keys()]))];
  return names.map((name) => [name, median(runs.map((p) => p.get(name) ?? 0))]);
}

/** The columns every case row shares. */
function summary(pairs: PairResult) {
  const ratio = median(pairs.ratios);
  const spread = `${Math.min(...pairs.ratios).toFixed(2)}–${Math.max(...pairs.ratios).toFixed(2)}`;
  return {
    ratio,
    columns: {
      pairs: pairs.ratios.length,
      'anchor median s': seconds(median(pairs.anchorTimes)),
      'action median s': seconds(median(pairs.actionTimes)),
      ratio: `${ratio.toFixed(2)} (${spread})`,
      goal: `≤ ${RATIO_GOAL.toFixed(1)}×: ${ratio <= RATIO_GOAL ? 'met' : 'MISSED'}`,
    },
  };
}

/** The same counts in every run, or the spread. */
function perRun(values: number[], show: (n: number) => string = String): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? show(low) : `${show(low)}–${show(high)}`;
}

function fetchColumn(runs: Array<ReturnType<typeof wheelFetches>>): string {
  const wheels = perRun(runs.map((f) => f.wheels));
  const bytes = perRun(
    runs.map((f) => f.bytes),
    (n) => `${(n / MB).toFixed(1)} MB`,
  );
  const pages = perRun(runs.map((f) => f.pages));
  return `${wheels} wheel requests (${bytes}), ${pages} index pages`;
}

/** Milliseconds of `python3 -c <the action's probe>` (how the action finds the runner's Python). */
const probePython = (env: Record<string, string>) =>
  timeSpawn(
    'python3',
    ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)'],
    { env },
  );

/** The bundle's start-up alone: node, the bundle and action.yml read, up to an input's error. */
async function startUp(actionDir: string, env: Record<string, string>): Promise<number> {
  const run = await runBundle(actionDir, { requirements: 'x', 'allow-sdist-fallback': 'maybe' }, env);
  if (run.result.code === 0) throw new Error(`${ACTION} accepted allow-sdist-fallback: maybe`);
  return run.ms;
}

async function uvWarm(context: Context): Promise<BenchRow> {
  const { root, actionDir, index, log } = context;
  const toolCache = join(root, 'uv-tool-cache');
  const actionUvCache = join(root, 'uv-cache-action');
  const anchorUvCache = join(root, 'uv-cache-anchor');
  mkdirSync(toolCache);
  const actionEnv = { ...context.env, RUNNER_TOOL_CACHE: toolCache, UV_CACHE_DIR: actionUvCache };
  const inputs = {
    requirements: REQUIREMENTS.join('\n'),
    constraints: CONSTRAINTS.join('\n'),
    'index-url': index.url,
    engine: 'uv',
    'python-version': PYTHON,
    'site-packages': 'dist/python/Lib/site-packages',
    cleanup: 'none',
  };
  const wheels = context.sizes.size;
  const action = async () => {
    const run = await runBundle(actionDir, inputs, actionEnv);
    expectSuccess(run, wheels);
    return run;
  };
  // The first run installs uv into the tool cache (pip, from PyPI) and fills it and uv's cache.
  const first = await action();
  const label = /with (uv [^\n]*)$/m.exec(first.result.stdout)?.[1] ?? 'uv';
  log(`uv warm-up: ${secs(first.ms)} s (${label})`);
  const uv = readdirSync(join(toolCache, 'uv'))
    .flatMap((version) =>
      readdirSync(join(toolCache, 'uv', version)).map((a) => join(toolCache, 'uv', version, a)),
    )
    .map((dir) => join(dir, 'bin', 'uv'))
    .find((path) => existsSync(path));
  if (!uv) throw new Error(`no uv in the tool cache ${toolCache}`);
  const version = execFileSync(uv, ['--version'], { encoding: 'utf8' }).trim();
  const target = join(root, 'uv-target');
  const anchorEnv = { ...context.env, UV_CACHE_DIR: anchorUvCache };
  const anchorArgs = [
    'pip',
    'install',
    '--target',
    target,
    '--python-platform',
    'windows',
    '--python-version',
    PYTHON,
    '--python',
    context.python,
    '--no-python-downloads',
    '--index-url',
    index.url,
    '-r',
    context.requirementsFile,
    '-c',
    context.constraintsFile,
    '--quiet',
  ];
  const anchor = () => {
    rmSync(target, { recursive: true, force: true });
    return timeSpawn(uv, anchorArgs, { env: anchorEnv });
  };
  await anchor();
  const installed = readdirSync(target).filter((name) => name.endsWith('.dist-info')).length;
  log(`anchor: ${version} pip install --target …, warm-up done (${installed} .dist-info in the target)`);
  if (installed !== wheels) throw new Error(`uv pip install --target installed ${installed} distributions`);

  const pairs = await runPairs(context, 'uv warm', anchor, action);
  // Pieces alone: start-up, the Python probe, uv pip compile as the action runs it (warm).
  const lock = join(root, 'pylock.toml');
  const compileArgs = [
    'pip',
    'compile',
    context.requirementsFile,
    '--constraint',
    context.constraintsFile,
    '--python-platform',
    'x86_64-pc-windows-msvc',
    '--python-version',
    PYTHON,
    '--format',
    'pylock.toml',
    '--output-file',
    lock,
    '--no-header',
    '--quiet',
    '--color',
    'never',
    '--python',
    context.python,
    '--no-python-downloads',
    '--only-binary',
    ':all:',
  ];
  const wheelFiles = [...context.sizes.keys()].map((file) => join(context.indexDir, file));
  const quiet = { info: () => {}, warning: () => {}, debug: () => {} };
  const alone = {
    startUp: [] as number[],
    probe: [] as number[],
    compile: [] as number[],
    install: [] as number[],
    unzip: [] as number[],
    copyMode: [] as number[],
  };
  for (let i = 0; i < PROBES; i++) {
    alone.startUp.push(await startUp(actionDir, context.env));
    alone.probe.push(await probePython(context.env));
    alone.compile.push(
      await timeSpawn(uv, compileArgs, { env: { ...actionEnv, UV_DEFAULT_INDEX: index.url } }),
    );
    const site = join(root, 'site-packages-alone');
    rmSync(site, { recursive: true, force: true });
    let started = performance.now();
    await installWheels(wheelFiles, site, quiet);
    alone.install.push(performance.now() - started);
    rmSync(site, { recursive: true, force: true });
    started = performance.now();
    for (const wheel of wheelFiles) await timeSpawn('unzip', ['-qo', wheel, '-d', site]);
    alone.unzip.push(performance.now() - started);
    rmSync(site, { recursive: true, force: true });
    rmSync(target, { recursive: true, force: true });
    alone.copyMode.push(await timeSpawn(uv, [...anchorArgs, '--link-mode', 'copy'], { env: anchorEnv }));
  }
  const files = readdirSync(target, { recursive: true }).length;
  const { ratio, columns } = summary(pairs);
  const where = whereTimeGoes(pairs, [
    `alone: bundle start-up ${secs(median(alone.startUp))} s, python3 probe ${secs(median(alone.probe))} s, ` +
      `uv pip compile (warm) ${secs(median(alone.compile))} s, the action's installWheels of the ${wheels} wheels ` +
      `(${files} entries) in the bench process ${secs(median(alone.install))} s, \`unzip -qo\` of them ` +
      `${secs(median(alone.unzip))} s, the anchor with --link-mode copy (uv hardlinks from its cache ` +
      `by default) ${secs(median(alone.copyMode))} s`,
  ]);
  log(`uv warm: ratio ${ratio.toFixed(3)}; ${where}`);
  return {
    case: `uv engine, warm (tool cache and uv cache filled): resolve, fetch, install into site-packages (cleanup: none) vs \`${version.replace(/ \(.*$/, '')} pip install --target … --python-platform windows\` warm`,
    ...columns,
    'wheels fetched from the index per run': `action ${fetchColumn(pairs.actionFetches)}; anchor ${fetchColumn(pairs.anchorFetches)}`,
    'where the time goes (medians)': where,
  };
}

/** Where the action's time goes: its phases (medians), the anchor's median, and extra notes. */
function whereTimeGoes(pairs: PairResult, notes: string[]): string {
  const phases = phaseMedians(pairs.phaseRuns)
    .filter(([, ms]) => ms >= 5)
    .map(([name, ms]) => `${name} ${secs(ms)} s`);
  return [`action: ${phases.join(', ')}`, `anchor ${secs(median(pairs.anchorTimes))} s`, ...notes].join('; ');
}

async function pipCold(context: Context): Promise<BenchRow> {
  const { root, actionDir, index, log } = context;
  const host = new URL(index.url).host;
  const trusted = { PIP_TRUSTED_HOST: host };
  const pipVersion = execFileSync(context.python, ['-m', 'pip', '--version'], { encoding: 'utf8' }).split(
    ' ',
  )[1];
  const inputs = {
    requirements: REQUIREMENTS.join('\n'),
    constraints: CONSTRAINTS.join('\n'),
    'index-url': index.url,
    engine: 'pip',
    'python-version': PYTHON,
  };
  const wheels = context.sizes.size;
  const action = async (env: Record<string, string> = {}) => {
    const pipCache = mkdtempSync(join(root, 'pip-cache-'));
    try {
      const run = await runBundle(actionDir, inputs, {
        ...context.env,
        PIP_CACHE_DIR: pipCache,
        ...trusted,
        ...env,
      });
      expectSuccess(run, wheels);
      return run;
    } finally {
      rmSync(pipCache, { recursive: true, force: true });
    }
  };
  const dest = join(root, 'pip-dest');
  const anchorArgs = [
    '-m',
    'pip',
    'download',
    '--platform',
    'win_amd64',
    '--python-version',
    PYTHON,
    '--implementation',
    'cp',
    '--only-binary',
    ':all:',
    '--index-url',
    index.url,
    '--requirement',
    context.requirementsFile,
    '--constraint',
    context.constraintsFile,
    '--dest',
    dest,
    '--disable-pip-version-check',
    '--no-input',
    '--progress-bar',
    'off',
    '--quiet',
  ];
  const anchor = async () => {
    rmSync(dest, { recursive: true, force: true });
    const pipCache = mkdtempSync(join(root, 'pip-cache-'));
    try {
      return await timeSpawn(context.python, anchorArgs, {
        env: { ...context.env, PIP_CACHE_DIR: pipCache, ...trusted },
      });
    } finally {
      rmSync(pipCache, { recursive: true, force: true });
    }
  };
  await anchor();
  const got = readdirSync(dest).sort();
  const missing = [...context.sizes.keys()].filter((file) => !got.includes(file));
  log(
    `anchor: pip ${pipVersion} download (${context.python}): ${got.length} wheels` +
      (missing.length > 0 ? `, not ${missing.join(', ')} (its markers are evaluated for this machine)` : ''),
  );
  const pairs = await runPairs(context, 'pip cold', anchor, () => action());

  // A warm re-run: pip's cache filled by a run before it, once with the index trusted (cached as an
  // https index is) and once over plain http as given.
  const warm = async (env: Record<string, string>) => {
    const pipCache = mkdtempSync(join(root, 'pip-cache-warm-'));
    try {
      const runEnv = { ...context.env, PIP_CACHE_DIR: pipCache, ...env };
      expectSuccess(await runBundle(actionDir, inputs, runEnv), wheels);
      const before = index.requests.length;
      const run = await runBundle(actionDir, inputs, runEnv);
      expectSuccess(run, wheels);
      return { ms: run.ms, fetches: wheelFetches(index.requests.slice(before), context.sizes) };
    } finally {
      rmSync(pipCache, { recursive: true, force: true });
    }
  };
  const warmTrusted = await warm(trusted);
  const warmPlain = await warm({});
  log(
    `pip warm re-run: ${fetched(warmTrusted.fetches)} fetched in ${secs(warmTrusted.ms)} s with the index trusted; ` +
      `${fetched(warmPlain.fetches)} in ${secs(warmPlain.ms)} s over plain http`,
  );
  const alone = { startUp: [] as number[], probe: [] as number[], pipVersion: [] as number[] };
  for (let i = 0; i < PROBES; i++) {
    alone.startUp.push(await startUp(actionDir, context.env));
    alone.probe.push(await probePython(context.env));
    alone.pipVersion.push(
      await timeSpawn(context.python, ['-c', 'import pip; print(pip.__version__)'], { env: context.env }),
    );
  }
  const { ratio, columns } = summary(pairs);
  const where = whereTimeGoes(pairs, [
    `alone: bundle start-up ${secs(median(alone.startUp))} s, python3 probe ${secs(median(alone.probe))} s, ` +
      `pip's version (import pip) ${secs(median(alone.pipVersion))} s (the prepare group runs both)`,
  ]);
  log(`pip cold: ratio ${ratio.toFixed(3)}; ${where}`);
  return {
    case: `pip engine, cold (empty tool cache and pip cache), download only vs \`pip ${pipVersion} download --platform win_amd64 --only-binary :all:\` with deps, empty pip cache`,
    ...columns,
    'wheels fetched from the index per run':
      `cold: action ${fetchColumn(pairs.actionFetches)}; anchor ${fetchColumn(pairs.anchorFetches)}. ` +
      `A warm re-run of the action (pip's cache filled): ${fetched(warmTrusted.fetches)} with the index trusted ` +
      `(PIP_TRUSTED_HOST, cached as an https index is; ${secs(warmTrusted.ms)} s); ${fetched(warmPlain.fetches)} ` +
      `over plain http (pip caches no untrusted http origin; ${secs(warmPlain.ms)} s)`,
    'where the time goes (medians)': where,
  };
}

export const benchmark: Benchmark = {
  id: ACTION,
  title: `${ACTION}: ${REQUIREMENTS.length} requirements resolving to ${PROJECTS.length} Windows wheels from a local index, next to uv and pip by hand`,
  goal: `at most ${RATIO_GOAL.toFixed(1)}× the anchor (spawn to exit, median of paired ratios): uv engine warm vs \`uv pip install --target … --python-platform windows\` warm; pip engine cold vs \`pip download --platform win_amd64 …\` resolving the dependencies; a warm run downloads no wheel`,
  async run({ runs, log }) {
    const loads = [loadavg()[0]];
    log(`load average over the last minute ${loads[0].toFixed(2)}`);
    const root = mkdtempSync(join(tmpdir(), 'bench-download-win-wheels-'));
    const actionDir = snapshotAction(ACTION, root);
    let index: PackageIndex | undefined;
    try {
      const indexDir = join(root, 'index');
      mkdirSync(indexDir);
      const sizes = writeIndex(indexDir);
      const total = [...sizes.values()].reduce((a, b) => a + b, 0);
      const all = readdirSync(indexDir).reduce((sum, f) => sum + statSync(join(indexDir, f)).size, 0);
      log(
        `index: ${readdirSync(indexDir).length} files (${(all / MB).toFixed(1)} MB); the resolution: ` +
          `${sizes.size} wheels, ${(total / MB).toFixed(1)} MB`,
      );
      index = await startIndex(indexDir);
      const requirementsFile = join(root, 'requirements.txt');
      const constraintsFile = join(root, 'constraints.txt');
      writeFileSync(requirementsFile, `${REQUIREMENTS.join('\n')}\n`);
      writeFileSync(constraintsFile, `${CONSTRAINTS.join('\n')}\n`);
      const path = (process.env.PATH ?? '')
        .split(delimiter)
        .filter((dir) => dir && !existsSync(join(dir, 'uv')))
        .join(delimiter);
      const env = { PATH: path, HOME: process.env.HOME ?? root };
      const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
        encoding: 'utf8',
        env,
      }).trim();
      const context: Context = {
        root,
        actionDir,
        index,
        indexDir,
        sizes,
        env,
        python,
        requirementsFile,
        constraintsFile,
        pairs: Math.min(runs, MAX_PAIRS),
        log,
      };
      const rows = [await uvWarm(context), await pipCold(context)];
      loads.push(loadavg()[0]);
      log(`load average over the last minute ${loads[1].toFixed(2)}`);
      // Other work on the machine shows in both sides of a pair, and in the spread of the ratios.
      const machine = Object.fromEntries(Object.keys(rows[0]).map((key) => [key, ''])) as BenchRow;
      machine.case = `machine: load average over the last minute when the benchmark started and ended: ${loads.map((l) => l.toFixed(2)).join(', ')}`;
      return [...rows, machine];
    } finally {
      await index?.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
