import { Readable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { attachmentLink, byNameLink } from '../src/gitea-links.js';
import { parseGiteaVersion } from '../src/index.js';
import { sha256FromDigest, stripUriTemplate, toAsset, toRelease } from '../src/models.js';
import { multipartFile, quoteFilename } from '../src/multipart.js';
import { ROUTES, routePath } from '../src/routes.js';
import { acceptsRawUpload } from '../src/version.js';

describe('routes', () => {
  test('placeholders are filled per flavour and percent-encoded', () => {
    const p = { owner: 'octo', repo: 'app', releaseId: 7, assetId: 9, tag: 'v1.0.0+build/1' };
    expect(routePath('gitea', 'deleteAsset', p)).toBe('/repos/octo/app/releases/7/assets/9');
    expect(routePath('github', 'deleteAsset', p)).toBe('/repos/octo/app/releases/assets/9');
    expect(routePath('github', 'getReleaseByTag', p)).toBe(
      '/repos/octo/app/releases/tags/v1.0.0%2Bbuild%2F1',
    );
    expect(routePath('gitea', 'version', p)).toBe('/version');
  });

  test('a missing value or route is an error, not a malformed URL', () => {
    expect(() => routePath('github', 'getRelease', { owner: 'o', repo: 'r' })).toThrow(/\{release_id\}/);
    expect(() => routePath('github', 'version', { owner: 'o', repo: 'r' })).toThrow(/no version route/);
  });

  test('every route names a method and a path', () => {
    for (const byFlavour of Object.values(ROUTES)) {
      for (const route of Object.values(byFlavour)) expect(route.path.startsWith('/')).toBe(true);
    }
  });
});

describe('models', () => {
  test('a GitHub release: template stripped, digest read', () => {
    const release = toRelease({
      id: 3,
      tag_name: 'v1',
      name: null,
      body: null,
      draft: true,
      prerelease: false,
      html_url: 'https://github.com/o/r/releases/tag/untagged-1',
      upload_url: 'https://uploads.github.com/repos/o/r/releases/3/assets{?name,label}',
      target_commitish: 'main',
      assets: [
        {
          id: 5,
          name: 'App.zip',
          size: 10,
          state: 'uploaded',
          browser_download_url: 'https://github.com/o/r/releases/download/v1/App.zip',
          digest: `sha256:${'AB'.repeat(32)}`,
          created_at: '2026-01-01T00:00:00Z',
          label: '',
        },
      ],
    });
    expect(release).toEqual({
      id: 3,
      tagName: 'v1',
      name: '',
      body: '',
      draft: true,
      prerelease: false,
      htmlUrl: 'https://github.com/o/r/releases/tag/untagged-1',
      uploadUrl: 'https://uploads.github.com/repos/o/r/releases/3/assets',
      targetCommitish: 'main',
      immutable: false,
      assets: [
        {
          id: 5,
          name: 'App.zip',
          size: 10,
          state: 'uploaded',
          downloadUrl: 'https://github.com/o/r/releases/download/v1/App.zip',
          sha256: 'ab'.repeat(32),
          createdAt: '2026-01-01T00:00:00Z',
        },
      ],
    });
  });

  test('a Gitea attachment has no digest or state', () => {
    const asset = toAsset({
      id: 1,
      name: 'a',
      size: 2,
      uuid: 'u-1',
      browser_download_url: 'http://g/attachments/u-1',
    });
    expect(asset).toEqual({
      id: 1,
      name: 'a',
      size: 2,
      uuid: 'u-1',
      downloadUrl: 'http://g/attachments/u-1',
    });
  });

  test("a Forgejo external link is marked external; Forgejo's uploaded files are not", () => {
    const link = {
      id: 2,
      name: 'm',
      size: 0,
      type: 'external',
      browser_download_url: 'https://x/attachments/a',
    };
    expect(toAsset(link)).toMatchObject({ external: true, size: 0, downloadUrl: 'https://x/attachments/a' });
    expect(toAsset({ ...link, size: 3, type: 'attachment' }).external).toBeUndefined();
  });

  test('an answer without a numeric id, a name or a size is refused, not guessed', () => {
    expect(() => toRelease({ tag_name: 'v1' })).toThrow(/not a release \(it has no numeric id\)/);
    expect(() => toRelease({ id: 1, tag_name: '' })).toThrow(/not a release \(it has no tag_name\)/);
    expect(() => toAsset({ id: '7', name: 'a', size: 1 })).toThrow(/not an asset/);
    expect(() => toAsset({ id: 7, name: 'a', size: -1 })).toThrow(/a has no size/);
    expect(() => toRelease({ id: 1, tag_name: 'v1', assets: [{ id: 2, size: 1 }] })).toThrow(
      /it has no name/,
    );
  });

  test('Gitea links by uuid become the by-name form users can keep; by-name links stay', () => {
    expect(byNameLink('https://g.example/attachments/u-1', 'octo/app', 'v1.0.0+b/1', 'App 1.zip')).toBe(
      'https://g.example/octo/app/releases/download/v1.0.0%2Bb%2F1/App%201.zip',
    );
    const byName = 'https://g.example/octo/app/releases/download/v1/App.zip';
    expect(byNameLink(byName, 'octo/app', 'v1', 'App.zip')).toBe(byName);
    expect(attachmentLink(byName, 'u-9', 'octo/app', 'https://other')).toBe(
      'https://g.example/attachments/u-9',
    );
    expect(attachmentLink(byName, undefined, 'octo/app', 'https://other')).toBe(byName);
  });

  test('digests other than sha256 are ignored', () => {
    expect(sha256FromDigest(null)).toBeUndefined();
    expect(sha256FromDigest('md5:abc')).toBeUndefined();
    expect(sha256FromDigest('sha256:short')).toBeUndefined();
    expect(stripUriTemplate('http://g/api/v1/repos/o/r/releases/1/assets')).toBe(
      'http://g/api/v1/repos/o/r/releases/1/assets',
    );
  });
});

describe('Gitea versions', () => {
  test.each([
    ['1.25.4', [1, 25, 4], true],
    ['1.22.0', [1, 22, 0], true],
    ['1.21.11', [1, 21, 11], false],
    ['1.23.0+dev-120-g1234abc', [1, 23, 0], true],
    ['7.0.5+gitea-1.21.11', [1, 21, 11], false],
    ['v1.22', [1, 22, 0], true],
  ])('%s', (text, parsed, raw) => {
    expect(parseGiteaVersion(text)).toEqual(parsed);
    expect(acceptsRawUpload(text)).toBe(raw);
  });

  test('unknown versions get multipart, which every version accepts', () => {
    expect(acceptsRawUpload(undefined)).toBe(false);
    expect(acceptsRawUpload('development')).toBe(false);
  });
});

describe('multipart bodies', () => {
  test('the announced length is exact and a real form-data parser reads the field back', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'multipart-'));
    const path = join(dir, 'App "1".zip');
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    await writeFile(path, bytes);
    const body = multipartFile({
      field: 'attachment',
      fileName: 'App "1".zip',
      path,
      size: bytes.length,
      fileContentType: 'application/zip',
    });
    const chunks: Buffer[] = [];
    for await (const chunk of body.open()) chunks.push(chunk as Buffer);
    const whole = Buffer.concat(chunks);
    expect(whole.length).toBe(body.length);
    // A second open gives the same bytes: each attempt gets its own stream.
    const again: Buffer[] = [];
    for await (const chunk of body.open()) again.push(chunk as Buffer);
    expect(Buffer.concat(again).equals(whole)).toBe(true);

    const form = await new Response(Readable.toWeb(Readable.from([whole])) as ReadableStream, {
      headers: { 'content-type': body.contentType },
    }).formData();
    const file = form.get('attachment') as File;
    expect(file.name).toBe('App "1".zip');
    expect(file.type).toBe('application/zip');
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
  });

  test('quoteFilename escapes what would break the header', () => {
    expect(quoteFilename('a"b\r\nc')).toBe('a%22b%0D%0Ac');
  });
});
