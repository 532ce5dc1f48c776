import { group, InputError, log, registerSecret, runAction, writeSummary } from '@forge-actions/action-kit';
import {
  checkBuilderInputs,
  checkImage,
  checkRegistry,
  creationTime,
  isWebhookUrl,
  packageLinker,
  planImage,
  publishImage,
} from '@forge-actions/docker';
import { readForgeInputs } from '@forge-actions/forge';

await runAction(import.meta.url, async (inputs) => {
  // Every input is checked before docker runs.
  const registry = checkRegistry('registry', inputs.string('registry'));
  const image = checkImage('image', inputs.string('image').toLowerCase());
  const username = inputs.string('username');
  const password = inputs.secret('password');
  const version = inputs.string('version') || tagOfRun();
  if (!version) throw new InputError('version', 'is required when the run is not for a tag');
  const push = inputs.boolean('push');
  const webhookUrl = inputs.secret('webhook-url');
  if (webhookUrl && !isWebhookUrl(webhookUrl)) {
    throw new InputError('webhook-url', 'must be an http:// or https:// URL');
  }
  const builder = inputs.enum('builder', ['auto', 'docker', 'buildx'] as const);
  const build = {
    context: inputs.string('context'),
    dockerfile: inputs.string('dockerfile'),
    target: inputs.string('target'),
    buildx: {
      platforms: inputs.list('platforms', { commas: true }),
      cacheFrom: inputs.list('cache-from'),
      cacheTo: inputs.list('cache-to'),
      secrets: inputs.keyValues('secrets'),
      provenance: inputs.boolean('provenance'),
      sbom: inputs.boolean('sbom'),
    },
  };
  checkBuilderInputs(builder, build.buildx);
  for (const [, value] of build.buildx.secrets) registerSecret(value);

  const env = process.env;
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
    revision: env.GITHUB_SHA,
    source:
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY
        ? `${env.GITHUB_SERVER_URL.replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`
        : undefined,
    created: creationTime(),
  });
  const linkMode = inputs.enum('link-package', ['auto', 'true', 'false'] as const);
  const link = push
    ? await packageLinker(linkMode, () => readForgeInputs(inputs), registry, image, log)
    : undefined;

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

/** The tag name when the run is for a tag ref. */
function tagOfRun(): string {
  const ref = process.env.GITHUB_REF ?? '';
  if (ref.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length);
  return process.env.GITHUB_REF_TYPE === 'tag' ? (process.env.GITHUB_REF_NAME ?? '') : '';
}
