// What the end-to-end journeys run in: the suite as users get it (the release tree, built and published
// by scripts/release-tree.ts into a git repository, checked out at v1), a sample app repository whose
// workflows are the example files of action-docs/examples, and act running them on the host against
// real local services: the forge server, a python.org mirror, a wheel index, dockerd with a registry.
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ForgeServer, startForgeServer } from '@forge-actions/forge-server';
import { collectTree, publishTree } from '../../../scripts/release-tree.js';
import { act } from './act.js';
import { type DockerWorld, startDockerWorld } from './docker-world.js';
import { type Mirror, publishEmbedZip, startMirror } from './embed-mirror.js';
import { forgeRunnerEnv } from './forge-env.js';
import { git } from './git.js';
import { type PackageIndex, startIndex, writeWheel } from './package-index.js';
import { REPO_ROOT } from './run-action.js';
import { standaloneTarball } from './standalone-python.js';

/** Where users find the suite in the examples (`uses: your-org/actions/<name>@v1`). */
export const SUITE = 'your-org/actions';
export const SUITE_VERSION = '1.0.0';
export const EXAMPLES = join(REPO_ROOT, 'action-docs', 'examples');
export const PYTHON_VERSION = '3.11.9';
export const APP_TAG = 'v1.0.0';
const SAMPLE_APP = join(REPO_ROOT, 'test', 'e2e', 'sample-app');
const STAND_INS = join(REPO_ROOT, 'test', 'e2e', 'stand-ins');

/**
 * The suite as a user's runner gets it: the release tree of this checkout (its built bundles) published
 * as v1.0.0 (and v1, and the `releases` branch) into a bare repository, then cloned the way a runner
 * clones an action repository (default branch, then the ref).
 */
export async function publishedSuite(root: string): Promise<string> {
  const tree = join(root, 'tree');
  collectTree({ out: tree, tag: `v${SUITE_VERSION}`, repository: SUITE });
  const remote = join(root, 'actions.git');
  git(root, 'init', '-q', '--bare', remote);
  await publishTree({ treeDir: tree, remote, version: SUITE_VERSION });
  const checkout = join(root, 'actions');
  git(root, 'clone', '-q', remote, checkout);
  git(checkout, '-c', 'advice.detachedHead=false', 'checkout', '-q', 'v1');
  return checkout;
}

/** The services the example workflows reach: all local, all real. */
export interface Services {
  mirror: Mirror;
  index: PackageIndex;
  docker: DockerWorld;
  close(): Promise<void>;
}

export async function startServices(root: string): Promise<Services> {
  const mirrorRoot = join(root, 'python-mirror');
  await publishEmbedZip(mirrorRoot, PYTHON_VERSION, 'amd64');
  // linux-portable's relocatable CPython, in a folder the mirror lists (the example asks for 3.11).
  const standalone = await standaloneTarball();
  mkdirSync(join(mirrorRoot, 'standalone'));
  copyFileSync(standalone.path, join(mirrorRoot, 'standalone', standalone.name));
  const wheels = join(root, 'wheels');
  mkdirSync(wheels);
  writeWheel(wheels, { name: 'tinypkg', version: '1.0.0', files: { 'tinypkg/__init__.py': 'VALUE = 1\n' } });
  const [mirror, index, docker] = await Promise.all([
    startMirror(mirrorRoot),
    startIndex(wheels),
    startDockerWorld(),
  ]);
  return {
    mirror,
    index,
    docker,
    close: async () => {
      await Promise.all([mirror.close(), index.close(), docker.close()]);
    },
  };
}

/** A fresh copy of the sample app as a git repository, tagged, with the examples as its workflows. */
export function sampleApp(root: string, server: ForgeServer): string {
  const app = mkdtempSync(join(root, 'app-'));
  cpSync(SAMPLE_APP, app, { recursive: true });
  const workflows = join(app, '.gitea', 'workflows');
  mkdirSync(workflows, { recursive: true });
  for (const file of readdirSync(EXAMPLES)) cpSync(join(EXAMPLES, file), join(workflows, file));
  git(app, 'init', '-q', '-b', 'main');
  git(app, 'remote', 'add', 'origin', `${server.url}/octo/app.git`);
  git(app, 'add', '-A');
  git(app, 'commit', '-q', '-m', 'Sample app');
  git(app, 'tag', APP_TAG);
  return app;
}

