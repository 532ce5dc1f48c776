// Cold start of every action bundle when it fails fast: a runner starts `node dist/index.js` with one bad
// input that the action checks before any work, and the step must end with a one-line input error. The
// anchor is `node -e ''`. Both run in the same `env -i`-clean environment (PATH, the INPUT_* variables
// with action.yml's defaults, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and RUNNER_TEMP), anchor then
// bundle, in pairs, so drift in the machine's load hits both sides of a pair alike; the ratio is the
// median of the pairs' ratios. Rows per node: the one running the benchmark, and Node 24 when installed.
//
// dist/index.js is a three-line entry that turns on Node's compile cache (Node 22.1+) and imports
// dist/action.js, the ncc bundle proper; the chunks beside it (NNN.index.js) are only loaded on other
// paths than a failing run, so "bundle KB" is index.js + action.js. A node with a compile cache is
// measured twice, each time with NODE_COMPILE_CACHE set for the anchor and the bundle alike (never the
// shared default under os.tmpdir()): a cold cache (a fresh, empty directory for every run) and a warm one
// (a directory a previous run of that bundle filled), which is what every run after a runner's first is.
//
// Then, for the slowest bundles on the benchmark's node, where the time goes: rounds of the anchor, an
// empty ES module next to action.js (Node's ESM loader), action.js exiting at its first statement (read
// and compile), action.js exiting just before its main (every module's top level evaluated) and the
// full failing run; a CPU profile of the failing run split by package; action.js's biggest packages;
// and, on Node 24, the failing run with a warm cache against a cold one in the same rounds.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { expandDefault, inputEnvName } from '@forge-actions/action-kit';
import { loadActionMetadata } from '@forge-actions/action-kit/action-yml';
import { parse } from 'yaml';
import { listActions, REPO_ROOT } from '../actions.js';
import { type Benchmark, type BenchRow, median, snapshotAction } from './_support.js';

const RATIO_GOAL = 2.5;
/**
 * A pair is two cold processes, the bundle's up to half a second on a loaded machine; 12 pairs per
 * bundle and node keep the whole benchmark around three minutes and its medians stable.
 */
const MAX_PAIRS = 12;
/** Slowest bundles whose start-up is taken apart. */
const EXPLAINED = 3;
const PROFILE_RUNS = 3;
const NODE24 = join(REPO_ROOT, 'tools', 'node24', 'node_modules', '.bin', 'node');

/**
 * Per action, a bad value for an input its main reads and checks before touching the disk or the
 * network (the first such check), and the one-line error it must give. A new action needs an entry.
 */
const BAD_INPUTS: Record<string, { inputs: Record<string, string>; error: RegExp }> = {
  'build-nsis': { inputs: { template: 'bogus' }, error: /^Input 'template' must be one of/ },
  // The forge actions check the token first; with one given, `forge` is the first enum they check.
  'create-release': {
    inputs: { token: 'bench-token', forge: 'bogus' },
    error: /^Input 'forge' must be one of/,
  },
  'docker-publish-portainer': {
    inputs: { registry: 'not a host' },
    error: /^Input 'registry' must be a registry host/,
  },
  'download-win-wheels': {
    inputs: { 'allow-sdist-fallback': 'maybe' },
    error: /^Input 'allow-sdist-fallback' must be true or false/,
  },
  'fetch-embedded-python': {
    inputs: { 'site-packages': 'maybe' },
    error: /^Input 'site-packages' must be true or false/,
  },
  'finalize-release': {
    inputs: { token: 'bench-token', forge: 'bogus' },
    error: /^Input 'forge' must be one of/,
  },
  'linux-portable': { inputs: { python: 'conda' }, error: /^Input 'python' must be one of/ },
  // source and output are read first (both required); the source folder is then looked up, once.
  'pack-portable': {
    inputs: { source: 'no-such-folder', output: 'app.zip' },
    error: /^Input 'source' names no existing folder/,
  },
  'resolve-version': {
    inputs: { 'prerelease-pattern': '(' },
    error: /^Input 'prerelease-pattern' is not a valid regular expression/,
  },
  'upload-asset-dedup': {
    inputs: { token: 'bench-token', forge: 'bogus' },
    error: /^Input 'forge' must be one of/,
  },
};

