// Login → build → push → webhook, as the seed's workflow does it, in one step: a failed login may
// degrade to "nothing published" (login-optional), a failed webhook only warns.
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { DockerCli } from './cli.js';
import type { ImagePlan } from './plan.js';
import { triggerWebhook, type WebhookResult } from './webhook.js';

export interface PublishOptions {
  plan: ImagePlan;
  registry: string;
  username: string;
  password: string;
  context: string;
  dockerfile: string;
  push: boolean;
  loginOptional: boolean;
  webhookUrl: string;
  webhookTimeout: number;
  logger: Logger;
  /** Runs a phase in a log group (the kit's `group`). */
  group: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export interface PublishResult {
  built: boolean;
  pushed: boolean;
  digest: string;
  webhook: WebhookResult;
}

const DIGEST = /digest: (sha256:[0-9a-f]{64})/;

export async function publishImage(options: PublishOptions): Promise<PublishResult> {
  const { plan, logger, group } = options;
  const docker = new DockerCli(logger);
  try {
    if (options.push) {
      const failure = await group(`Log in to ${options.registry}`, () => login(docker, options));
      if (failure) {
        if (!options.loginOptional) throw new ActionError(failure);
        logger.warning(`${failure}; skipping build and push (login-optional)`);
        return { built: false, pushed: false, digest: '', webhook: 'skipped' };
      }
    }

    await group(`Build ${plan.refs[0]}`, () => docker.run(buildArgs(options), 'docker build'));

    if (!options.push) {
      logger.info('push is false: the image was built but not pushed');
      return { built: true, pushed: false, digest: '', webhook: 'skipped' };
    }

    const digest = await group(`Push ${plan.repository}`, async () => {
      let found = '';
      for (const ref of plan.refs) {
        const result = await docker.run(['push', ref], `docker push ${ref}`);
        found ||= result.stdout.map((line) => DIGEST.exec(line)?.[1]).find(Boolean) ?? '';
      }
      return found || (await inspectDigest(docker, plan.refs[0]));
    });

    let webhook: WebhookResult = 'skipped';
    if (options.webhookUrl) {
      webhook = await group('Trigger the Portainer webhook', () =>
        triggerWebhook(options.webhookUrl, options.webhookTimeout, logger),
      );
    } else {
      logger.info('No webhook-url: skipping the Portainer redeploy');
    }
    return { built: true, pushed: true, digest, webhook };
  } finally {
    docker.cleanup();
  }
}

/** Undefined on success, else one line saying why (no password, or docker's own words). */
async function login(docker: DockerCli, options: PublishOptions): Promise<string | undefined> {
  const where = `Login to ${options.registry} as ${options.username || '(no user)'}`;
  if (!options.username) return `${where} failed: no username`;
  if (!options.password) return `${where} failed: no password given`;
  const result = await docker.login(options.registry, options.username, options.password);
  if (result.code === 0) {
    options.logger.info(`Logged in to ${options.registry}`);
    return undefined;
  }
  const detail = result.stderr
    .filter((line) => !/^WARNING/i.test(line))
    .slice(-2)
    .join(' ')
    .trim();
  return `${where} failed${detail ? `: ${detail}` : ''}`;
}

function buildArgs(options: PublishOptions): string[] {
  const args = ['build'];
  if (options.dockerfile) args.push('--file', options.dockerfile);
  for (const [key, value] of options.plan.buildArgs) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of options.plan.labels) args.push('--label', `${key}=${value}`);
  for (const ref of options.plan.refs) args.push('--tag', ref);
  args.push(options.context);
  return args;
}

/** The pushed digest from the image's RepoDigests (`name@sha256:...`), when push printed none. */
async function inspectDigest(docker: DockerCli, ref: string): Promise<string> {
  const result = await docker.tryRun(['inspect', '--format', '{{index .RepoDigests 0}}', ref], true);
  const line = result.code === 0 ? (result.stdout[0] ?? '') : '';
  return line.includes('@') ? line.slice(line.indexOf('@') + 1) : '';
}
