// Standalone forge server: prints one JSON line ({url, apiUrl, uploadsUrl, token, ...}) on stdout and
// serves until SIGTERM or SIGINT.
//   npx tsx packages/forge-server/src/cli.ts --flavour gitea --port 0 [--gitea-version 1.21.0]
//     [--data-dir DIR] [--token T] [--read-token T] [--repo owner/name]... [--max-asset-size BYTES]
//     [--branch NAME]... [--empty-repo owner/name]... [--immutable-releases]
import { parseArgs } from 'node:util';
import { startForgeServer } from './server.js';
import type { ForgeServerOptions, TokenSpec } from './types.js';

function fail(message: string): never {
  process.stderr.write(`forge-server: ${message}\n`);
  process.exit(2);
}

function parseOptions(argv: string[]): ForgeServerOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      flavour: { type: 'string' },
      port: { type: 'string', default: '0' },
      'gitea-version': { type: 'string' },
      'data-dir': { type: 'string' },
      token: { type: 'string', multiple: true },
      'read-token': { type: 'string', multiple: true },
      repo: { type: 'string', multiple: true },
      'max-asset-size': { type: 'string' },
      branch: { type: 'string', multiple: true },
      'empty-repo': { type: 'string', multiple: true },
      'immutable-releases': { type: 'boolean' },
    },
    strict: true,
  });
  const flavour = values.flavour;
  if (flavour !== 'gitea' && flavour !== 'github')
    fail(`--flavour must be gitea or github, got '${flavour ?? ''}'`);
  if (!/^\d+$/.test(values.port)) fail(`--port must be a number, got '${values.port}'`);
  const tokens: Record<string, TokenSpec> = {};
  for (const token of values.token ?? []) tokens[token] = { scopes: 'write' };
  for (const token of values['read-token'] ?? []) tokens[token] = { scopes: 'read' };
  const maxSize = values['max-asset-size'];
  if (maxSize !== undefined && !/^\d+$/.test(maxSize))
    fail(`--max-asset-size must be a number of bytes, got '${maxSize}'`);
  return {
    flavour,
    port: Number(values.port),
    ...(values['gitea-version'] ? { giteaVersion: values['gitea-version'] } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(Object.keys(tokens).length > 0 ? { tokens } : {}),
    ...(values.repo?.length ? { repos: values.repo } : {}),
    ...(maxSize !== undefined ? { maxAssetSize: Number(maxSize) } : {}),
    ...(values.branch?.length ? { branches: values.branch } : {}),
    ...(values['empty-repo']?.length ? { emptyRepos: values['empty-repo'] } : {}),
    ...(values['immutable-releases'] ? { immutableReleases: true } : {}),
  };
}

async function main(): Promise<void> {
  let options: ForgeServerOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    fail((error as Error).message);
  }
  const server = await startForgeServer(options);
  process.stdout.write(
    `${JSON.stringify({
      flavour: server.flavour,
      url: server.url,
      apiUrl: server.apiUrl,
      uploadsUrl: server.uploadsUrl,
      token: server.token,
      dataDir: server.dataDir,
      pid: process.pid,
    })}\n`,
  );
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
