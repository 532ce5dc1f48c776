import { describe, expect, test } from '@jest/globals';
import { creationTime, planImage } from '../src/plan.js';
import { checkImage, checkRegistry, checkTag, registryOfServerUrl } from '../src/reference.js';
import { isWebhookUrl } from '../src/webhook.js';
import { BASE_PLAN } from './fixtures.js';

const base = BASE_PLAN;

describe('planImage', () => {
  test.each([
    ['v0.2.0', 'auto', ['v0.2.0', '0.2.0', 'latest']],
    ['v0.2.0-alpha.1', 'auto', ['v0.2.0-alpha.1', '0.2.0-alpha.1']],
    ['v0.2.0-beta.2', 'auto', ['v0.2.0-beta.2', '0.2.0-beta.2']],
    ['v0.2.0-rc.1', 'auto', ['v0.2.0-rc.1', '0.2.0-rc.1']],
    ['0.2.0rc1', 'auto', ['0.2.0rc1']],
    ['nightly', 'auto', ['nightly']],
    ['v0.2.0-rc.1', 'true', ['v0.2.0-rc.1', '0.2.0-rc.1', 'latest']],
    ['v0.2.0', 'false', ['v0.2.0', '0.2.0']],
    ['1.0.0+build.5', 'auto', ['1.0.0-build.5', 'latest']],
  ] as const)('%s with latest=%s tags %j (the tag as pushed, the clean version)', (version, latest, tags) => {
    expect(planImage({ ...base, version, latest }).tags).toEqual(tags);
  });

  test('floating major and minor tags and the sha tag; a pre-release never moves a floating tag', () => {
    const all = {
      ...base,
      floating: { major: true, minor: true },
      shaTag: true,
      revision: 'abcdef0123456789',
    };
    expect(planImage({ ...all, version: 'v1.2.3' }).tags).toEqual([
      'v1.2.3',
      '1.2.3',
      '1',
      '1.2',
      'sha-abcdef0',
      'latest',
    ]);
    expect(planImage({ ...all, version: 'v1.3.0-rc.1' }).tags).toEqual([
      'v1.3.0-rc.1',
      '1.3.0-rc.1',
      'sha-abcdef0',
    ]);
    expect(() => planImage({ ...all, revision: undefined })).toThrow(
      "Input 'tag-sha' is true but the run names no commit",
    );
  });

  test('tags templates: {tag}, {version}, {major}, {minor}, {sha}; an unknown field names it', () => {
    const plan = planImage({
      ...base,
      revision: 'abcdef0123456789',
      extraTags: ['{major}.{minor}-stable', 'build-{sha}', 'release-{version}', '{tag}'],
    });
    expect(plan.tags).toEqual(['v1.2.0', '1.2.0', '1.2-stable', 'build-abcdef0', 'release-1.2.0', 'latest']);
    expect(() => planImage({ ...base, extraTags: ['{branch}'] })).toThrow(
      "Input 'tags' has an unknown placeholder {branch}; use {tag}, {version}, {major}, {minor} or {sha}",
    );
    expect(() => planImage({ ...base, extraTags: ['{sha}'] })).toThrow(
      "Input 'tags' uses {sha} but no sha is known in this run",
    );
    expect(() => planImage({ ...base, version: 'nightly', extraTags: ['{major}'] })).toThrow(
      "Input 'tags' uses {major} but no major is known in this run",
    );
  });

  test('always sets APP_VERSION and the OCI labels; given lines win', () => {
    const plan = planImage({
      ...base,
      extraTags: ['edge', 'latest'],
      buildArgs: [['PIP_INDEX', 'x']],
      labels: [['org.opencontainers.image.source', 'https://elsewhere/x']],
      revision: 'abc',
      source: 'https://gitea.example.com/owner/app',
    });
    expect(plan.refs).toEqual([
      'gitea.example.com/owner/app:v1.2.0',
      'gitea.example.com/owner/app:1.2.0',
      'gitea.example.com/owner/app:edge',
      'gitea.example.com/owner/app:latest',
    ]);
    expect(plan.buildArgs).toEqual([
      ['APP_VERSION', '1.2.0'],
      ['PIP_INDEX', 'x'],
    ]);
    expect(Object.fromEntries(plan.labels)).toEqual({
      'org.opencontainers.image.version': '1.2.0',
      'org.opencontainers.image.created': '2026-01-01T00:00:00Z',
      'org.opencontainers.image.revision': 'abc',
      'org.opencontainers.image.source': 'https://elsewhere/x',
    });
  });

  test('bad versions and tags name their input', () => {
    expect(() => planImage({ ...base, version: '1.2 beta!' })).toThrow("Input 'version'");
    expect(() => planImage({ ...base, extraTags: ['-bad'] })).toThrow("Input 'tags'");
  });

  test('creationTime follows SOURCE_DATE_EPOCH', () => {
    expect(creationTime({ SOURCE_DATE_EPOCH: '1700000000' })).toBe('2023-11-14T22:13:20Z');
    expect(creationTime({}, new Date('2026-02-03T04:05:06.789Z'))).toBe('2026-02-03T04:05:06Z');
  });
});

describe('references', () => {
  test('registry', () => {
    expect(registryOfServerUrl('https://Gitea.example.com:3000/')).toBe('gitea.example.com:3000');
    expect(checkRegistry('registry', 'https://gitea.example.com:3000/')).toBe('gitea.example.com:3000');
    expect(checkRegistry('registry', '127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(() => checkRegistry('registry', 'host/path')).toThrow("Input 'registry'");
    expect(() => checkRegistry('registry', '')).toThrow("Input 'registry'");
  });

  test('image', () => {
    expect(checkImage('image', 'owner/my-app')).toBe('owner/my-app');
    expect(checkImage('image', 'a/b__c/d.e')).toBe('a/b__c/d.e');
    for (const bad of ['Owner/app', 'owner/app:1', 'owner//app', '-a/b', 'a b', 'owner/app@sha256:x']) {
      expect(() => checkImage('image', bad)).toThrow("Input 'image'");
    }
  });

  test('tag', () => {
    expect(checkTag('tags', 'v1.2.0_rc-1')).toBe('v1.2.0_rc-1');
    for (const bad of ['.x', '-x', 'a b', 'a:b', 'x'.repeat(129)])
      expect(() => checkTag('tags', bad)).toThrow();
  });

  test('webhook URL', () => {
    expect(isWebhookUrl('https://portainer.local:9443/api/webhooks/abc')).toBe(true);
    expect(isWebhookUrl('http://127.0.0.1/api/stacks/webhooks/abc')).toBe(true);
    expect(isWebhookUrl('ftp://x/y')).toBe(false);
    expect(isWebhookUrl('portainer/api/webhooks/abc')).toBe(false);
  });
});
