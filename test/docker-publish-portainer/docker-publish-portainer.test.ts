// docker-publish-portainer through its bundle against a real dockerd (own socket), a real
// docker-registry with bcrypt htpasswd auth, and a Portainer-like webhook server on 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DockerWorld,
  startDockerWorld,
  startWebhookServer,
  type WebhookServer,
} from '@forge-actions/testing/docker-world';
import { forgeRunnerEnv } from '@forge-actions/testing/forge-env';
import { type RunResult, runAction } from '@forge-actions/testing/run-action';
import { requireTool } from '@forge-actions/testing/tools';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { type ForgeServer, startForgeServer } from '../../packages/forge-server/src/index.js';

const tools = ['docker', 'dockerd', 'docker-registry', 'htpasswd'].map((name) =>
  requireTool(name, 'docker-publish-portainer tests run a real daemon and registry'),
);
const suite = tools.every(Boolean) ? describe : describe.skip;
/**
 * Debian has no docker-buildx package and .ci/run installs none: the buildx tier runs where buildx is
 * there (and is skipped, not failed, where it is not); the fallback to docker build is tested everywhere.
 */
const buildx = tools.every(Boolean) && spawnSync('docker', ['buildx', 'version']).status === 0;

const SERVICE_TOKEN = 'svc-token-6c1f0e9a7b2d4c3e';
const STACK_UUID = 'stack-uuid-0d9b8f3e-1a2b-4c5d';
const SHA = '0123456789abcdef0123456789abcdef01234567';

