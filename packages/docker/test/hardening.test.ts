// Issue 14 (hardening), the docker package's part: inputs that could pass as docker options or leave the
// workspace, keys docker would misparse, and URLs with credentials.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type BuildInputs, buildxBuildArgs, checkBuildInputs, dockerBuildArgs } from '../src/builder.js';
import { planImage, sourceOfRun } from '../src/plan.js';
import { checkRegistry } from '../src/reference.js';
import { BASE_PLAN, NO_BUILDX } from './fixtures.js';

const none = NO_BUILDX;
const build = (fields: Partial<BuildInputs> = {}): BuildInputs => ({
  context: '.',
  dockerfile: '',
  target: '',
  buildx: none,
  ...fields,
});
const base = BASE_PLAN;

describe('hardening 17: docker options cannot be smuggled in through paths or keys', () => {
  const plan = planImage(base);

  test('hardening 17: the argv puts the context after -- as a path, and the Dockerfile as --file=<path>', () => {
    for (const args of [
      dockerBuildArgs(plan, build({ context: '-ctx', dockerfile: '--x' })),
      buildxBuildArgs(plan, build({ context: '-ctx', dockerfile: '--x' }), true, '/m.json', '/s'),
    ]) {
      expect(args.slice(-2)).toEqual(['--', './-ctx']);
      expect(args).toContain('--file=./--x');
      expect(args).not.toContain('--x');
      expect(args).not.toContain('-ctx');
      // Nothing but the context follows the end of the options.
      expect(args.indexOf('--')).toBe(args.length - 2);
    }
    // `-` (stdin for docker) and `--file=...` are paths too; absolute paths stay as they are.
    expect(dockerBuildArgs(plan, build({ context: '-', dockerfile: '-' }))).toEqual(
      expect.arrayContaining(['--file=./-', '--', './-']),
    );
    expect(
      dockerBuildArgs(plan, build({ context: '/w/app', dockerfile: '/w/Dockerfile' })).slice(-2),
    ).toEqual(['--', '/w/app']);
  });

  describe('hardening 17: context and dockerfile are paths inside the workspace', () => {
    let root: string;
    let workspace: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'docker-hardening-'));
      workspace = join(root, 'ws');
      mkdirSync(join(workspace, 'app', '-ctx'), { recursive: true });
      writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
      writeFileSync(join(workspace, 'app', '-Dockerfile'), 'FROM scratch\n');
      writeFileSync(join(root, 'Dockerfile.outside'), 'FROM scratch\n');
      symlinkSync(root, join(workspace, 'out-link'));
      symlinkSync(join(root, 'Dockerfile.outside'), join(workspace, 'Dockerfile.link'));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    test('hardening 17: folders and files inside come back as absolute paths', () => {
      expect(checkBuildInputs(build(), workspace, workspace)).toMatchObject({
        context: workspace,
        dockerfile: '',
      });
      expect(
        checkBuildInputs(
          build({ context: '-ctx', dockerfile: '-Dockerfile' }),
          workspace,
          join(workspace, 'app'),
        ),
      ).toMatchObject({
        context: join(workspace, 'app', '-ctx'),
        dockerfile: join(workspace, 'app', '-Dockerfile'),
      });
    });

    test.each([
      ['context', { context: '--file=/etc/passwd' }],
      ['context', { context: '-' }],
      ['context', { context: '..' }],
      ['context', { context: tmpdir() }],
      ['context', { context: 'out-link' }],
      ['context', { context: 'https://github.com/docker/buildx.git' }],
      ['context', { context: 'Dockerfile' }],
      ['dockerfile', { dockerfile: '--x' }],
      ['dockerfile', { dockerfile: '-' }],
      ['dockerfile', { dockerfile: '/etc/passwd' }],
      ['dockerfile', { dockerfile: '../Dockerfile.outside' }],
      ['dockerfile', { dockerfile: 'Dockerfile.link' }],
      ['dockerfile', { dockerfile: 'app' }],
      ['target', { target: '--file=/etc/passwd' }],
      ['target', { target: 'two words' }],
      ['secrets', { buildx: { ...none, secrets: [['../../escape', 'v']] as Array<[string, string]> } }],
      ['secrets', { buildx: { ...none, secrets: [['x,src=/etc/passwd', 'v']] as Array<[string, string]> } }],
    ] as Array<[string, Partial<BuildInputs>]>)(
      'hardening 17: %s %j is refused naming the input',
      (name, fields) => {
        expect(() => checkBuildInputs(build(fields), workspace, workspace)).toThrow(`Input '${name}'`);
      },
    );
  });

  test.each([
    ['labels', 'my label'],
    ['labels', ''],
    ['labels', 'a=b'],
    ['labels', 'bell\u0007key'],
    ['labels', 'tab\tkey'],
    ['build-args', 'MY ARG'],
    ['build-args', 'A=B'],
    ['build-args', 'NEW\nLINE'],
  ])('hardening 17: a %s key %j that docker would misparse is refused naming the input', (input, key) => {
    const pairs: Array<[string, string]> = [[key, 'value']];
    const given = input === 'labels' ? { labels: pairs } : { buildArgs: pairs };
    expect(() => planImage({ ...base, ...given })).toThrow(`Input '${input}'`);
  });

  test('hardening 17: ordinary keys still pass (dots, dashes, underscores, upper case)', () => {
    const plan = planImage({
      ...base,
      labels: [['org.example.team-name', 'x']],
      buildArgs: [['PIP_INDEX_URL', 'y']],
    });
    expect(plan.labels).toContainEqual(['org.example.team-name', 'x']);
    expect(plan.buildArgs).toContainEqual(['PIP_INDEX_URL', 'y']);
  });
});

describe('hardening 3: URLs with credentials', () => {
  test.each([
    'https://ci-bot:pa55-Secret9@gitea.example.com',
    'ci-bot:pa55-Secret9@gitea.example.com',
    'https://ci-bot:pa55-Secret9@gitea.example.com/with/path',
  ])('hardening 3: a registry %j with user:password is refused without echoing them', (value) => {
    let message = '';
    try {
      checkRegistry('registry', value);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Input 'registry' must not carry credentials/);
    expect(message).not.toContain('pa55-Secret9');
  });

  test('hardening 3: the source label never carries credentials of the server URL', () => {
    expect(sourceOfRun('https://ci-bot:pa55-Secret9@gitea.example.com/', 'Owner/App')).toBe(
      'https://gitea.example.com/Owner/App',
    );
    expect(sourceOfRun('https://gitea.example.com', 'Owner/App')).toBe('https://gitea.example.com/Owner/App');
    expect(sourceOfRun(undefined, 'Owner/App')).toBeUndefined();
    expect(sourceOfRun('https://gitea.example.com', undefined)).toBeUndefined();
  });
});