/** Where the entry module hands over to the action's main (`await runAction(import.meta.url, ...)`). */
const MAIN_CALL = /^await \(0,_forge_actions_action_kit__WEBPACK_IMPORTED_MODULE_\d+__\/\* \.runAction \*\//m;

interface Exit {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Wall time from spawn to exit, with what the child printed (piped for every run alike). */
function run(node: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Exit> {
  return new Promise((done, failed) => {
    let stdout = '';
    let stderr = '';
    let ms = 0;
    const started = performance.now();
    const child = spawn(node, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', failed);
    child.on('exit', () => {
      ms = performance.now() - started;
    });
    child.on('close', (code) => done({ ms, code, stdout, stderr }));
  });
}

interface Subject {
  name: string;
  /** The snapshot's dist/index.js: every run measures the bundle as it was when the benchmark started. */
  entry: string;
  /** The snapshot's dist/action.js, the ncc bundle the entry imports: what the probes take apart. */
  bundle: string;
  /** index.js + action.js: what a failing run loads. */
  kb: number;
  bad: (typeof BAD_INPUTS)[string];
  /** The step's environment and workspace, shared by the anchor and every variant of the bundle. */
  env: NodeJS.ProcessEnv;
  workspace: string;
}

/** A runner's environment under `env -i`: PATH, every input (defaults included), the command files, RUNNER_TEMP. */
function stepEnvironment(actionDir: string, inputs: Record<string, string>, root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: join(root, 'output'),
    GITHUB_STEP_SUMMARY: join(root, 'summary'),
    RUNNER_TEMP: join(root, 'runner-temp'),
  };
  writeFileSync(join(root, 'output'), '');
  writeFileSync(join(root, 'summary'), '');
  mkdirSync(join(root, 'runner-temp'));
  const metadata = loadActionMetadata(join(actionDir, 'action.yml'));
  for (const name of Object.keys(inputs)) {
    if (!(name in metadata.inputs)) throw new Error(`action.yml has no input '${name}'`);
  }
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    env[inputEnvName(name)] = inputs[name] ?? expandDefault(spec.default, env);
  }
  return env;
}

/** The bundle's run must end as a fast failure does: exit 1, one `::error::` line, the expected message. */
function failedFast(subject: Subject, exit: Exit): Exit {
  const errors = [...exit.stdout.matchAll(/^::error(?: [^:]*)?::(.*)$/gm)].map((m) => m[1]);
  if (
    exit.code !== 1 ||
    errors.length !== 1 ||
    !subject.bad.error.test(errors[0]) ||
    errors[0].includes('%0A')
  ) {
    throw new Error(
      `${subject.name} did not fail fast on its bad input (exit ${exit.code}): ${errors.join(' | ') || exit.stderr.trim()}`,
    );
  }
  return exit;
}

function exitedCleanly(what: string, exit: Exit): Exit {
  if (exit.code !== 0) throw new Error(`${what} exited with ${exit.code}: ${exit.stderr.trim()}`);
  return exit;
}

interface NodeBinary {
  binary: string;
  version: string;
  /** Whether the node has a compile cache (Node 22.1+) that index.js turns on. */
  cache: boolean;
}

function hasCompileCache(version: string): boolean {
  const [major, minor] = version.slice(1).split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

/**
 * The compile cache a run gets: none (a node without one), cold (NODE_COMPILE_CACHE on a fresh, empty
 * directory, removed after the run) or warm (NODE_COMPILE_CACHE on a directory a previous run filled).
 */
type Cache = { kind: 'none' } | { kind: 'cold'; under: string } | { kind: 'warm'; dir: string };

const cacheLabel = (node: NodeBinary, cache: Cache) =>
  cache.kind === 'none' ? node.version : `${node.version}, ${cache.kind} cache`;

/** Runs `once` in `env` with the cache set as `cache` says; a cold cache's directory is made before the run. */
async function withCache(
  cache: Cache,
  env: NodeJS.ProcessEnv,
  once: (env: NodeJS.ProcessEnv) => Promise<Exit>,
): Promise<Exit> {
  if (cache.kind === 'none') return once(env);
  if (cache.kind === 'warm') return once({ ...env, NODE_COMPILE_CACHE: cache.dir });
  const dir = mkdtempSync(join(cache.under, 'cold-'));
  try {
    return await once({ ...env, NODE_COMPILE_CACHE: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function directoryKb(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes / 1024;
}

/**
 * `pairs` rounds of the anchor then each case; per case the medians of its wall times, of its ratio to
 * the anchor of its round, and of its difference to the case before it in the round.
 */
async function rounds(pairs: number, anchor: () => Promise<Exit>, cases: Array<() => Promise<Exit>>) {
  await anchor(); // warm-up: the file cache, the node binary
  for (const once of cases) await once();
  const anchorMs: number[] = [];
  const times = cases.map((): number[] => []);
  const ratios = cases.map((): number[] => []);
  const steps = cases.map((): number[] => []);
  for (let i = 0; i < pairs; i++) {
    const base = (await anchor()).ms;
    anchorMs.push(base);
    let previous = base;
    for (const [c, once] of cases.entries()) {
      const ms = (await once()).ms;
      times[c].push(ms);
      ratios[c].push(ms / base);
      steps[c].push(ms - previous);
      previous = ms;
    }
  }
  return {
    anchorMs: median(anchorMs),
    cases: cases.map((_, c) => ({ ms: median(times[c]), ratio: median(ratios[c]), step: median(steps[c]) })),
  };
}

/** A bundle of @actions/core alone that fails as an action does, built with ncc into `work`. */
function coreFloor(work: string): { entry: string; kb: number } {
  const dir = join(work, 'core-floor');
  mkdirSync(dir);
  // ncc resolves @actions/core from the entry's folder: the repository's node_modules, linked.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'main.mjs'), "import * as core from '@actions/core';\ncore.setFailed('floor');\n");
  const ncc = join(REPO_ROOT, 'node_modules', '.bin', 'ncc');
  execFileSync(ncc, ['build', join(dir, 'main.mjs'), '-o', join(dir, 'dist'), '--target', 'es2022', '-q']);
  const entry = join(dir, 'dist', 'index.mjs');
  const built = existsSync(entry) ? entry : join(dir, 'dist', 'index.js');
  return { entry: built, kb: statSync(built).size / 1024 };
}

const ms = (value: number) => value.toFixed(0);
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)} ms`;
const verdict = (ratio: number) => (ratio <= RATIO_GOAL ? 'met' : 'MISSED');

/** The package a webpack module path belongs to: the last node_modules folder, or packages/<name>. */
function packageOf(path: string): string {
  if (path.startsWith('external')) return 'node builtins';
  const installed = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].pop();
  if (installed) return installed[1];
  const own = /^\.\/((?:packages|actions)\/[^/]+)/.exec(path);
  return own ? own[1] : path;
}

interface Segment {
  from: number;
  to: number;
  pkg: string;
}

/**
 * Which package each stretch of an ncc bundle comes from. ncc writes no paths for CommonJS modules, but
 * webpack names every module it concatenates (`// CONCATENATED MODULE: <path>`) and every module such
 * code imports (`// EXTERNAL MODULE: <path>` above `__nccwpck_require__(<id>)`); a module named nowhere
 * is counted to the package that first requires it, walking from the entry. Close to `ncc --stats-out`.
 */
function bundleSegments(source: string): Segment[] {
  const runtime = source.indexOf(
    '\n/************************************************************************/',
  );
  const starts = [...source.matchAll(/^\/\*\*\*\/ (\d+):$/gm)];
  const modules = new Map<string, { from: number; to: number }>();
  starts.forEach((m, i) => {
    modules.set(m[1], { from: m.index, to: i + 1 < starts.length ? starts[i + 1].index : runtime });
  });
  const named = new Map<string, string>();
  for (const m of source.matchAll(
    /\/\/ EXTERNAL MODULE: (\S+)[^\n]*\nvar [\w$]+ = __nccwpck_require__\((\d+)\)/g,
  )) {
    named.set(m[2], packageOf(m[1]));
  }
  const entry = /var __webpack_exports__ = __nccwpck_require__\((\d+)\)/.exec(source.slice(runtime))?.[1];
  const segments: Segment[] = [{ from: 0, to: starts[0]?.index ?? 0, pkg: 'webpack runtime' }];
  if (!entry) return segments;
  const owner = new Map<string, string>([[entry, 'action main']]);
  const queue = [entry];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const module = modules.get(id);
    if (!module) continue;
    const text = source.slice(module.from, module.to);
    const builtin =
      /^\/\*\*\*\/ \(\(module\) => \{\s*module\.exports = __WEBPACK_EXTERNAL_createRequire/m.test(text);
    const cuts = [{ at: 0, pkg: builtin ? 'node builtins' : (named.get(id) ?? owner.get(id) ?? 'unknown') }];
    for (const m of text.matchAll(/\/\/ CONCATENATED MODULE: (\S+)/g))
      cuts.push({ at: m.index, pkg: packageOf(m[1]) });
    cuts.forEach((cut, i) => {
      const to = i + 1 < cuts.length ? cuts[i + 1].at : text.length;
      segments.push({ from: module.from + cut.at, to: module.from + to, pkg: cut.pkg });
      for (const r of text.slice(cut.at, to).matchAll(/__nccwpck_require__\((\d+)\)/g)) {
        if (!owner.has(r[1]) && modules.has(r[1])) {
          owner.set(r[1], cut.pkg);
          queue.push(r[1]);
        }
      }
    });
  }
  segments.push({ from: runtime, to: source.length, pkg: 'webpack runtime' });
  return segments.sort((a, b) => a.from - b.from);
}

function biggestPackages(source: string, segments: Segment[], count: number): string {
  const bytes = new Map<string, number>();
  for (const s of segments) bytes.set(s.pkg, (bytes.get(s.pkg) ?? 0) + (s.to - s.from));
  const total = Buffer.byteLength(source) / 1024;
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([pkg, size]) => `${pkg} ${(size / 1024).toFixed(0)} KB`)
    .join(', ')
    .concat(` (of ${total.toFixed(0)} KB)`);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/**
 * Where the failing run's CPU time goes, from its profiles. V8 charges compiling to the frame that asked
 * for it: compiling the bundle as an ES module shows in Node's `compileSourceTextModule`, compiling a
 * module's code on first use in webpack's `__nccwpck_require__` (whose own code is a few lines), loading
 * one of Node's own modules in `compileForInternalLoader`. The rest of the bundle's time goes to the
 * package of the innermost bundle frame on the stack (what it calls in Node included); outside the
 * bundle, to Node's ESM loader and bootstrap, GC, or idle.
 */
function profileShares(profileDir: string, bundle: string, segments: Segment[], source: string): string {
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const packageAtLine = (line: number) => {
    const offset = lineStarts[Math.min(line, lineStarts.length - 1)];
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (segments[middle].from <= offset) low = middle;
      else high = middle - 1;
    }
    return segments[low]?.pkg ?? 'unknown';
  };
  const url = pathToFileURL(bundle).href;
  const self = new Map<string, number>();
  const add = (key: string, us: number) => self.set(key, (self.get(key) ?? 0) + us);
  let total = 0;
  for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as {
      nodes: ProfileNode[];
      samples: number[];
      timeDeltas: number[];
    };
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
    const where = (id: number): string => {
      const { functionName, url: script } = nodes.get(id)?.callFrame ?? { functionName: '', url: '' };
      if (functionName === 'compileSourceTextModule') return 'compile';
      if (script === url && functionName === '__nccwpck_require__') return 'lazy';
      if (functionName === 'compileForInternalLoader') return 'builtins';
      for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
        const frame = nodes.get(at)?.callFrame;
        if (frame?.url !== url) continue;
        const pkg = packageAtLine(frame.lineNumber);
        // ncc's one-line shims that hand out Node's modules (`createRequire(...)("node:http")`).
        if (pkg === 'node builtins') return 'builtins';
        if (pkg !== 'webpack runtime') return `bundle: ${pkg}`;
      }
      if (functionName === '(garbage collector)') return 'GC';
      if (functionName === '(idle)') return 'idle';
      return 'node';
    };
    // A sample's time is the delta to the next one.
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i + 1] ?? 0;
      add(where(id), us);
      total += us;
    });
  }
  const share = (key: string) => `${((100 * (self.get(key) ?? 0)) / total).toFixed(0)}%`;
  const packages = [...self].filter(([k]) => k.startsWith('bundle: ')).sort((a, b) => b[1] - a[1]);
  const code = packages.reduce((sum, [, us]) => sum + us, 0);
  self.set('code', code);
  const top = packages.slice(0, 4).map(([k]) => `${k.slice('bundle: '.length)} ${share(k)}`);
  return [
    `${(total / 1000 / PROFILE_RUNS).toFixed(0)} ms sampled per run (profiler on):`,
    `compiling the bundle ${share('compile')},`,
    `compiling module code on first require ${share('lazy')},`,
    `running module code ${share('code')} (${top.join(', ')}),`,
    `loading Node's own modules ${share('builtins')},`,
    `Node's ESM loader and the rest of Node ${share('node')}, GC ${share('GC')}, idle ${share('idle')}`,
  ].join(' ');
}