export interface Journey {
  server: ForgeServer;
  app: string;
  /** Where the upload-artifact stand-in puts artifacts: <dir>/<name>/... */
  artifacts: string;
  /** act's own folder (host workspaces and the tool cache), fresh per journey. */
  actHome: string;
}

export async function startJourney(root: string): Promise<Journey> {
  const server = await startForgeServer({ flavour: 'gitea' });
  server.seed.pushTag(APP_TAG);
  const journey = mkdtempSync(join(root, 'journey-'));
  const artifacts = join(journey, 'artifacts');
  mkdirSync(artifacts);
  return { server, app: sampleApp(journey, server), artifacts, actHome: join(journey, 'act') };
}

export interface ActRun {
  code: number;
  output: string;
}

export interface ActOptions {
  /** `push` (the tag on HEAD) or `workflow_dispatch`. */
  event: 'push' | 'workflow_dispatch';
  workflow: 'release.yml' | 'build.yml' | 'test.yml';
  /** Only this job (a re-run of one job). */
  job?: string;
  inputs?: Record<string, string>;
  /** Prepended to PATH (a node of another version). */
  path?: string;
  /** Extra environment for the runner. */
  env?: Record<string, string>;
  /** act's log as JSON lines (with each step's execution time). */
  json?: boolean;
}

/** `--local-repository` pairs that resolve the suite (both refs composites use) from the published checkout. */
export function suiteRepositories(suite: string): string[] {
  return [`${SUITE}@v1=${suite}`, `${SUITE}@v${SUITE_VERSION}=${suite}`].flatMap((pair) => [
    '--local-repository',
    pair,
  ]);
}

/** act on the host (no containers), its output whatever the exit code. */
export function runAct(cwd: string, args: string[], path?: string): Promise<ActRun> {
  const env = { ...process.env, PATH: [path, process.env.PATH].filter(Boolean).join(':') };
  return new Promise((resolve, reject) => {
    execFile(
      act as string,
      ['-P', 'ubuntu-latest=-self-hosted', ...args],
      { cwd, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Runs a workflow of the sample app with act on the host, as Gitea's runner would run it. */
export function runJourney(
  journey: Journey,
  suite: string,
  services: Services,
  options: ActOptions,
): Promise<ActRun> {
  const { server } = journey;
  const pairs = (flag: string, values: Record<string, string>) =>
    Object.entries(values).flatMap(([name, value]) => [flag, `${name}=${value}`]);
  const args = [
    options.event,
    '-W',
    join('.gitea', 'workflows', options.workflow),
    '--action-cache-path',
    journey.actHome,
    ...suiteRepositories(suite),
    '--local-repository',
    `actions/upload-artifact@v3=${join(STAND_INS, 'upload-artifact')}`,
    ...(options.job ? ['-j', options.job] : []),
    ...(options.json ? ['--json'] : []),
    ...pairs('--input', options.inputs ?? {}),
    ...pairs('-s', {
      DEPLOY_TOKEN: server.token,
      REGISTRY_PASSWORD: services.docker.password,
    }),
    ...pairs('--var', {
      PYTHON_MIRROR: services.mirror.url,
      PIP_INDEX_URL: services.index.url,
      PYTHON_STANDALONE_URL: `${services.mirror.url}/standalone/`,
      REGISTRY: services.docker.registry,
      REGISTRY_USER: services.docker.username,
    }),
    ...pairs('--env', {
      ...forgeRunnerEnv(server),
      DOCKER_HOST: services.docker.dockerHost,
      E2E_ARTIFACTS: journey.artifacts,
      ...options.env,
    }),
  ];
  return runAct(journey.app, args, options.path);
}

/** A fresh scratch folder for one test file, removed by the returned function. */
export function scratch(name: string): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), `e2e-${name}-`));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A `node` that records its version and arguments each time it is run, then runs as `node`. */
export function recordingNode(dir: string, node: string, log: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'node'),
    `#!/bin/sh\necho "$("${node}" --version) $*" >> "${log}"\nexec "${node}" "$@"\n`,
    { mode: 0o755 },
  );
  return dir;
}
