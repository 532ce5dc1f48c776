// Login → build → push → link the package → webhook, as the seed's workflow does it, in one step: a
// failed login may degrade to "nothing published" (login-optional); a failed link or webhook only warns.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import {
  type Builder,
  type BuilderChoice,
  type BuildInputs,
  buildxBuildArgs,
  chooseBuilder,
  dockerBuildArgs,
} from './builder.js';
import { DockerCli } from './cli.js';
import type { LinkResult } from './link-package.js';
import type { ImagePlan } from './plan.js';
import { triggerWebhook, type WebhookResult } from './webhook.js';

export interface PublishOptions {
  plan: ImagePlan;
  registry: string;
  username: string;
  password: string;
  build: BuildInputs;
  builder: BuilderChoice;
  push: boolean;
  /** Links the pushed image's package to the repository (Gitea), when asked for. */
  link?: () => Promise<LinkResult>;
  loginOptional: boolean;
  webhookUrl: string;
  webhookTimeout: number;
  logger: Logger;
  /** Runs a phase in a log group (the kit's `group`). */
  group: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export interface PublishResult {
  /** The builder that ran, '' when nothing was built. */
  builder: Builder | '';
  built: boolean;
  pushed: boolean;
  digest: string;
  link: LinkResult;
  webhook: WebhookResult;
}

const DIGEST = /digest: (sha256:[0-9a-f]{64})/;

export async function publishImage(options: PublishOptions): Promise<PublishResult> {
  const { plan, logger, group } = options;
  const docker = new DockerCli(logger);
  const nothing = {
    builder: '',
    built: false,
    pushed: false,
    digest: '',
    link: 'skipped',
    webhook: 'skipped',
  } as const;
  try {
    const builder = chooseBuilder(
      options.builder,
      (await docker.tryRun(['buildx', 'version'], true)).code === 0,
      options.build.buildx,
    );
    logger.info(
      `Builder: ${builder === 'buildx' ? 'docker buildx build' : 'docker build'} (builder: ${options.builder})`,
    );
    if (options.push) {
      const failure = await group(`Log in to ${options.registry}`, () => login(docker, options));
      if (failure) {
        if (!options.loginOptional) throw new ActionError(failure);
        logger.warning(`${failure}; skipping build and push (login-optional)`);
        return nothing;
      }
    }

    const digest =
      builder === 'buildx'
        ? await group(`Build${options.push ? ' and push' : ''} ${plan.refs[0]} with buildx`, () =>
            buildWithBuildx(docker, options),
          )
        : await buildWithDocker(docker, options);

    if (!options.push) {
      logger.info('push is false: the image was built but not pushed');
      return { ...nothing, builder, built: true };
    }
    const link = options.link ? await group('Link the package to the repository', options.link) : 'skipped';
    let webhook: WebhookResult = 'skipped';
    if (options.webhookUrl) {
      webhook = await group('Trigger the Portainer webhook', () =>
        triggerWebhook(options.webhookUrl, options.webhookTimeout, logger),
      );
    } else {
      logger.info('No webhook-url: skipping the Portainer redeploy');
    }
    return { builder, built: true, pushed: true, digest, link, webhook };
  } finally {
    docker.cleanup();
  }
}

/** `docker build` tagging every ref, then `docker push` of each (when pushing); the pushed digest. */
async function buildWithDocker(docker: DockerCli, options: PublishOptions): Promise<string> {
  const { plan, group } = options;
  await group(`Build ${plan.refs[0]}`, () =>
    docker.run(dockerBuildArgs(plan, options.build), 'docker build'),
  );
  if (!options.push) return '';
  return group(`Push ${plan.repository}`, async () => {
    let found = '';
    for (const ref of plan.refs) {
      const result = await docker.run(['push', ref], `docker push ${ref}`);
      found ||= result.stdout.map((line) => DIGEST.exec(line)?.[1]).find(Boolean) ?? '';
    }
    return found || (await inspectDigest(docker, plan.refs[0]));
  });
}

/** One `docker buildx build` that pushes (or loads); the digest from its metadata file. */
async function buildWithBuildx(docker: DockerCli, options: PublishOptions): Promise<string> {
  const work = join(docker.configDir, 'buildx');
  const secrets = join(work, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  for (const [id, value] of options.build.buildx.secrets)
    writeFileSync(join(secrets, id), value, { mode: 0o600 });
  const metadata = join(work, 'metadata.json');
  await docker.run(
    buildxBuildArgs(options.plan, options.build, options.push, metadata, secrets),
    'docker buildx build',
  );
  try {
    const digest = (JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, unknown>)[
      'containerimage.digest'
    ];
    return typeof digest === 'string' ? digest : '';
  } catch {
    return '';
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

/** The pushed digest from the image's RepoDigests (`name@sha256:...`), when push printed none. */
async function inspectDigest(docker: DockerCli, ref: string): Promise<string> {
  const result = await docker.tryRun(['inspect', '--format', '{{index .RepoDigests 0}}', ref], true);
  const line = result.code === 0 ? (result.stdout[0] ?? '') : '';
  return line.includes('@') ? line.slice(line.indexOf('@') + 1) : '';
}