/**
 * The bundle as a classic script, compiled only: what V8 does with the module's text before running
 * it. ESM-only syntax is neutralised (import lines, `import.meta`, the final top-level await); a
 * distinct trailing comment each time keeps V8's compilation cache out of it.
 */
function compileMs(source: string, times: number): number | undefined {
  const script = source
    .replace(/^import [^;\n]+ from "[^"]+";$/gm, '')
    .replaceAll('import.meta', '({})')
    .replace(/= await __webpack_exports__;/, '= __webpack_exports__;');
  const samples: number[] = [];
  try {
    for (let i = 0; i < times; i++) {
      const started = performance.now();
      new Script(`${script}\n// ${i} ${Math.random()}`);
      samples.push(performance.now() - started);
    }
  } catch {
    return undefined;
  }
  return median(samples);
}

export const benchmark: Benchmark = {
  id: 'cold-start',
  title: 'Cold start: every bundle failing fast on a bad input',
  goal: `at most ${RATIO_GOAL}× \`env -i node -e ''\`, per bundle and node (median of paired ratios, anchor then bundle in the same clean environment); bundle KB is dist/index.js + action.js, what a failing run loads (not the chunks, loaded only on other paths); Node 24 with NODE_COMPILE_CACHE on a fresh directory per run (cold cache) and on one a previous run of the bundle filled (warm cache)`,
  async run({ runs, log }) {
    const pairs = Math.min(runs, MAX_PAIRS);
    const work = mkdtempSync(join(tmpdir(), 'bench-cold-start-'));
    const rows: BenchRow[] = [];
    const row = (values: {
      action: string;
      node: string;
      kb?: number;
      pairs?: number;
      anchorMs?: number;
      bundleMs?: number;
      ratio?: number;
      goal?: string;
      notes?: string;
    }) =>
      rows.push({
        action: values.action,
        node: values.node,
        'bundle KB': values.kb === undefined ? '' : values.kb.toFixed(0),
        pairs: values.pairs ?? '',
        'anchor median ms': values.anchorMs === undefined ? '' : ms(values.anchorMs),
        'bundle median ms': values.bundleMs === undefined ? '' : ms(values.bundleMs),
        ratio: values.ratio === undefined ? '' : `${values.ratio.toFixed(2)}×`,
        goal: values.goal ?? '',
        notes: values.notes ?? '',
      });
    try {
      const nodes: NodeBinary[] = [
        { binary: process.execPath, version: process.version, cache: hasCompileCache(process.version) },
      ];
      if (existsSync(NODE24)) {
        const version = execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim();
        nodes.push({ binary: NODE24, version, cache: hasCompileCache(version) });
      } else {
        log(`no Node 24 at ${NODE24} (npm ci --prefix tools/node24): rows for ${process.version} only`);
      }

      const subjects: Subject[] = [];
      const composites: string[] = [];
      for (const name of listActions()) {
        const metadata = parse(readFileSync(join(REPO_ROOT, 'actions', name, 'action.yml'), 'utf8')) as {
          runs?: { using?: string };
        };
        const using = metadata.runs?.using ?? '';
        if (!using.startsWith('node')) {
          composites.push(name);
          continue;
        }
        if (!existsSync(join(REPO_ROOT, 'actions', name, 'dist', 'index.js'))) {
          throw new Error(`actions/${name}/dist/index.js is missing: npm run build`);
        }
        const bad = BAD_INPUTS[name];
        if (!bad)
          throw new Error(`no bad input for ${name}: add one to BAD_INPUTS in scripts/bench/cold-start.ts`);
        const dir = snapshotAction(name, join(work, 'actions'));
        const root = mkdtempSync(join(work, `${name}-`));
        const workspace = join(root, 'workspace');
        mkdirSync(workspace);
        const entry = join(dir, 'dist', 'index.js');
        const bundle = join(dir, 'dist', 'action.js');
        if (!existsSync(bundle)) throw new Error(`actions/${name}/dist/action.js is missing: npm run build`);
        const kb = (statSync(entry).size + statSync(bundle).size) / 1024;
        subjects.push({
          name,
          entry,
          bundle,
          kb,
          bad,
          env: stepEnvironment(dir, bad.inputs, root),
          workspace,
        });
      }

      const caches = join(work, 'compile-caches');
      mkdirSync(caches);
      const cold: Cache = { kind: 'cold', under: caches };
      /** The cache of a run that measures no cache in particular: none, or a cold one on a node that has it. */
      const plain = (node: NodeBinary): Cache => (node.cache ? cold : { kind: 'none' });
      const anchor = (node: NodeBinary, subject: Subject, cache: Cache) => () =>
        withCache(cache, subject.env, async (env) =>
          exitedCleanly(`node -e ''`, await run(node.binary, ['-e', ''], env, subject.workspace)),
        );
      const failing =
        (subject: Subject, node: NodeBinary, cache: Cache, args: string[] = []) =>
        () =>
          withCache(cache, subject.env, async (env) =>
            failedFast(subject, await run(node.binary, [...args, subject.entry], env, subject.workspace)),
          );
      /** A warm cache for the bundle on the node: a directory its failing run has filled. */
      const warmCaches = new Map<string, Cache>();
      const warm = async (node: NodeBinary, subject: Subject): Promise<Cache> => {
        const key = `${node.version} ${subject.name}`;
        let cache = warmCaches.get(key);
        if (!cache) {
          const dir = join(caches, `warm-${node.version}-${subject.name}`);
          cache = { kind: 'warm', dir };
          await failing(subject, node, cache)();
          if (!existsSync(dir) || directoryKb(dir) === 0) {
            throw new Error(`${subject.name} on ${node.version} wrote no compile cache to ${dir}`);
          }
          warmCaches.set(key, cache);
        }
        return cache;
      };

      const results: Array<{ subject: Subject; node: string; bundleMs: number }> = [];
      for (const node of nodes) {
        for (const mode of node.cache ? (['cold', 'warm'] as const) : (['none'] as const)) {
          for (const subject of subjects) {
            const cache = mode === 'none' ? plain(node) : mode === 'cold' ? cold : await warm(node, subject);
            const label = cacheLabel(node, cache);
            const measured = await rounds(pairs, anchor(node, subject, cache), [
              failing(subject, node, cache),
            ]);
            const [{ ms: bundleMs, ratio }] = measured.cases;
            results.push({ subject, node: label, bundleMs });
            row({
              action: subject.name,
              node: label,
              kb: subject.kb,
              pairs,
              anchorMs: measured.anchorMs,
              bundleMs,
              ratio,
              goal: verdict(ratio),
              notes: Object.entries(subject.bad.inputs)
                .map(([k, v]) => `${k}: '${v}'`)
                .join(', '),
            });
            log(
              `${subject.name} on ${label}: ${ms(bundleMs)} ms vs ${ms(measured.anchorMs)} ms, ${ratio.toFixed(2)}× (${verdict(ratio)})`,
            );
          }
        }
      }
      for (const name of composites) {
        row({ action: name, node: '', notes: 'composite action: no bundle, skipped' });
      }

      // Where the time goes, for the slowest bundles on the benchmark's own node.
      // The probes run on action.js, written next to it so that its relative chunk imports resolve.
      const [own] = nodes;
      const ownCache = plain(own);
      const ownLabel = cacheLabel(own, ownCache);
      const slowest = results
        .filter((r) => r.node === ownLabel)
        .sort((a, b) => b.bundleMs - a.bundleMs)
        .slice(0, EXPLAINED)
        .map((r) => r.subject);
      const node24 = nodes.find((n) => n.version.startsWith('v24.') && n.cache);
      for (const subject of slowest) {
        const source = readFileSync(subject.bundle, 'utf8');
        const dist = join(subject.bundle, '..');
        const empty = join(dist, 'empty.js');
        const exitFirst = join(dist, 'exit-first.js');
        const exitBeforeMain = join(dist, 'exit-before-main.js');
        writeFileSync(empty, '');
        writeFileSync(exitFirst, `process.exit(0);\n${source}`);
        const beforeMain = source.replace(MAIN_CALL, 'process.exit(0);\n$&');
        if (beforeMain === source) throw new Error(`${subject.name}: no runAction call found in action.js`);
        writeFileSync(exitBeforeMain, beforeMain);
        const variant = (file: string, what: string) => () =>
          withCache(ownCache, subject.env, async (env) =>
            exitedCleanly(`${subject.name} ${what}`, await run(own.binary, [file], env, subject.workspace)),
          );

        const stages = await rounds(pairs, anchor(own, subject, ownCache), [
          variant(empty, 'empty module'),
          variant(exitFirst, 'exiting at its first statement'),
          variant(exitBeforeMain, 'exiting before its main'),
          failing(subject, own, ownCache),
        ]);
        const compiled = compileMs(source, 5);
        const notes = [
          `Node's ESM loader for an empty module next to action.js`,
          `reading and compiling action.js (vm.Script compile in the benchmark's process: ${compiled === undefined ? 'n/a' : `${ms(compiled)} ms`})`,
          'every module top level evaluated (action.js exiting just before runAction)',
          "the action's own code up to the input error, and exit (run through index.js, as a runner does)",
        ];
        const labels = ['empty ES module', 'exit at first statement', 'exit before main', 'full failing run'];
        stages.cases.forEach((stage, i) => {
          row({
            action: `${subject.name} ▸ ${labels[i]}`,
            node: ownLabel,
            pairs,
            anchorMs: stages.anchorMs,
            bundleMs: stage.ms,
            ratio: stage.ratio,
            notes: `${signed(stage.step)}: ${notes[i]}`,
          });
        });
        log(
          `${subject.name}: ${stages.cases.map((s, i) => `${labels[i]} ${signed(s.step)}`).join(', ')}; compile ${compiled === undefined ? 'n/a' : ms(compiled)} ms`,
        );

        const profileDir = join(work, `profile-${subject.name}`);
        const profiling = ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profileDir];
        for (let i = 0; i < PROFILE_RUNS; i++) await failing(subject, own, ownCache, profiling)();
        const segments = bundleSegments(source);
        row({
          action: `${subject.name} ▸ CPU profile of the failing run`,
          node: ownLabel,
          notes: profileShares(profileDir, subject.bundle, segments, source),
        });
        row({
          action: `${subject.name} ▸ biggest packages in action.js`,
          node: '',
          kb: subject.kb,
          notes: biggestPackages(source, segments, 8),
        });

        if (node24) {
          // What the compile cache index.js turns on saves: the failing run with a warm cache against one
          // with a cold cache, in the same rounds (the anchor with a cold one).
          const warmCache = await warm(node24, subject);
          const cached = await rounds(pairs, anchor(node24, subject, cold), [
            failing(subject, node24, cold),
            failing(subject, node24, warmCache),
          ]);
          const [coldRun, warmRun] = cached.cases;
          const kb = warmCache.kind === 'warm' ? directoryKb(warmCache.dir) : 0;
          row({
            action: `${subject.name} ▸ warm compile cache against a cold one`,
            node: cacheLabel(node24, warmCache),
            pairs,
            anchorMs: cached.anchorMs,
            bundleMs: warmRun.ms,
            ratio: warmRun.ratio,
            goal: verdict(warmRun.ratio),
            notes: `${signed(warmRun.step)} against a cold cache in the same rounds (${ms(coldRun.ms)} ms, ${coldRun.ratio.toFixed(2)}×); the cache holds ${kb.toFixed(0)} KB`,
          });
          log(
            `${subject.name} on ${node24.version}: ${warmRun.ratio.toFixed(2)}× with a warm compile cache, ${coldRun.ratio.toFixed(2)}× with a cold one`,
          );
        }
      }
      // The toolkit's own share: a bundle of @actions/core alone failing as an action does. It imports
      // @actions/http-client, which imports undici, so every bundle pays this before its first line.
      const floor = coreFloor(work);
      const [first] = subjects;
      const floorRun = () =>
        withCache(plain(own), first.env, async (env) => {
          const exit = await run(own.binary, [floor.entry], env, first.workspace);
          if (exit.code !== 1 || !exit.stdout.includes('::error::floor'))
            throw new Error(
              `the @actions/core bundle did not fail as asked (exit ${exit.code}): ${exit.stderr.trim()}`,
            );
          return exit;
        });
      const measured = await rounds(pairs, anchor(own, first, plain(own)), [floorRun]);
      const [{ ms: floorMs, ratio: floorRatio }] = measured.cases;
      row({
        action: '▸ floor: @actions/core alone (setFailed)',
        node: ownLabel,
        kb: floor.kb,
        pairs,
        anchorMs: measured.anchorMs,
        bundleMs: floorMs,
        ratio: floorRatio,
        goal: verdict(floorRatio),
        notes:
          'the toolkit every bundle starts with: @actions/core imports @actions/http-client, which imports undici (evaluated at start)',
      });
      log(`@actions/core alone on ${ownLabel}: ${ms(floorMs)} ms, ${floorRatio.toFixed(2)}×`);
      return rows;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
