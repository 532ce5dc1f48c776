import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tc from '@actions/tool-cache';
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { type CacheKey, findCached, type Origin, PAYLOAD, storeCached } from '../src/tool-cache.js';

const ZIP = 'https://www.python.org/ftp/python/3.11.9/python-3.11.9-embed-amd64.zip';
const ORIGIN: Origin = { zip: { url: ZIP, sha256: 'a'.repeat(64), bytes: 123 } };

function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    info: (message: string) => lines.push(message),
    warning: (message: string) => lines.push(`warning: ${message}`),
    debug: (message: string) => lines.push(`debug: ${message}`),
  };
}

/** A stage as fetch.ts leaves it: payload/ with files at two depths and, as linux-portable's, a link. */
function makeStage(files: Record<string, string> = {}): string {
  const stage = mkdtempSync(join(tmpdir(), 'tool-cache-stage-'));
  const payload = join(stage, PAYLOAD);
  mkdirSync(join(payload, 'tcl', 'tk8.6'), { recursive: true });
  writeFileSync(join(payload, 'python.exe'), 'MZ python');
  writeFileSync(join(payload, 'python311._pth'), 'python311.zip\r\n.\r\n#import site\r\n');
  writeFileSync(join(payload, 'python311.dll'), Buffer.alloc(3 * 1024 * 1024 + 17, 7));
  writeFileSync(join(payload, 'tcl', 'tk8.6', 'tk.tcl'), '# tk');
  symlinkSync('python.exe', join(payload, 'python3'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(payload, name), content);
  return stage;
}

/**
 * The tree digest as the first version of storeCached wrote it into origin.json (one file after the
 * other, in path order): entries cached before stay valid only while this is what is computed.
 */
function referenceDigest(dir: string) {
  const lines: string[] = [];
  let files = 0;
  let bytes = 0;
  const walk = (folder: string, rel: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const relPath = rel ? `${rel}/${name}` : name;
      const info = lstatSync(path);
      if (info.isDirectory()) walk(path, relPath);
      else if (info.isSymbolicLink()) lines.push(`L ${JSON.stringify(relPath)} ${readlinkSync(path)}`);
      else {
        files++;
        bytes += info.size;
        const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
        lines.push(`F ${JSON.stringify(relPath)} ${info.size} ${sha256}`);
      }
    }
  };
  walk(dir, '');
  return { files, bytes, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

describe('storeCached and findCached', () => {
  let saved: string | undefined;
  let cacheRoot: string;
  beforeEach(() => {
    // @actions/tool-cache logs its lookups as ::debug:: lines on stdout.
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    saved = process.env.RUNNER_TOOL_CACHE;
    cacheRoot = mkdtempSync(join(tmpdir(), 'tool-cache-root-'));
    process.env.RUNNER_TOOL_CACHE = cacheRoot;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    if (saved === undefined) delete process.env.RUNNER_TOOL_CACHE;
    else process.env.RUNNER_TOOL_CACHE = saved;
  });

  test("writes the entry where @actions/tool-cache's find looks, with origin.json and the same digest as before", async () => {
    const key: CacheKey = { tool: 'python-embed', version: '3.11.9', arch: 'amd64' };
    const stage = makeStage();
    const logger = recordingLogger();
    await storeCached(stage, ORIGIN, key, logger);
    const root = join(cacheRoot, 'python-embed', '3.11.9', 'amd64');
    expect(tc.find('python-embed', '3.11.9', 'amd64')).toBe(root);
    expect(existsSync(`${root}.complete`)).toBe(true);
    const record = JSON.parse(readFileSync(join(root, 'origin.json'), 'utf8'));
    expect(record).toEqual({ ...ORIGIN, payload: referenceDigest(join(stage, PAYLOAD)) });
    expect(readFileSync(join(root, PAYLOAD, 'tcl', 'tk8.6', 'tk.tcl'), 'utf8')).toBe('# tk');
    expect(readlinkSync(join(root, PAYLOAD, 'python3'))).toBe('python.exe');
    expect(logger.lines).toContain(`Cached as python-embed 3.11.9 amd64: ${root}`);
    expect(logger.lines.some((line) => line.startsWith('debug: Tool cache: payload digest '))).toBe(true);

    const hit = await findCached(key, { zip: { url: ZIP } }, logger);
    expect(hit).toEqual({ dir: join(root, PAYLOAD), origin: ORIGIN });
  });

  test('a pre-release version is filed under its semver spelling', async () => {
    const key: CacheKey = { tool: 'python-embed', version: '3.13.0-rc.2', arch: 'arm64' };
    await storeCached(makeStage(), ORIGIN, key, recordingLogger());
    expect(existsSync(join(cacheRoot, 'python-embed', '3.13.0-rc.2', 'arm64.complete'))).toBe(true);
    expect(await findCached(key, { zip: { url: ZIP } }, recordingLogger())).toBeDefined();
  });

  test('a version tool-cache rewrites (v prefix, build metadata) is filed where tool-cache puts it, and found again', async () => {
    for (const version of ['v3.12.4', '3.12.4+20240713']) {
      const key: CacheKey = { tool: 'python-standalone', version, arch: 'x64' };
      await storeCached(makeStage(), ORIGIN, key, recordingLogger());
      expect(existsSync(join(cacheRoot, 'python-standalone', '3.12.4', 'x64.complete'))).toBe(true);
      expect(await findCached(key, { zip: { url: ZIP } }, recordingLogger())).toBeDefined();
    }
  });

  test('storing again replaces the entry: files the new payload lacks are gone', async () => {
    const key: CacheKey = { tool: 'python-embed', version: '3.11.9', arch: 'amd64' };
    await storeCached(makeStage({ 'stale.pyd': 'old' }), ORIGIN, key, recordingLogger());
    await storeCached(makeStage(), ORIGIN, key, recordingLogger());
    const payload = join(cacheRoot, 'python-embed', '3.11.9', 'amd64', PAYLOAD);
    expect(existsSync(join(payload, 'stale.pyd'))).toBe(false);
    expect(await findCached(key, { zip: { url: ZIP } }, recordingLogger())).toBeDefined();
  });

  test('a changed, added or removed file after caching is a miss (the digest is still checked)', async () => {
    const key: CacheKey = { tool: 'python-embed', version: '3.11.9', arch: 'amd64' };
    const payload = join(cacheRoot, 'python-embed', '3.11.9', 'amd64', PAYLOAD);
    const changes: Array<() => void> = [
      () => writeFileSync(join(payload, 'python311.dll'), Buffer.alloc(3 * 1024 * 1024 + 17, 8)),
      () => writeFileSync(join(payload, 'tcl', 'extra.tcl'), ''),
      () => writeFileSync(join(payload, 'tcl', 'tk8.6', 'tk.tcl'), '# TK'),
      () => rmSync(join(payload, 'python.exe')),
    ];
    for (const change of changes) {
      await storeCached(makeStage(), ORIGIN, key, recordingLogger());
      change();
      const logger = recordingLogger();
      expect(await findCached(key, { zip: { url: ZIP } }, logger)).toBeUndefined();
      expect(logger.lines.join('\n')).toContain('does not match the digest recorded when it was cached');
    }
  });

  test('a tool cache that cannot be written is a warning, and the run goes on', async () => {
    const file = join(cacheRoot, 'not-a-folder');
    writeFileSync(file, '');
    process.env.RUNNER_TOOL_CACHE = file;
    const logger = recordingLogger();
    await storeCached(
      makeStage(),
      ORIGIN,
      { tool: 'python-embed', version: '3.11.9', arch: 'amd64' },
      logger,
    );
    expect(logger.lines.filter((line) => line.startsWith('warning: '))).toEqual([
      expect.stringMatching(/^warning: Could not write the tool cache \(.*\); the next run downloads again$/),
    ]);
  });
});
