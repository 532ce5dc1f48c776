// Contract tests: every API route the local forge server serves exists in the official spec of its
// flavour, and its responses validate against the spec's response schemas.

import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { findOperation, giteaSpec, githubSpec, validateResponse } from '@forge-actions/testing/specs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Ajv } from 'ajv';
import {
  type Flavour,
  type ForgeServer,
  listRoutes,
  startForgeServer,
} from '../../packages/forge-server/src/index.js';
import { call, REPO, type Reply, uploadUrl } from './client.js';

const PACKAGE = '/packages/octo/container/group%2Fapp';
/** Forgejo is checked against Gitea's spec (it serves that API). */
const specOf = (flavour: Flavour) => (flavour === 'github' ? 'github' : 'gitea');

describe.each(FLAVOURS)('%s: routes exist in the official spec', (flavour) => {
  test.each(listRoutes(flavour).filter((r) => r.base !== 'web'))('$method $path', (route) => {
    const operation = findOperation(specOf(flavour), route.method, route.path);
    expect(operation?.pathTemplate).toBe(route.template);
  });

  test('the only routes outside the API are web downloads', () => {
    const web = listRoutes(flavour).filter((r) => r.base === 'web');
    expect(web.map((r) => r.template)).toEqual(
      flavour !== 'github'
        ? ['/{owner}/{repo}/releases/download/{tag}/{name}', '/attachments/{uuid}']
        : ['/{owner}/{repo}/releases/download/{tag}/{name}'],
    );
  });
});

test('specs: GitHub uploads are matched to the upload operation; Gitea has no /releases/assets/{id}', () => {
  const upload = findOperation('github', 'POST', '/api/uploads/repos/o/r/releases/5/assets?name=a');
  expect(upload?.operation.operationId).toBe('repos/upload-release-asset');
  expect(findOperation('gitea', 'DELETE', '/api/v1/repos/o/r/releases/assets/5')).toBeUndefined();
  expect(findOperation('gitea', 'GET', '/api/v1/repos/o/r/releases/latest')?.pathTemplate).toBe(
    '/repos/{owner}/{repo}/releases/latest',
  );
});

test('specs: validation catches a wrong body and an undocumented status', () => {
  const bad = validateResponse('github', 'GET', '/repos/o/r/releases/1', 200, { id: 'one' });
  expect(bad.errors.length).toBeGreaterThan(0);
  const badGitea = validateResponse('gitea', 'GET', '/repos/o/r/releases/1', 200, { id: 'one', assets: {} });
  expect(badGitea.errors.join('\n')).toContain('/id');
  expect(validateResponse('gitea', 'POST', '/repos/o/r/releases', 418, {}).documented).toBe(false);
});