suite('docker-publish-portainer', () => {
  let world: DockerWorld;
  let hooks: WebhookServer;
  let workspace: string;
  let home: string;

  beforeAll(async () => {
    [world, hooks] = await Promise.all([startDockerWorld(), startWebhookServer()]);
    workspace = mkdtempSync(join(tmpdir(), 'dpp-ws-'));
    home = mkdtempSync(join(tmpdir(), 'dpp-home-'));
    // The label shows the APP_VERSION build arg reached the build; FROM scratch needs no base image.
    writeFileSync(
      join(workspace, 'Dockerfile'),
      'FROM scratch\nARG APP_VERSION=0.0.0\nARG EXTRA=none\nLABEL app.version=$APP_VERSION app.extra=$EXTRA\nCOPY app.txt /app.txt\n',
    );
    writeFileSync(join(workspace, 'app.txt'), 'hello\n');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([world?.close(), hooks?.close()]);
    for (const dir of [workspace, home]) if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const serviceHook = () => `${hooks.base}/api/webhooks/${SERVICE_TOKEN}`;
  const stackHook = () => `${hooks.base}/api/stacks/webhooks/${STACK_UUID}`;

  function publish(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<RunResult> {
    return runAction('docker-publish-portainer', {
      cwd: workspace,
      inputs: { password: world.password, ...inputs },
      env: {
        HOME: home,
        DOCKER_HOST: world.dockerHost,
        GITHUB_SERVER_URL: `http://${world.registry}`,
        GITHUB_REPOSITORY: 'Owner/My-App',
        GITHUB_ACTOR: world.username,
        GITHUB_SHA: SHA,
        GITHUB_REF: 'refs/tags/v1.2.0',
        GITHUB_REF_NAME: 'v1.2.0',
        GITHUB_REF_TYPE: 'tag',
        ...env,
      },
    });
  }

  /** The manifest digest the registry serves for a tag (the registry's own API, HEAD). */
  async function registryDigest(tag: string): Promise<string> {
    const auth = Buffer.from(`${world.username}:${world.password}`).toString('base64');
    const response = await fetch(`http://${world.registry}/v2/owner/my-app/manifests/${tag}`, {
      method: 'HEAD',
      headers: {
        authorization: `Basic ${auth}`,
        accept:
          'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
      },
    });
    return response.headers.get('docker-content-digest') ?? `(${response.status})`;
  }

  /** Tags the registry holds for the image, asked with the registry's own API. */
  async function registryTags(): Promise<string[]> {
    const auth = Buffer.from(`${world.username}:${world.password}`).toString('base64');
    const response = await fetch(`http://${world.registry}/v2/owner/my-app/tags/list`, {
      headers: { authorization: `Basic ${auth}` },
    });
    if (response.status === 404) return [];
    const body = (await response.json()) as { tags: string[] | null };
    return [...(body.tags ?? [])].sort();
  }

  function inspect(ref: string): { labels: Record<string, string>; repoDigests: string[] } {
    const [labels, digests] = world
      .docker(['image', 'inspect', '--format', '{{json .Config.Labels}}\t{{json .RepoDigests}}', ref])
      .trim()
      .split('\t');
    return { labels: JSON.parse(labels), repoDigests: JSON.parse(digests) };
  }

  function expectNoLeaks(r: RunResult, ...secrets: string[]): void {
    // ::add-mask:: lines are the runner's masking protocol: the runner consumes them, never shows them.
    const shown = r.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const secret of [world.password, ...secrets]) {
      expect(shown).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
      expect(r.summary).not.toContain(secret);
    }
    // Credentials lived in a private DOCKER_CONFIG under RUNNER_TEMP, removed afterwards.
    expect(existsSync(join(home, '.docker'))).toBe(false);
    expect(readdirSync(r.runnerTemp).filter((name) => name.startsWith('docker-config-'))).toEqual([]);
  }

  test('a stable tag pushes the seed tag set (v1.2.0, 1.2.0, latest) sharing one digest, with labels and the webhook', async () => {
    hooks.status = 204;
    const r = await publish({ 'webhook-url': serviceHook() });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    const image = `${world.registry}/owner/my-app`;
    expect(r.outputs).toMatchObject({
      image,
      pushed: 'true',
      webhook: 'ok',
      builder: buildx ? 'buildx' : 'docker',
    });
    expect(r.stdout).toContain(`Builder: ${buildx ? 'docker buildx build' : 'docker build'} (builder: auto)`);
    expect(r.outputs.tags.split('\n')).toEqual([`${image}:v1.2.0`, `${image}:1.2.0`, `${image}:latest`]);
    expect(r.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryTags()).toEqual(['1.2.0', 'latest', 'v1.2.0']);
    for (const tag of ['v1.2.0', '1.2.0', 'latest']) expect(await registryDigest(tag)).toBe(r.outputs.digest);
    // The summary lists every tag pushed with the digest, and which builder ran.
    expect(r.summary).toContain(`| v1.2.0 | yes | ${r.outputs.digest} |`);
    expect(r.summary).toContain(`| builder | ${r.outputs.builder} |`);

    const { labels, repoDigests } = inspect(`${image}:1.2.0`);
    expect(repoDigests).toContain(`${image}@${r.outputs.digest}`);
    expect(labels).toMatchObject({
      'app.version': '1.2.0',
      'app.extra': 'none',
      'org.opencontainers.image.version': '1.2.0',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': `http://${world.registry}/Owner/My-App`,
    });
    expect(labels['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    expect(hooks.calls).toEqual([{ method: 'POST', url: `/api/webhooks/${SERVICE_TOKEN}` }]);
    expectNoLeaks(r, SERVICE_TOKEN);
  });

  test('a pre-release moves neither latest nor a floating tag; extra tags, build args and labels apply; a 202 stack webhook is ok', async () => {
    hooks.status = 202;
    hooks.calls.length = 0;
    const stable = await publish({ 'tag-major': 'true', 'tag-minor': 'true' });
    expect(stable.outputs.tags.split('\n').map((ref) => ref.split(':').at(-1))).toEqual([
      'v1.2.0',
      '1.2.0',
      '1',
      '1.2',
      'latest',
    ]);
    const followed = ['latest', '1', '1.2'];
    const before = await Promise.all(followed.map(registryDigest));
    expect(before).toEqual(followed.map(() => stable.outputs.digest));
    const r = await publish(
      {
        version: 'v1.3.0-rc.1',
        'tag-major': 'true',
        'tag-minor': 'true',
        tags: 'edge',
        'build-args': 'EXTRA=given',
        labels: 'org.example.team=desktop',
        'webhook-url': stackHook(),
      },
      { SOURCE_DATE_EPOCH: '1700000000' },
    );
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ pushed: 'true', webhook: 'ok' });
    const image = `${world.registry}/owner/my-app`;
    expect(r.outputs.tags.split('\n')).toEqual([
      `${image}:v1.3.0-rc.1`,
      `${image}:1.3.0-rc.1`,
      `${image}:edge`,
    ]);
    expect(await registryTags()).toEqual([
      '1',
      '1.2',
      '1.2.0',
      '1.3.0-rc.1',
      'edge',
      'latest',
      'v1.2.0',
      'v1.3.0-rc.1',
    ]);
    // latest and the floating tags still name the stable image.
    expect(await Promise.all(followed.map(registryDigest))).toEqual(before);
    expect(await registryDigest('1.3.0-rc.1')).not.toBe(stable.outputs.digest);
    const { labels } = inspect(`${image}:1.3.0-rc.1`);
    expect(labels).toMatchObject({
      'app.version': '1.3.0-rc.1',
      'app.extra': 'given',
      'org.example.team': 'desktop',
      'org.opencontainers.image.version': '1.3.0-rc.1',
      'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
    });
    expect(hooks.calls).toEqual([{ method: 'POST', url: `/api/stacks/webhooks/${STACK_UUID}` }]);
    expectNoLeaks(r, STACK_UUID);
  });

  test.each([
    ['HTTP 500', 500, 'it answered HTTP 500'],
    ['HTTP 409', 409, 'a deploy is already running'],
    ['no answer', 0, 'no answer within 1 s'],
  ])('a webhook with %s warns with webhook=failed but the push stands', async (_label, status, words) => {
    hooks.status = status;
    hooks.calls.length = 0;
    const r = await publish({
      version: '1.2.1',
      latest: 'false',
      'webhook-url': stackHook(),
      'webhook-timeout': '1',
    });
    expect(r.code).toBe(0);
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ pushed: 'true', webhook: 'failed' });
    expect(r.warnings.join('\n')).toContain(words);
    expect(hooks.calls).toHaveLength(1);
    expectNoLeaks(r, STACK_UUID);
  });

  test('without webhook-url the webhook is skipped', async () => {
    hooks.calls.length = 0;
    const r = await publish({ version: '1.2.2', latest: 'false' });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ pushed: 'true', webhook: 'skipped' });
    expect(hooks.calls).toEqual([]);
  });

  test('push false builds the image locally without logging in or pushing', async () => {
    hooks.calls.length = 0;
    const r = await publish({ version: '3.0.0', push: 'false', password: '', 'webhook-url': serviceHook() });
    expect(r.code).toBe(0);
    expect(r.errors).toEqual([]);
    const image = `${world.registry}/owner/my-app`;
    expect(r.outputs).toMatchObject({ pushed: 'false', webhook: 'skipped', digest: '' });
    expect(r.outputs.tags.split('\n')).toEqual([`${image}:3.0.0`, `${image}:latest`]);
    expect(r.outputs['package-link']).toBe('skipped');
    expect(inspect(`${image}:3.0.0`).labels['app.version']).toBe('3.0.0');
    expect(await registryTags()).not.toContain('3.0.0');
    expect(hooks.calls).toEqual([]);
  });

  test('a refused login with login-optional warns, builds nothing and pushes nothing', async () => {
    hooks.calls.length = 0;
    const r = await publish({
      version: '7.7.7',
      password: 'wrong-password-123',
      'webhook-url': serviceHook(),
    });
    expect(r.code).toBe(0);
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(
      /Login to 127\.0\.0\.1:\d+ as ci-bot failed.*skipping build and push/,
    );
    expect(r.outputs).toMatchObject({ pushed: 'false', webhook: 'skipped', digest: '', tags: '' });
    expect(() => world.docker(['image', 'inspect', `${world.registry}/owner/my-app:7.7.7`])).toThrow();
    expect(await registryTags()).not.toContain('7.7.7');
    expect(hooks.calls).toEqual([]);
    expectNoLeaks(r, 'wrong-password-123', SERVICE_TOKEN);
  });

  test('a refused login without login-optional fails the step', async () => {
    const r = await publish({ version: '7.7.8', password: 'wrong-password-123', 'login-optional': 'false' });
    expect(r.code).toBe(1);
    expect(r.errors.join('\n')).toMatch(/Login to 127\.0\.0\.1:\d+ as ci-bot failed/);
    expect(r.outputs.pushed).not.toBe('true');
  });

  test.each([
    ['image', { image: 'Owner/bad image!' }],
    ['tags', { tags: 'ok\nbad tag!' }],
    ['latest', { latest: 'sometimes' }],
    ['build-args', { 'build-args': 'A=1\nNOEQUALS' }],
    ['webhook-url', { 'webhook-url': `ftp://127.0.0.1/${SERVICE_TOKEN}` }],
    ['version', { version: '1.2.3 oops' }],
    ['registry', { registry: 'https://host/with/path' }],
    ['webhook-timeout', { 'webhook-timeout': '0' }],
    ['platforms', { builder: 'docker', platforms: 'linux/arm64' }],
    ['tags', { tags: 'build-{branch}' }],
    ['builder', { builder: 'kaniko' }],
    ['link-package', { 'link-package': 'maybe' }],
  ])('bad input %s fails with one line naming it, before docker runs', async (name, inputs) => {
    hooks.calls.length = 0;
    // A daemon that does not exist: had docker run, the error would be about it instead.
    const r = await publish(inputs, { DOCKER_HOST: `unix://${join(world.root, 'nowhere.sock')}` });
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(`Input '${name}'`);
    expect(hooks.calls).toEqual([]);
    expectNoLeaks(r, SERVICE_TOKEN);
  });

  describe('link-package against the local forge server (Gitea flavour)', () => {
    let forge: ForgeServer;
    const linkEnv = (server: ForgeServer) => ({
      ...forgeRunnerEnv(server),
      GITHUB_REPOSITORY: 'Owner/My-App',
    });
    const linkInputs = (token: string) => ({
      version: '1.2.0',
      registry: world.registry,
      'link-package': 'true',
      token,
    });
    afterEach(async () => {
      await forge?.close();
    });

    test('links the pushed package to the repository once; a second run finds it linked', async () => {
      forge = await startForgeServer({ flavour: 'gitea', repos: ['Owner/My-App'] });
      forge.seed.addPackage({ owner: 'Owner', type: 'container', name: 'my-app', version: '1.2.0' });
      const first = await publish(linkInputs(forge.token), linkEnv(forge));
      expect(first.errors).toEqual([]);
      expect(first.outputs).toMatchObject({ pushed: 'true', 'package-link': 'linked' });
      expect(forge.state.packages()).toEqual([
        expect.objectContaining({ name: 'my-app', repo: 'Owner/My-App' }),
      ]);
      const again = await publish(linkInputs(forge.token), linkEnv(forge));
      expect(again.outputs['package-link']).toBe('already-linked');
      expect(forge.requests.filter((r) => r.method === 'POST' && r.path.includes('/-/link/'))).toHaveLength(
        1,
      );
      expectNoLeaks(again, forge.token);
    });

    test("auto links only for the forge's own registry: another registry is left alone with a note", async () => {
      forge = await startForgeServer({ flavour: 'gitea', repos: ['Owner/My-App'] });
      forge.seed.addPackage({ owner: 'Owner', type: 'container', name: 'my-app', version: '1.2.0' });
      const r = await publish({ ...linkInputs(forge.token), 'link-package': 'auto' }, linkEnv(forge));
      expect(r.code).toBe(0);
      expect(r.outputs['package-link']).toBe('skipped');
      expect(r.stdout).toContain(
        `${world.registry} is not the registry of ${forge.url}: the package is not linked`,
      );
      expect(forge.state.packages()[0].repo).toBeUndefined();
    });

    test('a token without write access warns naming the scope; the push stands', async () => {
      forge = await startForgeServer({
        flavour: 'gitea',
        repos: ['Owner/My-App'],
        tokens: { 'read-only-token-1': { scopes: 'read' } },
      });
      forge.seed.addPackage({ owner: 'Owner', type: 'container', name: 'my-app', version: '1.2.0' });
      const r = await publish(linkInputs('read-only-token-1'), linkEnv(forge));
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ pushed: 'true', 'package-link': 'failed' });
      expect(r.warnings.join('\n')).toContain('it needs the write:package scope');
      expectNoLeaks(r, 'read-only-token-1');
    });

    test('a Gitea before 1.24 has no link API: a note, nothing asked', async () => {
      forge = await startForgeServer({ flavour: 'gitea', giteaVersion: '1.23.8', repos: ['Owner/My-App'] });
      const r = await publish(linkInputs(forge.token), linkEnv(forge));
      expect(r.code).toBe(0);
      expect(r.outputs['package-link']).toBe('skipped');
      expect(r.stdout).toContain('(1.23.8) has no API to link packages (Gitea 1.24 added it)');
      expect(forge.requests.filter((q) => q.path.includes('/packages/'))).toEqual([]);
    });

    test('hardening 3: a server-url with user:password, through a whole run with the forge and dockerd, shows them nowhere', async () => {
      forge = await startForgeServer({ flavour: 'gitea', repos: ['Owner/My-App'] });
      const password = 'srv-pa55-Secret7';
      const serverUrl = new URL(forge.url);
      serverUrl.username = 'ci-bot';
      serverUrl.password = password;
      const r = await publish(
        { ...linkInputs(forge.token), 'link-package': 'auto', 'server-url': serverUrl.href },
        linkEnv(forge),
      );
      // Whether the forge code refuses such a URL or goes on without its credentials, they stay hidden.
      if (r.code !== 0) expect(r.errors).toEqual([expect.stringContaining("Input 'server-url'")]);
      expectNoLeaks(r, password, forge.token);
    });

    test('link-package: true on GitHub is a mistake in the inputs, found before docker runs', async () => {
      forge = await startForgeServer({ flavour: 'github', repos: ['Owner/My-App'] });
      const r = await publish(linkInputs(forge.token), {
        ...linkEnv(forge),
        DOCKER_HOST: `unix://${join(world.root, 'nowhere.sock')}`,
      });
      expect(r.code).toBe(1);
      expect(r.errors).toEqual([
        "Input 'link-package' is true, but linking packages applies to Gitea and Forgejo only (this is GitHub)",
      ]);
    });
  });

  (buildx ? test : test.skip)(
    'buildx: one build pushes every tag, without attestations by default',
    async () => {
      const r = await publish({ version: '4.0.0', builder: 'buildx', latest: 'false' });
      expect(r.errors).toEqual([]);
      expect(r.outputs).toMatchObject({ builder: 'buildx', pushed: 'true' });
      for (const tag of ['4.0.0']) expect(await registryDigest(tag)).toBe(r.outputs.digest);
    },
  );

  (buildx ? test.skip : test)(
    'builder: buildx on a runner without buildx fails with what to do',
    async () => {
      const r = await publish({ version: '4.0.1', builder: 'buildx' });
      expect(r.code).toBe(1);
      expect(r.errors).toEqual([
        expect.stringMatching(
          /^'builder' is buildx, but `docker buildx version` fails on this runner: install buildx/,
        ),
      ]);
      expect(await registryTags()).not.toContain('4.0.1');
    },
  );

  test('a run not for a tag needs a version', async () => {
    const r = await publish(
      {},
      { GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' },
    );
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringContaining("Input 'version' is required")]);
  });

  test.each([
    ['context', { context: '--file=/etc/passwd' }],
    ['context', { context: '-' }],
    ['context', { context: '..' }],
    ['dockerfile', { dockerfile: '--x' }],
    ['dockerfile', { dockerfile: '/etc/passwd' }],
    ['dockerfile', { dockerfile: '-' }],
    ['target', { target: '--file=/etc/passwd' }],
    ['labels', { labels: 'org.example.ok=1\nmy label=x' }],
    ['build-args', { 'build-args': 'MY ARG=1' }],
    ['secrets', { secrets: '../../escape=v4lue-123' }],
  ])(
    'hardening 17: %s %j that could pass as a docker option or leave the workspace fails naming it, before docker runs',
    async (name, inputs) => {
      // A daemon that does not exist: had docker run, the error would be about it instead.
      const r = await publish(inputs, { DOCKER_HOST: `unix://${join(world.root, 'nowhere.sock')}` });
      expect(r.code).toBe(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toContain(`Input '${name}'`);
      expectNoLeaks(r);
    },
  );

  test('hardening 17: a context folder and a Dockerfile named like options (-ctx, -Dockerfile) build as paths', async () => {
    const folder = join(workspace, '-ctx');
    mkdirSync(folder, { recursive: true });
    try {
      writeFileSync(
        join(folder, '-Dockerfile'),
        'FROM scratch\nARG APP_VERSION\nLABEL app.version=$APP_VERSION\nCOPY app.txt /app.txt\n',
      );
      writeFileSync(join(folder, 'app.txt'), 'from -ctx\n');
      const r = await publish({
        version: '5.0.0',
        push: 'false',
        context: '-ctx',
        dockerfile: '-ctx/-Dockerfile',
      });
      expect(r.errors).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ pushed: 'false', builder: buildx ? 'buildx' : 'docker' });
      expect(inspect(`${world.registry}/owner/my-app:5.0.0`).labels['app.version']).toBe('5.0.0');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  const URL_PASSWORD = 'url-pa55-Secret9';
  const LINK_TOKEN = 'link-token-4e5f6a7b';
  test.each([
    [
      'server-url',
      {
        'link-package': 'true',
        token: LINK_TOKEN,
        'server-url': `http://ci-bot:${URL_PASSWORD}@127.0.0.1:99999/`,
      },
    ],
    [
      'api-url',
      {
        'link-package': 'true',
        token: LINK_TOKEN,
        'api-url': `http://ci-bot:${URL_PASSWORD}@127.0.0.1:99999/api/v1`,
      },
    ],
    ['registry', { registry: `https://ci-bot:${URL_PASSWORD}@127.0.0.1:5000` }],
    ['registry', { registry: `ci-bot:${URL_PASSWORD}@127.0.0.1:5000` }],
  ])('hardening 3: user:password in %s %j shows in no log line, summary or error', async (name, inputs) => {
    const r = await publish(inputs, { DOCKER_HOST: `unix://${join(world.root, 'nowhere.sock')}` });
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(`Input '${name}'`);
    expectNoLeaks(r, URL_PASSWORD, LINK_TOKEN);
  });

  test('hardening 3: a secrets line without id= is refused naming the input, without showing the value', async () => {
    const r = await publish(
      { builder: 'auto', secrets: 'pip_token=first-S3cret-value\nsecond-S3cret-value' },
      { DOCKER_HOST: `unix://${join(world.root, 'nowhere.sock')}` },
    );
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringContaining("Input 'secrets' line 2 must be KEY=VALUE")]);
    expectNoLeaks(r, 'first-S3cret-value', 'second-S3cret-value');
  });
});
