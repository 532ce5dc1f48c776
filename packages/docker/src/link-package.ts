// The seed's manual step, done for the user: Gitea links a container image pushed to its registry to no
// repository (it shows under the owner only) until someone clicks Settings → link. Gitea 1.24 added the API.
import { InputError, type Logger } from '@forge-actions/action-kit/errors';
import {
  type ConnectOptions,
  connectForge,
  type ForgeClient,
  ForgeError,
  type ForgeInputs,
  parseGiteaVersion,
} from '@forge-actions/forge';
import { registryOfServerUrl } from './reference.js';

export type LinkMode = 'auto' | 'true' | 'false';
export type LinkResult = 'linked' | 'already-linked' | 'skipped' | 'failed';

/** The first Gitea with `POST /packages/{owner}/{type}/{name}/-/link/{repo}` (go-gitea/gitea#33481). */
const LINK_API = [1, 24, 0] as const;

function hasLinkApi(version: string | undefined): boolean {
  const parsed = version === undefined ? undefined : parseGiteaVersion(version);
  if (!parsed) return false;
  for (let i = 0; i < 3; i++) if (parsed[i] !== LINK_API[i]) return parsed[i] > LINK_API[i];
  return true;
}

/**
 * Links the pushed image (`owner/name`, a container package of `owner`) to the repository the run is for.
 * Never fails the step: an image of another owner, a Gitea without the API, a package the forge does not
 * know (another registry) or a token without the scope each end in one line saying so.
 */
async function linkContainerPackage(client: ForgeClient, image: string, logger: Logger): Promise<LinkResult> {
  const [owner, ...rest] = image.split('/');
  const name = rest.join('/');
  if (!name || owner.toLowerCase() !== client.owner.toLowerCase()) {
    logger.info(
      `The image ${image} belongs to another owner than ${client.repository}: Gitea links packages to repositories of their own owner only.`,
    );
    return 'skipped';
  }
  const version = await client.serverVersion();
  if (!hasLinkApi(version)) {
    logger.info(
      `This ${client.forgeName} (${version ?? 'version unknown'}) has no API to link packages (Gitea 1.24 added it): link ${image} to ${client.repository} once in the package's settings.`,
    );
    return 'skipped';
  }
  try {
    const linked = await client.packageRepository('container', name);
    if (linked === undefined) {
      logger.warning(
        `The forge has no container package ${image} (was it pushed to this forge's registry?); not linked.`,
      );
      return 'failed';
    }
    if (linked.toLowerCase() === client.repository.toLowerCase()) {
      logger.info(`Package ${image} is linked to ${client.repository} already.`);
      return 'already-linked';
    }
    if (linked) {
      logger.warning(`Package ${image} is linked to ${linked}, not ${client.repository}; left as it is.`);
      return 'failed';
    }
    await client.linkPackage('container', name);
    logger.info(`Linked package ${image} to ${client.repository}.`);
    return 'linked';
  } catch (error) {
    if (!(error instanceof ForgeError)) throw error;
    const refused = error.status === 401 || error.status === 403;
    logger.warning(
      refused
        ? `The token may not link package ${image} to ${client.repository} (${error.status}): it needs the write:package scope and write access to the repository.`
        : error.message,
    );
    return 'failed';
  }
}

/**
 * Whether and how to link the package after the push, decided before anything is built: on GitHub
 * `true` is a mistake in the inputs; `auto` links only on Gitea, with a token, for this forge's own
 * registry. Connecting may ask the server what it is (one request).
 */
export async function packageLinker(
  mode: LinkMode,
  forgeInputs: () => ForgeInputs & Pick<ConnectOptions, 'http'>,
  registry: string,
  image: string,
  logger: Logger,
): Promise<(() => Promise<LinkResult>) | undefined> {
  if (mode === 'false') return undefined;
  let inputs: ForgeInputs & Pick<ConnectOptions, 'http'>;
  try {
    inputs = forgeInputs();
  } catch (error) {
    if (mode === 'auto' && error instanceof InputError && error.input === 'token') {
      logger.info('No token: the package is not linked to the repository.');
      return undefined;
    }
    throw error;
  }
  const client = await connectForge({ ...inputs, logger });
  if (client.api !== 'gitea') {
    if (mode === 'true') {
      throw new InputError(
        'link-package',
        'is true, but linking packages applies to Gitea and Forgejo only (this is GitHub)',
      );
    }
    return undefined;
  }
  if (mode === 'auto' && registryOfServerUrl(client.serverUrl) !== registry) {
    logger.info(
      `${registry} is not the registry of ${client.serverUrl}: the package is not linked (link-package: true forces it).`,
    );
    return undefined;
  }
  return () => linkContainerPackage(client, image, logger);
}