/** Drives every route once and validates each response it got against the spec. */
describe.each(FLAVOURS)('%s: responses validate against the spec', (flavour) => {
  let server: ForgeServer;
  const seen: { method: string; url: string; status: number; body: unknown }[] = [];
  const record = async (
    method: string,
    path: string,
    options: Parameters<typeof call>[3] = {},
  ): Promise<Reply> => {
    const reply = await call(server, method, path, options);
    const url = /^https?:/.test(path) ? path : `${server.apiUrl}${path}`;
    seen.push({ method, url, status: reply.status, body: reply.json });
    return reply;
  };

  beforeAll(async () => {
    server = await startForgeServer({
      flavour,
      repos: ['octo/app', 'octo/empty'],
      emptyRepos: ['octo/empty'],
    });
    await record('GET', REPO);
    await record('GET', '/repos/octo/empty');
    await record('GET', '/repos/octo/missing'); // 404
    const created = await record('POST', `${REPO}/releases`, {
      json: { tag_name: 'v1.0.0', name: 'v1.0.0', body: 'notes', target_commitish: 'main' },
    });
    await record('POST', `${REPO}/releases`, { json: { tag_name: 'v1.0.0' } }); // 409 / 422
    const draft = await record('POST', `${REPO}/releases`, {
      json: { tag_name: 'v2.0.0-rc.1', draft: true, prerelease: true },
    });
    await record('POST', '/repos/octo/missing/releases', { json: { tag_name: 'v1' } }); // 404
    await record('POST', '/repos/octo/empty/releases', { json: { tag_name: 'v1' } }); // 422
    await record('POST', `${REPO}/releases`, { json: { tag_name: 'v5', target_commitish: 'nope' } }); // 404 / 422
    const id = created.json.id as number;
    await record('GET', `${REPO}/releases`);
    await record('GET', `${REPO}/releases/latest`);
    await record('GET', `${REPO}/releases/tags/v1.0.0`);
    await record('GET', `${REPO}/releases/${id}`);
    await record('PATCH', `${REPO}/releases/${id}`, { json: { body: 'edited' } });
    const uploaded = await record('POST', uploadUrl(server, id, 'App.zip'), { body: 'zip bytes' });
    await record('POST', uploadUrl(server, id, 'Other.zip'), { body: 'other' });
    await record('POST', uploadUrl(server, id, 'Empty.txt'), { body: '' }); // Gitea 201, GitHub 422
    await record('GET', `${REPO}/releases/${id}/assets`);
    const assetId = uploaded.json.id as number;
    const assetPath =
      flavour !== 'github'
        ? `${REPO}/releases/${id}/assets/${assetId}`
        : `${REPO}/releases/assets/${assetId}`;
    await record('GET', assetPath);
    await record('PATCH', assetPath, { json: { name: 'Renamed.zip' } });
    await record('GET', `${REPO}/releases/${id}`);
    await record('DELETE', assetPath);
    await record('DELETE', `${REPO}/releases/${draft.json.id}`);
    if (flavour !== 'github') {
      await record('GET', '/version', { token: null });
      await record('DELETE', `${REPO}/releases/tags/v1.0.0`);
    }
    // Package links came with Gitea 1.24; Forgejo 11 reports Gitea 1.22 compatibility.
    if (flavour === 'gitea') {
      // Linked first: an unlinked package's `repository: null` is a spec gap (tested below).
      server.seed.addPackage({ owner: 'octo', type: 'container', name: 'group/app', version: '1.0.0' });
      await record('POST', `${PACKAGE}/-/link/app`);
      await record('POST', `${PACKAGE}/-/link/missing`); // 404
      await record('POST', '/packages/octo/container/missing/-/link/app'); // 404
      await record('GET', `${PACKAGE}/-/latest`);
      await record('GET', '/packages/octo/container/missing/-/latest'); // 404
    }
    if (flavour === 'github') {
      await record('POST', uploadUrl(server, id, 'Other.zip'), { body: 'dup' }); // 422 already_exists
      await record('DELETE', `${REPO}/releases/${id}`);
      await record('POST', `${REPO}/releases`, { json: { tag_name: 'v6', make_latest: 'maybe' } }); // 422
      server.seed.setImmutableReleases(true);
      const immutable = await record('POST', `${REPO}/releases`, {
        json: { tag_name: 'v3.0.0', make_latest: 'legacy' },
      });
      await record('POST', uploadUrl(server, immutable.json.id, 'late.zip'), { body: 'x' }); // 422
      await record('DELETE', `${REPO}/releases/${immutable.json.id}`);
      await record('POST', `${REPO}/releases`, { json: { tag_name: 'v3.0.0' } }); // 422: tag retired
    }
  });
  afterAll(async () => {
    await server.close();
  });

  test('every route was exercised', () => {
    const hit = new Set(
      seen.map((s) => `${s.method} ${findOperation(specOf(flavour), s.method, s.url)?.pathTemplate}`),
    );
    for (const route of listRoutes(flavour).filter((r) => r.base !== 'web')) {
      expect(hit).toContain(`${route.method} ${route.template}`);
    }
  });

  test('every response is documented and validates', () => {
    const problems = seen.flatMap((s) => {
      const check = validateResponse(specOf(flavour), s.method, s.url, s.status, s.body);
      return check.documented && check.errors.length === 0
        ? []
        : [`${s.method} ${s.url} -> ${s.status}: ${check.errors.join('; ')}`];
    });
    expect(problems).toEqual([]);
    // The interesting statuses really were among them.
    const statuses = seen.map((s) => s.status);
    expect(statuses).toContain(flavour !== 'github' ? 409 : 422);
    expect(statuses).toContain(404);
    expect(statuses).toContain(flavour !== 'github' ? 201 : 200); // PATCH asset
    expect(seen.filter((s) => s.url.endsWith('/repos/octo/empty/releases')).map((s) => s.status)).toEqual([
      422,
    ]);
    const repo = seen.find((s) => s.url.endsWith('/repos/octo/empty') && s.method === 'GET');
    expect(repo?.body).toMatchObject({ full_name: 'octo/empty', default_branch: 'main' });
    if (flavour === 'gitea') {
      const packages = seen.filter((s) => s.url.includes('/packages/'));
      expect(packages.map((s) => s.status)).toEqual([201, 404, 404, 200, 404]);
      expect(packages[3].body).toMatchObject({ name: 'group/app', repository: { full_name: 'octo/app' } });
    }
  });

  // An empty answer (204, Gitea's `responses/empty` 201) has nothing to validate.
  test('success responses with a body have a body schema to validate against', () => {
    const unchecked = seen.filter(
      (s) =>
        s.status < 300 &&
        s.body !== undefined &&
        !validateResponse(specOf(flavour), s.method, s.url, s.status, s.body).hasSchema,
    );
    expect(unchecked).toEqual([]);
  });
});

