// docker-publish-portainer's inputs, read once: secrets registered first, every input checked before docker
// runs, and the action's outputs and summary from what publishImage did.
import type { InputReader, Runner } from '@forge-actions/action-kit/contract';
import { InputError } from '@forge-actions/action-kit/errors';
import { readForgeInputs } from '@forge-actions/forge';
import { checkBuilderInputs, checkBuildInputs } from './builder.js';
import type { LinkMode } from './link-package.js';
import { creationTime, type ImagePlan, planImage, sourceOfRun } from './plan.js';
import type { PublishOptions, PublishResult } from './publish.js';
import { checkImage, checkRegistry } from './reference.js';

export interface PublishRequest extends Omit<PublishOptions, 'link' | 'logger' | 'group'> {
  /** The image's name without the registry (owner/name), for the package link. */
  image: string;
  linkMode: LinkMode;
  /** The forge connection for the package link, read only when a link is attempted. */
  forgeInputs: () => ReturnType<typeof readForgeInputs> & { http: { timeoutMs: number } };
}

export function readPublishRequest(
  inputs: InputReader,
  runner: Runner,
  registerSecret: (value: string) => void,
): PublishRequest {
  // Secrets first, before anything could print them: the password, the webhook URL (the URL is the
  // credential), the token, build secrets (every line, so even a malformed one is never shown), and any
  // user:password written into a URL input.
  const password = inputs.secret('password');
  const webhookUrl = inputs.secret('webhook-url');
  inputs.secret('token');
  for (const line of inputs.string('secrets').split('\n')) registerSecret(line);
  for (const name of ['webhook-url', 'server-url', 'api-url', 'registry']) inputs.urlText(name);

  const registry = checkRegistry('registry', inputs.string('registry'));
  const image = checkImage('image', inputs.string('image').toLowerCase());
  const version = inputs.string('version') || runner.tag;
  if (!version) throw new InputError('version', 'is required when the run is not for a tag');
  if (webhookUrl) inputs.url('webhook-url'); // http(s) only; the error never echoes the value
  const builder = inputs.enum('builder', ['auto', 'docker', 'buildx'] as const);
  const secrets = inputs.keyValues('secrets');
  for (const [, value] of secrets) registerSecret(value);
  const buildx = {
    platforms: inputs.list('platforms', { commas: true }),
    cacheFrom: inputs.list('cache-from'),
    cacheTo: inputs.list('cache-to'),
    secrets,
    provenance: inputs.boolean('provenance'),
    sbom: inputs.boolean('sbom'),
  };
  checkBuilderInputs(builder, buildx);
  // Context and Dockerfile become absolute paths inside the workspace: nothing docker could take as an option.
  const build = checkBuildInputs(
    {
      context: inputs.string('context'),
      dockerfile: inputs.string('dockerfile'),
      target: inputs.string('target'),
      buildx,
    },
    runner.workspace,
  );
  const plan = planImage({
    registry,
    image,
    version,
    extraTags: inputs.list('tags', { commas: true }),
    latest: inputs.enum('latest', ['auto', 'true', 'false'] as const),
    floating: { major: inputs.boolean('tag-major'), minor: inputs.boolean('tag-minor') },
    shaTag: inputs.boolean('tag-sha'),
    buildArgs: inputs.keyValues('build-args'),
    labels: inputs.keyValues('labels'),
    revision: runner.sha || undefined,
    source: sourceOfRun(runner.serverUrl, runner.repository),
    created: creationTime(),
  });
  const linkMode = inputs.enum('link-package', ['auto', 'true', 'false'] as const);
  const timeoutMs = inputs.positiveInt('request-timeout') * 1000;
  return {
    plan,
    registry,
    username: inputs.string('username'),
    password,
    build,
    builder,
    push: inputs.boolean('push'),
    loginOptional: inputs.boolean('login-optional'),
    webhookUrl,
    webhookTimeout: inputs.positiveInt('webhook-timeout'),
    image,
    linkMode,
    forgeInputs: () => ({ ...readForgeInputs(inputs), http: { timeoutMs } }),
  };
}

/** The action's outputs. */
export function publishOutputs(plan: ImagePlan, result: PublishResult) {
  return {
    image: plan.repository,
    tags: result.built ? plan.refs.join('\n') : '',
    digest: result.digest,
    pushed: result.pushed,
    webhook: result.webhook,
    builder: result.builder,
    'package-link': result.link,
  };
}

/** The step summary: title, header and rows. */
export function publishSummary(plan: ImagePlan, result: PublishResult): [string, string[], string[][]] {
  return [
    `Docker image ${plan.repository}`,
    ['tag', result.pushed ? 'pushed' : 'built', 'digest'],
    [
      ...(result.built ? plan.tags : []).map((tag) => [tag, result.pushed ? 'yes' : 'no', result.digest]),
      ['builder', result.builder, ''],
      ['package link', result.link, ''],
      ['webhook', result.webhook, ''],
    ],
  ];
}
