import { group, InputError, log, registerSecret, runAction, writeSummary } from '@forge-actions/action-kit';
import {
  checkBuilderInputs,
  checkBuildInputs,
  checkImage,
  checkRegistry,
  creationTime,
  packageLinker,
  planImage,
  publishImage,
  sourceOfRun,
} from '@forge-actions/docker';
import { readForgeInputs } from '@forge-actions/forge';

await runAction(import.meta.url, async (inputs, runner) => {
  // Secrets first, before anything could print them: the password, the webhook URL (the URL is the
  // credential), the token, build secrets (every line, so even a malformed one is never shown), and any
  // user:password written into a URL input.
  const password = inputs.secret('password');
  const webhookUrl = inputs.secret('webhook-url');
  inputs.secret('token');
  for (const line of inputs.string('secrets').split('\n')) registerSecret(line);
  for (const name of ['webhook-url', 'server-url', 'api-url', 'registry']) inputs.urlText(name);

  // Every input is checked before docker runs.
  const registry = checkRegistry('registry', inputs.string('registry'));
  const image = checkImage('image', inputs.string('image').toLowerCase());
  const username = inputs.string('username');
  const version = inputs.string('version') || runner.tag;
  if (!version) throw new InputError('version', 'is required when the run is not for a tag');
  const push = inputs.boolean('push');
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
  const forgeInputs = () => ({ ...readForgeInputs(inputs), http: { timeoutMs } });
  const link = push ? await packageLinker(linkMode, forgeInputs, registry, image, log) : undefined;

  const result = await publishImage({
    plan,
    registry,
    username,
    password,
    build,
    builder,
    push,
    link,
    loginOptional: inputs.boolean('login-optional'),
    webhookUrl,
    webhookTimeout: inputs.positiveInt('webhook-timeout'),
    logger: log,
    group,
  });

  const outputs = {
    image: plan.repository,
    tags: result.built ? plan.refs.join('\n') : '',
    digest: result.digest,
    pushed: result.pushed,
    webhook: result.webhook,
    builder: result.builder,
    'package-link': result.link,
  };
  await writeSummary(
    `Docker image ${plan.repository}`,
    ['tag', result.pushed ? 'pushed' : 'built', 'digest'],
    [
      ...(result.built ? plan.tags : []).map((tag) => [tag, result.pushed ? 'yes' : 'no', result.digest]),
      ['builder', result.builder, ''],
      ['package link', result.link, ''],
      ['webhook', result.webhook, ''],
    ],
  );
  return outputs;
});
