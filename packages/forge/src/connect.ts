import { InputError, type Logger } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { HttpClient, HttpError, NetworkError, redactUrl, scrubSecrets } from '@forge-actions/http';
import type { Flavour } from './adapter.js';
import { ADAPTERS } from './adapters.js';
import { ForgeClient, type HttpTuning } from './client.js';
import { ForgeError, forgeErrorMessage } from './errors.js';
import { parseGiteaVersion } from './version.js';

/** @internal Exported for its unit tests. */
export type ForgeChoice = 'auto' | Flavour;
const FORGE_CHOICES: readonly ForgeChoice[] = ['auto', 'gitea', 'forgejo', 'github'];

export interface ConnectOptions {
  token: string;
  /** Default `auto`. */
  forge?: ForgeChoice;
  /** Web root of the forge; default `GITHUB_SERVER_URL`. */
  serverUrl?: string;
  /** API root override; default per `resolveApiUrl`. */
  apiUrl?: string;
  /** `owner/name`. */
  repository: string;
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Retries per request (default 4). */
  retries?: number;
  /**
   * Milliseconds between the starts of writing requests; default per forge (1000 on api.github.com,
   * else 0).
   */
  writeSpacingMs?: number;
  http?: HttpTuning;
}

const GITHUB_HOSTS = new Set(['github.com', 'api.github.com', 'www.github.com']);
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * `owner/name`, or an InputError naming the `repository` input.
 * @internal Exported for its unit tests.
 */
export function parseRepository(repository: string): { owner: string; repo: string } {
  const value = repository.trim();
  if (!REPOSITORY.test(value) || value.split('/').some((part) => part === '.' || part === '..')) {
    throw new InputError('repository', `must be owner/name (got '${value}')`);
  }
  const [owner = '', repo = ''] = value.split('/');
  return { owner, repo };
}

