import { describe, expect, test } from '@jest/globals';
import {
  type BuildInputs,
  type BuildxInputs,
  buildxBuildArgs,
  checkBuilderInputs,
  chooseBuilder,
  dockerBuildArgs,
} from '../src/builder.js';
import type { ImagePlan } from '../src/plan.js';
import { NO_BUILDX } from './fixtures.js';

const none = NO_BUILDX;
const plan: ImagePlan = {
  repository: 'r.example/o/app',
  refs: ['r.example/o/app:v1.0.0', 'r.example/o/app:1.0.0'],
  tags: ['v1.0.0', '1.0.0'],
  version: '1.0.0',
  prerelease: false,
  buildArgs: [['APP_VERSION', '1.0.0']],
  labels: [['org.opencontainers.image.version', '1.0.0']],
};
const build = (buildx: Partial<BuildxInputs> = {}): BuildInputs => ({
  context: '.',
  dockerfile: '',
  target: 'runtime',
  buildx: { ...none, ...buildx },
});

describe('which builder runs', () => {
  test('auto: buildx when it answers, else docker build (the seed way)', () => {
    expect(chooseBuilder('auto', true, none)).toBe('buildx');
    expect(chooseBuilder('auto', false, none)).toBe('docker');
    expect(chooseBuilder('docker', true, none)).toBe('docker');
  });

  test('buildx asked for, or buildx-only inputs, on a runner without buildx: one line saying what to do', () => {
    expect(() => chooseBuilder('buildx', false, none)).toThrow(
      /'builder' is buildx, but `docker buildx version` fails/,
    );
    expect(() => chooseBuilder('auto', false, { ...none, platforms: ['linux/arm64'], sbom: true })).toThrow(
      /^platforms, sbom need buildx, but `docker buildx version` fails on this runner/,
    );
  });

  test('builder: docker with a buildx-only input names both inputs', () => {
    expect(() => checkBuilderInputs('docker', { ...none, platforms: ['linux/amd64'] })).toThrow(
      "Input 'platforms' needs buildx, but 'builder' is docker (use buildx or auto)",
    );
    expect(() => checkBuilderInputs('docker', none)).not.toThrow();
    expect(() => checkBuilderInputs('auto', { ...none, cacheTo: ['type=inline'] })).not.toThrow();
  });
});

describe('command lines', () => {
  test('docker build: every tag, build args, labels, target, then -- and the context', () => {
    expect(dockerBuildArgs(plan, build())).toEqual([
      'build',
      '--target',
      'runtime',
      '--build-arg',
      'APP_VERSION=1.0.0',
      '--label',
      'org.opencontainers.image.version=1.0.0',
      '--tag',
      'r.example/o/app:v1.0.0',
      '--tag',
      'r.example/o/app:1.0.0',
      '--',
      '.',
    ]);
  });

  test('buildx: pushes itself, platforms, caches, secrets as files only, attestations off unless asked', () => {
    const args = buildxBuildArgs(
      plan,
      build({
        platforms: ['linux/amd64', 'linux/arm64'],
        cacheFrom: ['type=registry,ref=r.example/o/app:cache'],
        cacheTo: ['type=inline'],
        secrets: [['pip_token', 'S3CRET-value']],
      }),
      true,
      '/tmp/meta.json',
      '/tmp/secrets',
    );
    expect(args.slice(0, 2)).toEqual(['buildx', 'build']);
    expect(args).toEqual(
      expect.arrayContaining([
        '--push',
        '--platform',
        'linux/amd64,linux/arm64',
        '--cache-from',
        'type=registry,ref=r.example/o/app:cache',
        '--cache-to',
        'type=inline',
        '--secret',
        'id=pip_token,src=/tmp/secrets/pip_token',
        '--provenance=false',
        '--sbom=false',
        '--metadata-file',
        '/tmp/meta.json',
      ]),
    );
    expect(args.join(' ')).not.toContain('S3CRET-value');
    expect(args.slice(-2)).toEqual(['--', '.']);
    expect(buildxBuildArgs(plan, build({ provenance: true }), false, 'm', 's')).toEqual(
      expect.arrayContaining(['--load', '--provenance=true']),
    );
  });
});
