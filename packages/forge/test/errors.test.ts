import { ActionError } from '@forge-actions/action-kit/errors';
import { HttpError, NetworkError } from '@forge-actions/http';
import { describe, expect, test } from '@jest/globals';
import type { Flavour } from '../src/adapter.js';
import { ADAPTERS } from '../src/adapters.js';
import {
  type ErrorContext,
  forgeErrorMessage,
  hasAlreadyExists,
  ReleaseConflictError,
  toForgeError,
} from '../src/errors.js';
import { ForgeError, isLostCreate } from '../src/index.js';

const TOKEN = 'gta_0123456789abcdef';

function ctx(flavour: Flavour, extra: Partial<ErrorContext> = {}): ErrorContext {
  return {
    hints: ADAPTERS[flavour].hints,
    repository: 'octo/app',
    apiUrl: flavour !== 'github' ? 'https://git.example/api/v1' : 'https://api.github.com',
    action: 'create the release for tag v1.0.0',
    secrets: [TOKEN],
    ...extra,
  };
}

function httpError(status: number, message = '', body: unknown = { message }, attempts = 1): HttpError {
  return new HttpError(
    status,
    'POST',
    'https://git.example/api/v1/repos/octo/app/releases',
    message,
    body,
    {},
    attempts,
  );
}

describe('forgeErrorMessage', () => {
  test('401 says the token was rejected; on Gitea it explains the secret-name rule', () => {
    const gitea = forgeErrorMessage(httpError(401, 'invalid token'), ctx('gitea'));
    expect(gitea).toMatch(
      /^Could not create the release for tag v1.0.0: the Gitea server at git.example rejected the token \(401/,
    );
    expect(gitea).toContain('GITEA_ or GITHUB_');
    expect(gitea).toContain('DEPLOY_TOKEN');
    const github = forgeErrorMessage(httpError(401, 'Bad credentials'), ctx('github'));
    expect(github).toContain('rejected the token (401 Unauthorized)');
    expect(github).not.toContain('GITEA_');
  });

  test('403 names the missing scope or permission', () => {
    const gitea = forgeErrorMessage(
      httpError(403, 'token does not have at least one of required scope(s)'),
      ctx('gitea'),
    );
    expect(gitea).toContain("'write:repository' scope");
    expect(gitea).toContain('GITEA_ or GITHUB_');
    expect(gitea).toContain('The server said: "token does not have at least one of required scope(s)"');
    const github = forgeErrorMessage(httpError(403, 'Resource not accessible by integration'), ctx('github'));
    expect(github).toContain("'contents: write' permission");
    expect(github).toContain('Resource not accessible by integration');
  });

  test('404 means the repository is missing or hidden, unless the caller knows better', () => {
    expect(forgeErrorMessage(httpError(404, 'Not Found'), ctx('github'))).toContain(
      'repository octo/app was not found at https://api.github.com, or is not visible to the token (404)',
    );
    expect(
      forgeErrorMessage(
        httpError(404),
        ctx('gitea', { action: 'read release 9', notFound: 'release 9 does not exist in octo/app' }),
      ),
    ).toBe('Could not read release 9: release 9 does not exist in octo/app (404).');
  });

  test('413 is the size limit, with where to raise it', () => {
    expect(forgeErrorMessage(httpError(413), ctx('gitea'))).toMatch(
      /over the server's size limit \(413.*FILE_MAX_SIZE/,
    );
    expect(forgeErrorMessage(httpError(413), ctx('github'))).toContain('2 GiB');
    // Forgejo does not limit API uploads: the message must not claim a limit of its own.
    const forgejo = forgeErrorMessage(httpError(413), ctx('forgejo'));
    expect(forgejo).toContain('Forgejo sets no size limit on release uploads through the API');
    expect(forgejo).not.toContain('MAX_SIZE');
  });

  test('401 on Forgejo names its reserved secret prefixes and the FORGEJO_TOKEN shadowing', () => {
    const message = forgeErrorMessage(httpError(401), ctx('forgejo'));
    expect(message).toContain('the Forgejo server at');
    expect(message).toContain('GITEA_ or GITHUB_');
    expect(message).toContain('a secret named FORGEJO_TOKEN replaces the job token');
  });

  test("422 carries the server's validation message", () => {
    const body = {
      message: 'Validation Failed',
      errors: [{ resource: 'Release', code: 'custom', field: 'body', message: 'body is too long' }],
    };
    expect(
      forgeErrorMessage(httpError(422, 'Validation Failed; body is too long', body), ctx('github')),
    ).toBe(
      'Could not create the release for tag v1.0.0: the server rejected the request as invalid (422): Validation Failed; body is too long.',
    );
  });

  test('other statuses and connection failures say what and how often', () => {
    expect(forgeErrorMessage(httpError(503, 'busy', {}, 5), ctx('gitea'))).toBe(
      'Could not create the release for tag v1.0.0: POST https://git.example/api/v1/repos/octo/app/releases answered 503 after 5 attempts. The server said: "busy".',
    );
    const network = new NetworkError('GET', 'https://git.example/x', 'ECONNREFUSED', 'ECONNREFUSED', 3);
    expect(forgeErrorMessage(network, ctx('gitea'))).toBe(
      'Could not create the release for tag v1.0.0: no answer from git.example (ECONNREFUSED) after 3 attempts.',
    );
  });

  test('the token never appears, whatever the server said', () => {
    for (const status of [400, 401, 403, 404, 409, 413, 422, 500]) {
      for (const flavour of ['gitea', 'forgejo', 'github'] as const) {
        const message = forgeErrorMessage(httpError(status, `echo: token ${TOKEN}`), ctx(flavour));
        expect(message).not.toContain(TOKEN);
        expect(message).not.toMatch(/\n/);
      }
    }
  });
});

describe('error types', () => {
  test('toForgeError maps HTTP failures to ActionErrors and leaves others alone', () => {
    const mapped = toForgeError(httpError(401), ctx('gitea'));
    expect(mapped).toBeInstanceOf(ForgeError);
    expect(mapped).toBeInstanceOf(ActionError);
    expect((mapped as ForgeError).status).toBe(401);
    const other = new Error('bug');
    expect(toForgeError(other, ctx('gitea'))).toBe(other);
  });

  test('isLostCreate recognises only ReleaseConflictError', () => {
    expect(isLostCreate(new ReleaseConflictError('v1', 'exists', 409, 'x'))).toBe(true);
    expect(isLostCreate(new ReleaseConflictError('v1', 'uncertain', 500, 'x'))).toBe(true);
    expect(isLostCreate(new ForgeError('x', 500))).toBe(false);
    expect(isLostCreate(undefined)).toBe(false);
  });

  test("hasAlreadyExists reads GitHub's validation errors", () => {
    expect(
      hasAlreadyExists({ errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] }),
    ).toBe(true);
    expect(hasAlreadyExists({ errors: [{ code: 'invalid' }] })).toBe(false);
    expect(hasAlreadyExists(undefined)).toBe(false);
  });
});
