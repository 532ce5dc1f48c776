// Contract tests: every API route the local forge server serves exists in the official spec of its
// flavour, and its responses validate against the spec's response schemas.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type ForgeServer, listRoutes, startForgeServer } from '../../packages/forge-server/src/index.js';
import { findOperation, validateResponse } from '../support/specs.js';
import { call, REPO, type Reply, uploadUrl } from './client.js';

describe.each(['gitea', 'github'] as const)('%s: routes exist in the official spec', (flavour) => {
  test.each(listRoutes(flavour).filter((r) => r.base !== 'web'))('$method $path', (route) => {
    const operation = findOperation(flavour, route.method, route.path);
    expect(operation?.pathTemplate).toBe(route.template);
  });

  test('the only routes outside the API are web downloads', () => {
    const web = listRoutes(flavour).filter((r) => r.base === 'web');
    expect(web.map((r) => r.template)).toEqual(
      flavour === 'gitea'
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
describe.each(['gitea', 'github'] as const)('%s: responses validate against the spec', (flavour) => {
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
    server = await startForgeServer({ flavour });
    const created = await record('POST', `${REPO}/releases`, {
      json: { tag_name: 'v1.0.0', name: 'v1.0.0', body: 'notes', target_commitish: 'main' },
    });
    await record('POST', `${REPO}/releases`, { json: { tag_name: 'v1.0.0' } }); // 409 / 422
    const draft = await record('POST', `${REPO}/releases`, {
      json: { tag_name: 'v2.0.0-rc.1', draft: true, prerelease: true },
    });
    await record('POST', '/repos/octo/missing/releases', { json: { tag_name: 'v1' } }); // 404
    const id = created.json.id as number;
    await record('GET', `${REPO}/releases`);
    await record('GET', `${REPO}/releases/latest`);
    await record('GET', `${REPO}/releases/tags/v1.0.0`);
    await record('GET', `${REPO}/releases/${id}`);
    await record('PATCH', `${REPO}/releases/${id}`, { json: { body: 'edited' } });
    const uploaded = await record('POST', uploadUrl(server, id, 'App.zip'), { body: 'zip bytes' });
    await record('POST', uploadUrl(server, id, 'Other.zip'), { body: 'other' });
    await record('GET', `${REPO}/releases/${id}/assets`);
    const assetId = uploaded.json.id as number;
    const assetPath =
      flavour === 'gitea' ? `${REPO}/releases/${id}/assets/${assetId}` : `${REPO}/releases/assets/${assetId}`;
    await record('GET', assetPath);
    await record('PATCH', assetPath, { json: { name: 'Renamed.zip' } });
    await record('GET', `${REPO}/releases/${id}`);
    await record('DELETE', assetPath);
    await record('DELETE', `${REPO}/releases/${draft.json.id}`);
    if (flavour === 'gitea') {
      await record('GET', '/version', { token: null });
      await record('DELETE', `${REPO}/releases/tags/v1.0.0`);
    } else {
      await record('POST', uploadUrl(server, id, 'Other.zip'), { body: 'dup' }); // 422 already_exists
      await record('DELETE', `${REPO}/releases/${id}`);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  test('every route was exercised', () => {
    const hit = new Set(
      seen.map((s) => `${s.method} ${findOperation(flavour, s.method, s.url)?.pathTemplate}`),
    );
    for (const route of listRoutes(flavour).filter((r) => r.base !== 'web')) {
      expect(hit).toContain(`${route.method} ${route.template}`);
    }
  });

  test('every response is documented and validates', () => {
    const problems = seen.flatMap((s) => {
      const check = validateResponse(flavour, s.method, s.url, s.status, s.body);
      return check.documented && check.errors.length === 0
        ? []
        : [`${s.method} ${s.url} -> ${s.status}: ${check.errors.join('; ')}`];
    });
    expect(problems).toEqual([]);
    // The interesting statuses really were among them.
    const statuses = seen.map((s) => s.status);
    expect(statuses).toContain(flavour === 'gitea' ? 409 : 422);
    expect(statuses).toContain(404);
    expect(statuses).toContain(flavour === 'gitea' ? 201 : 200); // PATCH asset
  });

  test('success responses have a body schema to validate against', () => {
    const unchecked = seen.filter(
      (s) =>
        s.status < 300 &&
        s.status !== 204 &&
        !validateResponse(flavour, s.method, s.url, s.status, s.body).hasSchema,
    );
    expect(unchecked).toEqual([]);
  });
});