/** Errors against one of a spec's own schemas (those used here have no `$ref`). */
function schemaErrors(name: 'basic-error' | 'validation-error' | 'APIError', body: unknown): unknown[] {
  const schemas =
    name === 'APIError'
      ? (giteaSpec().definitions as Record<string, object>)
      : (githubSpec().components as { schemas: Record<string, object> }).schemas;
  const validate = new Ajv({ strict: false }).compile(schemas[name]);
  return validate(body) ? [] : (validate.errors ?? []);
}

// Gitea's api.Package has no `omitempty`: an unlinked package answers `repository: null`, which the
// spec's `$ref: Repository` does not allow.
test('gitea: an unlinked package answers `repository: null`, otherwise validating', async () => {
  const server = await startForgeServer({ flavour: 'gitea' });
  try {
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1.0.0' });
    const path = '/packages/octo/container/app/-/latest';
    const reply = await call(server, 'GET', path);
    expect([reply.status, reply.json.repository]).toEqual([200, null]);
    // Once the spec allows null here, this case belongs with the driven routes above.
    const errors = validateResponse('gitea', 'GET', path, 200, reply.json).errors;
    expect(errors).toEqual([expect.stringMatching(/^\/repository /)]);
    const { repository: _, ...rest } = reply.json;
    expect(validateResponse('gitea', 'GET', path, 200, rest).errors).toEqual([]);
  } finally {
    await server.close();
  }
});

// Gitea answers a link while one exists 400 (LinkToRepository's ErrInvalidArgument); the spec lists 201
// and 404 only.
test('gitea: the undocumented 400 of a second link has the APIError shape', async () => {
  const server = await startForgeServer({ flavour: 'gitea' });
  try {
    server.seed.addPackage({ owner: 'octo', type: 'container', name: 'app', version: '1', repo: 'octo/app' });
    const path = '/packages/octo/container/app/-/link/app';
    const reply = await call(server, 'POST', path);
    const check = validateResponse('gitea', 'POST', path, reply.status, reply.json);
    // Once the spec documents the status, this case belongs with the driven routes above.
    expect([reply.status, check.documented]).toEqual([400, false]);
    expect(schemaErrors('APIError', reply.json)).toEqual([]);
  } finally {
    await server.close();
  }
});

// forge-behaviour.md: GitHub refuses changes to an immutable release with 422 on routes whose spec
// lists no 422. The answers still have GitHub's error shapes.
test('github: the undocumented 422s of immutable releases have the spec error shapes', async () => {
  const server = await startForgeServer({ flavour: 'github', immutableReleases: true });
  try {
    const { id } = server.seed.createRelease({ tag: 'v1.0.0' });
    const asset = await server.seed.addAsset(id, 'a.txt', 'a');
    const assetPath = `${REPO}/releases/assets/${asset.id}`;
    const refusals = [
      ['PATCH', assetPath, { json: { name: 'b.txt' } }, 'basic-error'],
      ['DELETE', assetPath, {}, 'basic-error'],
      ['PATCH', `${REPO}/releases/${id}`, { json: { draft: true } }, 'validation-error'],
    ] as const;
    for (const [method, path, options, schema] of refusals) {
      const reply = await call(server, method, path, options);
      const check = validateResponse('github', method, path, reply.status, reply.json);
      // Once the spec documents the status, this case belongs with the driven routes above.
      expect([method, path, reply.status, check.documented]).toEqual([method, path, 422, false]);
      expect(schemaErrors(schema, reply.json)).toEqual([]);
    }
  } finally {
    await server.close();
  }
});
