import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { formatBytes } from '../src/bytes.js';
import { runnerContext } from '../src/runner.js';

describe('runnerContext', () => {
  test('reads the runner environment once', () => {
    const temp = join(tmpdir(), `runner-test-${process.pid}`);
    const runner = runnerContext(
      {
        GITHUB_WORKSPACE: '/w',
        RUNNER_TEMP: temp,
        RUNNER_TOOL_CACHE: '/tc',
        GITHUB_REF: 'refs/tags/v1.2.0',
        GITHUB_SERVER_URL: 'https://gitea.example',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_SHA: 'abc',
        SOURCE_DATE_EPOCH: '1700000000',
        RUNNER_DEBUG: '1',
      },
      '/cwd',
    );
    expect(runner).toMatchObject({
      workspace: '/w',
      temp,
      toolCache: '/tc',
      tag: 'v1.2.0',
      serverUrl: 'https://gitea.example',
      repository: 'o/r',
      sha: 'abc',
      sourceDateEpoch: '1700000000',
      debug: true,
      writableRoots: ['/w', temp, '/tc'],
    });
    const made = runner.tempDir('step');
    try {
      expect(dirname(made)).toBe(temp);
      expect(existsSync(made)).toBe(true);
      expect(runner.tempDir('step')).not.toBe(made);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  test('outside a runner: the working directory, the OS temp, no tag', () => {
    const runner = runnerContext({}, '/cwd');
    expect(runner).toMatchObject({ workspace: '/cwd', toolCache: undefined, tag: '', debug: false });
    expect(runner.temp).toBe(join(tmpdir(), 'forge-actions'));
    expect(runner.writableRoots).toEqual(['/cwd', runner.temp]);
  });

  test.each([
    [{ GITHUB_REF: 'refs/heads/main' }, ''],
    [{ GITHUB_REF: 'refs/tags/app-v2' }, 'app-v2'],
    [{ GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v3' }, 'v3'],
    [{ GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'main' }, ''],
  ])('the tag of the run from %j is %j', (env, tag) => {
    expect(runnerContext(env, '/cwd').tag).toBe(tag);
  });
});

test('formatBytes: one form for every size shown', () => {
  expect(formatBytes(0)).toBe('0 B');
  expect(formatBytes(1023)).toBe('1023 B');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(5 * 1024 ** 2)).toBe('5.0 MiB');
  expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  expect(formatBytes(2 * 1024 ** 4)).toBe('2.0 TiB');
});