function trimSlash(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** How an error text shows a bad URL value: not at all when it may hold `user:password@`. */
function gotValue(value: string): string {
  return value.includes('@') ? 'a value with @, not shown as it may hold credentials' : `'${value}'`;
}

function checkUrl(input: string, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw new InputError(input, `must be an http(s) URL (got ${gotValue(value.trim())})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InputError(input, `must be an http(s) URL (got ${gotValue(value.trim())})`);
  }
  if (parsed.username || parsed.password) {
    throw new InputError(input, 'must not carry credentials; pass the token in the token input');
  }
  return trimSlash(value);
}

/**
 * The URL without `user:password@` (requests never send URL credentials; the token travels in a header),
 * so that no log line or error text built from it can show them.
 */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The API root, per the spec of the common inputs: explicit `api-url`, else `GITHUB_API_URL`, else Gitea
 * `{server-url}/api/v1`, else GitHub: `https://api.github.com` for github.com (or no server URL), and
 * `{server-url}/api/v3` for any other host (GitHub Enterprise Server, when its runner did not say).
 * @internal Exported for its unit tests.
 */
export function resolveApiUrl(options: {
  flavour: Flavour;
  apiUrl?: string;
  serverUrl?: string;
  env: NodeJS.ProcessEnv;
}): string {
  const explicit = checkUrl('api-url', options.apiUrl);
  if (explicit) return explicit;
  const fromEnv = options.env.GITHUB_API_URL?.trim();
  // A Gitea workflow run locally by act gets act's GitHub default here, which cannot be Gitea's API.
  const githubDefault = fromEnv !== undefined && GITHUB_HOSTS.has(hostOf(fromEnv) ?? '');
  const giteaApi = ADAPTERS[options.flavour].routes === 'gitea';
  if (fromEnv && !(giteaApi && githubDefault)) return trimSlash(withoutCredentials(fromEnv));
  const server = options.serverUrl ? trimSlash(options.serverUrl) : undefined;
  if (giteaApi) {
    const name = ADAPTERS[options.flavour].hints.name;
    if (!server) throw new InputError('server-url', `is needed to find the ${name} API (or set api-url)`);
    return `${server}/api/v1`;
  }
  const host = hostOf(server);
  if (!server || (host && GITHUB_HOSTS.has(host))) return 'https://api.github.com';
  return `${server}/api/v3`;
}

/** Where `GET …/api/v1/version` lives for a flavour probe: an API URL that is Gitea-shaped, else the web root. */
function versionProbeUrl(apiUrl: string | undefined, serverUrl: string | undefined): string | undefined {
  if (apiUrl && /\/api\/v1$/.test(apiUrl)) return `${apiUrl}/version`;
  if (serverUrl) return `${trimSlash(serverUrl)}/api/v1/version`;
  if (apiUrl) return `${new URL(apiUrl).origin}/api/v1/version`;
  return undefined;
}

/** @internal Exported for its unit tests. */
export interface Detection {
  flavour: Flavour;
  /** How it was decided, for the log. */
  reason: string;
  /** The Gitea (or Forgejo) version when the probe already fetched it. */
  version?: string;
}

/** What `GET …/api/v1/version` says the server is; a version string that cannot be read is an error. */
function fromVersion(version: string, probe: string, token: string): Flavour {
  if (parseGiteaVersion(version) === undefined) {
    throw new ForgeError(
      `The server at ${new URL(probe).host} answers /api/v1/version with '${scrubSecrets(printable(version), [token])}', which is neither a Gitea version (like 1.25.4) nor a Forgejo one (like 11.0.3+gitea-1.22.0).`,
      0,
    );
  }
  // Forgejo reports its own number with the Gitea it is compatible with: `11.0.3+gitea-1.22.0`.
  return /\+gitea-/i.test(version) ? 'forgejo' : 'gitea';
}

/** The version `probe` answers (undefined when it has none), or the request's error. */
async function probeVersion(probe: string, token: string, http: HttpClient): Promise<string | undefined> {
  // A Gitea token works in this form; an Enterprise Server on the same host sees it on its own host only.
  const res = await http.getJson<{ version?: unknown }>(probe, {
    headers: { authorization: `token ${token}` },
    allowStatus: [400, 403, 404, 405, 406, 410],
  });
  const version = res.data?.version;
  return res.status === 200 && typeof version === 'string' && version !== '' ? version : undefined;
}

function probeError(
  error: HttpError | NetworkError,
  flavour: Flavour,
  probe: string,
  token: string,
): ForgeError {
  const message = forgeErrorMessage(error, {
    hints: ADAPTERS[flavour].hints,
    repository: '',
    apiUrl: redactUrl(probe),
    action: 'tell which forge the server is',
    secrets: [token],
  });
  return new ForgeError(message, error instanceof HttpError ? error.status : 0, error);
}

/**
 * `forge: auto`: `FORGEJO_ACTIONS=true` → Forgejo; `GITEA_ACTIONS=true` → Gitea or Forgejo by the version
 * (Forgejo runners before mid-2025 set only GITEA_ACTIONS); a github.com host → GitHub; else
 * `GET {server}/api/v1/version` answers on Gitea and Forgejo (cached) and not on GitHub Enterprise Server.
 * `forge: forgejo` is checked against that answer.
 * @internal Exported for its unit tests.
 */
export async function detectFlavour(
  options: { forge: ForgeChoice; serverUrl?: string; apiUrl?: string; env: NodeJS.ProcessEnv; token: string },
  http: HttpClient,
): Promise<Detection> {
  const { forge, env, token } = options;
  if (forge === 'gitea' || forge === 'github') return { flavour: forge, reason: `forge: ${forge}` };
  if (forge === 'auto' && env.FORGEJO_ACTIONS === 'true') {
    return { flavour: 'forgejo', reason: 'FORGEJO_ACTIONS=true' };
  }
  const fromEnv = env.GITHUB_API_URL?.trim();
  const apiUrl = options.apiUrl ?? (fromEnv ? withoutCredentials(fromEnv) : fromEnv);
  const host = hostOf(options.serverUrl) ?? hostOf(apiUrl);
  const giteaRunner = env.GITEA_ACTIONS === 'true';
  const githubHost = host === undefined || GITHUB_HOSTS.has(host);
  if (forge === 'auto' && githubHost) {
    // A Gitea workflow run by act keeps act's github.com defaults: nothing there to probe.
    if (giteaRunner) return { flavour: 'gitea', reason: 'GITEA_ACTIONS=true' };
    return { flavour: 'github', reason: host ? `host ${host}` : 'no server URL given' };
  }
  const probe = versionProbeUrl(apiUrl ? trimSlash(apiUrl) : undefined, options.serverUrl);
  // Without any URL only `forge: forgejo` gets here (auto took the GitHub default above).
  if (!probe) throw new InputError('server-url', 'is needed to reach the Forgejo server');
  const where = new URL(probe).host;
  let version: string | undefined;
  try {
    version = await probeVersion(probe, token, http);
  } catch (error) {
    if (!(error instanceof HttpError || error instanceof NetworkError)) throw error;
    // Told by the user or a Gitea runner, a refused probe (a token without rights, say) is left to the
    // requests that follow to report in their own words; a server that does not answer fails here.
    if (error instanceof HttpError && forge === 'forgejo')
      return { flavour: 'forgejo', reason: 'forge: forgejo' };
    if (error instanceof HttpError && giteaRunner) return { flavour: 'gitea', reason: 'GITEA_ACTIONS=true' };
    // A 401 here is Gitea or Forgejo refusing the token (GitHub serves no /api/v1).
    throw probeError(
      error,
      error instanceof HttpError && error.status === 401 ? 'gitea' : 'github',
      probe,
      token,
    );
  }
  const answered = version === undefined ? undefined : fromVersion(version, probe, token);
  if (forge === 'forgejo') {
    if (answered === 'forgejo') return { flavour: 'forgejo', reason: 'forge: forgejo', version };
    const is =
      answered === 'gitea' ? `Gitea ${version}` : 'not Gitea or Forgejo (it has no /api/v1/version; GitHub?)';
    throw new InputError('forge', `is forgejo, but the server at ${where} answers as ${is}`);
  }
  if (answered)
    return { flavour: answered, reason: `${where} answers /api/v1/version with ${version}`, version };
  if (giteaRunner) return { flavour: 'gitea', reason: 'GITEA_ACTIONS=true' };
  return { flavour: 'github', reason: `${where} has no Gitea /api/v1/version` };
}

/** Resolves the flavour and API root, then returns a client for the repository. Sends at most one request. */
export async function connectForge(options: ConnectOptions): Promise<ForgeClient> {
  const env = options.env ?? process.env;
  const token = options.token.trim();
  if (token === '') {
    throw new InputError(
      'token',
      'is empty. Pass a token with write access to releases (on Gitea, a secret name must not start with GITEA_ or GITHUB_: use e.g. DEPLOY_TOKEN)',
    );
  }
  const { owner, repo } = parseRepository(options.repository);
  const forge = options.forge ?? 'auto';
  if (!(FORGE_CHOICES as readonly string[]).includes(forge)) {
    throw new InputError('forge', `must be one of ${FORGE_CHOICES.join(', ')} (got '${forge}')`);
  }
  const serverUrl =
    checkUrl('server-url', options.serverUrl) ?? checkUrl('server-url', env.GITHUB_SERVER_URL);
  const apiUrlInput = checkUrl('api-url', options.apiUrl);

  const probeHttp = new HttpClient({
    ...options.http,
    retries: options.retries,
    secrets: [token],
    logger: options.logger,
  });
  let detection: Detection;
  try {
    detection = await detectFlavour({ forge, serverUrl, apiUrl: apiUrlInput, env, token }, probeHttp);
  } finally {
    probeHttp.dispose();
  }
  const apiUrl = resolveApiUrl({ flavour: detection.flavour, apiUrl: apiUrlInput, serverUrl, env });
  options.logger?.info(
    `Forge: ${ADAPTERS[detection.flavour].hints.name} (${detection.reason}), API ${redactUrl(apiUrl)}, repository ${owner}/${repo}`,
  );
  return new ForgeClient({
    flavour: detection.flavour,
    apiUrl,
    serverUrl:
      serverUrl ??
      (ADAPTERS[detection.flavour].routes === 'github' ? 'https://github.com' : new URL(apiUrl).origin),
    owner,
    repo,
    token,
    giteaVersion: detection.version,
    logger: options.logger,
    retries: options.retries,
    http:
      options.writeSpacingMs === undefined
        ? options.http
        : { ...options.http, mutationSpacingMs: options.writeSpacingMs },
  });
}

/** The common inputs of the forge actions, as the `Inputs` reader of action-kit provides them. */
export interface InputReader {
  string(name: string): string;
  secret(name: string): string;
  enum<T extends string>(name: string, allowed: readonly T[]): T;
  /** The kit's URL reader: registers any `user:password@` of the value as secrets, in every spelling. */
  url?(name: string): URL | undefined;
}

export interface ForgeInputs {
  token: string;
  forge: ForgeChoice;
  serverUrl?: string;
  apiUrl?: string;
  repository: string;
  writeSpacingMs?: number;
}

/**
 * Reads and checks `token`, `server-url`, `api-url`, `repository`, `forge` and `write-spacing` before any
 * request: a bad value fails with one line naming the input.
 */
export function readForgeInputs(inputs: InputReader): ForgeInputs {
  const token = inputs.secret('token');
  if (token.trim() === '') {
    throw new InputError(
      'token',
      'is empty. Pass a token with write access to releases (on Gitea, a secret name must not start with GITEA_ or GITHUB_: use e.g. DEPLOY_TOKEN)',
    );
  }
  const forge = inputs.enum<ForgeChoice>('forge', FORGE_CHOICES);
  const repository = inputs.string('repository');
  if (repository === '') throw new InputError('repository', 'is required (owner/name) and was not set');
  parseRepository(repository);
  for (const name of ['server-url', 'api-url']) {
    try {
      // Only for masking: credentials written into the URL are registered as secrets before anything can
      // print them. The value is checked (and credentials refused) just below, in the forge's own words.
      inputs.url?.(name);
    } catch {
      // checkUrl reports it
    }
  }
  const serverUrl = checkUrl('server-url', inputs.string('server-url'));
  const apiUrl = checkUrl('api-url', inputs.string('api-url'));
  const out: ForgeInputs = { token, forge, repository };
  if (serverUrl) out.serverUrl = serverUrl;
  if (apiUrl) out.apiUrl = apiUrl;
  const spacing = inputs.string('write-spacing');
  if (spacing !== '') {
    if (!/^\d{1,2}$/.test(spacing)) {
      throw new InputError(
        'write-spacing',
        `must be a whole number of seconds, 0 to 99 (got ${gotValue(spacing)})`,
      );
    }
    out.writeSpacingMs = Number(spacing) * 1000;
  }
  return out;
}
