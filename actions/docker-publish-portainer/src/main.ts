import { group, InputError, log, runAction, writeSummary } from '@forge-actions/action-kit';
import {
  checkImage,
  checkRegistry,
  creationTime,
  isWebhookUrl,
  planImage,
  publishImage,
} from '@forge-actions/docker';

await runAction(import.meta.url, async (inputs) => {
  // Every input is checked before docker runs.
  const registry = checkRegistry('registry', inputs.string('registry'));
  const image = checkImage('image', inputs.string('image').toLowerCase());
  const username = inputs.string('username');
  const password = inputs.secret('password');
  const context = inputs.string('context');
  const dockerfile = inputs.string('dockerfile');
  const version = inputs.string('version') || tagOfRun();
  if (!version) throw new InputError('version', 'is required when the run is not for a tag');
  const latest = inputs.enum('latest', ['auto', 'true', 'false'] as const);
  const extraTags = inputs.list('tags', { commas: true });
  const buildArgs = inputs.keyValues('build-args');
  const labels = inputs.keyValues('labels');
  const push = inputs.boolean('push');
  const loginOptional = inputs.boolean('login-optional');
  const webhookUrl = inputs.secret('webhook-url');
  if (webhookUrl && !isWebhookUrl(webhookUrl)) {
    throw new InputError('webhook-url', 'must be an http:// or https:// URL');
  }
  const webhookTimeout = inputs.positiveInt('webhook-timeout');

  const env = process.env;
  const plan = planImage({
    registry,
    image,
    version,
    extraTags,
    latest,
    buildArgs,
    labels,
    revision: env.GITHUB_SHA,
    source:
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY
        ? `${env.GITHUB_SERVER_URL.replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`
        : undefined,
    created: creationTime(),
  });

  const result = await publishImage({
    plan,
    registry,
    username,
    password,
    context,
    dockerfile,
    push,
    loginOptional,
    webhookUrl,
    webhookTimeout,
    logger: log,
    group,
  });

  const outputs = {
    image: plan.repository,
    tags: result.built ? plan.refs.join('\n') : '',
    digest: result.digest,
    pushed: result.pushed,
    webhook: result.webhook,
  };
  await writeSummary(
    'Docker image',
    ['output', 'value'],
    Object.entries(outputs).map(([name, value]): [string, string] => [
      name,
      String(value).replace(/\n/g, ', '),
    ]),
  );
  return outputs;
});

/** The tag name when the run is for a tag ref. */
function tagOfRun(): string {
  const ref = process.env.GITHUB_REF ?? '';
  if (ref.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length);
  return process.env.GITHUB_REF_TYPE === 'tag' ? (process.env.GITHUB_REF_NAME ?? '') : '';
}
