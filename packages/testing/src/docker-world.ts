// Real Docker for the docker-publish-portainer tests: a private dockerd on its own socket, a
// docker-registry with htpasswd (bcrypt) auth on 127.0.0.1, and a Portainer-like webhook server.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Resolves when a line of the child's output matches; rejects when it exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const onExit = (code: number | null) =>
      reject(new Error(`${what} exited (${code}) before it was ready:\n${seen.slice(-20).join('\n')}`));
    child.once('exit', onExit);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        seen.push(line);
        if (pattern.test(line)) {
          child.off('exit', onExit);
          resolve();
        }
      });
    }
  });
}

/** Sends SIGTERM and waits for the exit (SIGKILL if it has not gone after a while). */
function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface DockerWorld {
  root: string;
  dockerHost: string;
  registry: string;
  username: string;
  password: string;
  /** docker against the private daemon (no credentials in its config). */
  docker(args: string[]): string;
  close(): Promise<void>;
}

/** Starts dockerd and the registry; `close()` stops both and removes their folders. */
export async function startDockerWorld(): Promise<DockerWorld> {
  // Short path: the daemon's unix sockets must stay under 108 bytes.
  const root = mkdtempSync('/tmp/dpp-');
  const socket = join(root, 'docker.sock');
  let dockerd: ChildProcess | undefined;
  let registry: ChildProcess | undefined;
  const close = async () => {
    await Promise.all([stop(registry), stop(dockerd)]);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    dockerd = spawn(
      'dockerd',
      [
        '--host',
        `unix://${socket}`,
        '--data-root',
        join(root, 'data'),
        '--exec-root',
        join(root, 'exec'),
        '--pidfile',
        join(root, 'dockerd.pid'),
        '--storage-driver=vfs',
        '--iptables=false',
        '--bridge=none',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const dockerReady = waitForLine(dockerd, /API listen on/, 'dockerd');

    const username = 'ci-bot';
    const password = 'registry-pa55word-XYZ';
    const htpasswd = execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' });
    writeFileSync(join(root, 'htpasswd'), htpasswd);
    mkdirSync(join(root, 'registry'));
    const port = await freePort();
    writeFileSync(
      join(root, 'registry.yml'),
      [
        'version: 0.1',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${join(root, 'registry')}`,
        'http:',
        `  addr: 127.0.0.1:${port}`,
        'auth:',
        '  htpasswd:',
        '    realm: test-registry',
        `    path: ${join(root, 'htpasswd')}`,
        '',
      ].join('\n'),
    );
    registry = spawn('docker-registry', ['serve', join(root, 'registry.yml')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await Promise.all([dockerReady, waitForLine(registry, /listening on/, 'docker-registry')]);

    const dockerHost = `unix://${socket}`;
    const config = join(root, 'client-config');
    mkdirSync(config);
    return {
      root,
      dockerHost,
      registry: `127.0.0.1:${port}`,
      username,
      password,
      docker: (args) =>
        execFileSync('docker', args, {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONFIG: config },
        }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface WebhookCall {
  method: string;
  url: string;
}

export interface WebhookServer {
  /** Base URL; the path is the token, e.g. `${base}/api/webhooks/<token>`. */
  base: string;
  calls: WebhookCall[];
  /** The status the next calls get (204 by default; 202 answers with JSON as current Portainer does; 0 never answers). */
  status: number;
  close(): Promise<void>;
}

export async function startWebhookServer(): Promise<WebhookServer> {
  const state = { status: 204 };
  const calls: WebhookCall[] = [];
  const server: Server = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => {
      calls.push({ method: request.method ?? '', url: request.url ?? '' });
      if (state.status === 0) return; // never answers (a hung Portainer); close() cuts the connection
      if (state.status === 202) {
        response.writeHead(202, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'deploy scheduled' }));
      } else if (state.status === 409) {
        response.writeHead(409, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'a deployment is already running' }));
      } else {
        response.writeHead(state.status);
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    calls,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
