import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GIT_ENV } from '@forge-actions/testing/git';
import { describe, expect, test } from '@jest/globals';
import { planPortable } from '../src/portable.js';
import { archiveTime, ZIP_EPOCH } from '../src/timestamp.js';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portable-'));
  mkdirSync(join(dir, 'dist', 'python'), { recursive: true });
  writeFileSync(join(dir, 'notes.txt'), 'x');
  return dir;
}

const base = { source: 'dist', format: '', rootDir: '', version: '', tag: 'v1.2.0' };

describe('planPortable', () => {
  test('expands {version} (the tag without v) and {tag}; the root folder defaults to the file name', () => {
    const ws = workspace();
    const plan = planPortable({ ...base, workspace: ws, output: 'build/App-{version}-{tag}-win64.zip' });
    expect(plan).toEqual({
      source: join(ws, 'dist'),
      output: join(ws, 'build', 'App-1.2.0-v1.2.0-win64.zip'),
      format: 'zip',
      rootDir: 'App-1.2.0-v1.2.0-win64',
      version: '1.2.0',
      tag: 'v1.2.0',
    });
  });

  test('format from .tar.gz and .tgz; explicit root folder with placeholders; a dot means none', () => {
    const ws = workspace();
    expect(
      planPortable({ ...base, workspace: ws, output: 'a.tar.gz', rootDir: 'app-{version}' }),
    ).toMatchObject({
      format: 'tar.gz',
      rootDir: 'app-1.2.0',
    });
    expect(planPortable({ ...base, workspace: ws, output: 'a.tgz', rootDir: '.' })).toMatchObject({
      format: 'tar.gz',
      rootDir: '',
    });
    expect(planPortable({ ...base, workspace: ws, output: 'a.bin', format: 'zip' }).format).toBe('zip');
  });

  test.each([
    [{ output: 'App-{sha}.zip' }, "Input 'output' has an unknown placeholder {sha}; use {tag} or {version}"],
    [{ output: 'App-{version}.zip', tag: '' }, "Input 'output' uses {version} but no version is known"],
    [{ output: 'App.rar' }, "Input 'output' must end in .zip, .tar.gz or .tgz, or set format"],
    [{ output: 'App.zip', format: 'rar' }, "Input 'format' must be zip or tar.gz (got 'rar')"],
    [
      { output: 'App.zip', format: 'tar.gz' },
      "Input 'format' is tar.gz but output 'App.zip' names a zip file",
    ],
    [{ output: 'dist/App.zip' }, "Input 'output' must not lie inside the source folder"],
    [
      { output: 'App.zip', rootDir: '../up' },
      "Input 'root-dir' must be a relative folder name inside the archive ('..' segment)",
    ],
    [
      { output: 'App.zip', rootDir: '/abs' },
      "Input 'root-dir' must be a relative folder name inside the archive (absolute path)",
    ],
    [{ output: 'App.zip', source: 'missing' }, "Input 'source' names no existing folder"],
    [{ output: 'App.zip', source: 'notes.txt' }, "Input 'source' must be a folder, not a file"],
    [{ output: 'dist' }, "Input 'output' must not lie inside the source folder"],
  ])('%j fails: %s', (inputs, message) => {
    const ws = workspace();
    expect(() => planPortable({ ...base, workspace: ws, ...inputs })).toThrow(message);
  });
});

describe('archiveTime', () => {
  test('SOURCE_DATE_EPOCH wins', async () => {
    const time = await archiveTime('1700000000', tmpdir());
    expect(time).toEqual({ date: new Date(1_700_000_000_000), source: 'SOURCE_DATE_EPOCH' });
  });

  test('a SOURCE_DATE_EPOCH that is not whole seconds fails', async () => {
    await expect(archiveTime('2024-01-01', tmpdir())).rejects.toThrow(
      "SOURCE_DATE_EPOCH must be whole seconds since 1970 (got '2024-01-01')",
    );
  });

  test("else the last commit's committer time", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'portable-git-'));
    const env = {
      ...GIT_ENV,
      GIT_COMMITTER_DATE: '@1600000000 +0000',
    };
    execFileSync('git', ['init', '-q'], { cwd: repo, env });
    mkdirSync(join(repo, 'dist'));
    writeFileSync(join(repo, 'a.txt'), 'a');
    execFileSync('git', ['add', '.'], { cwd: repo, env });
    execFileSync('git', ['commit', '-q', '-m', 'a'], { cwd: repo, env });
    expect(await archiveTime(undefined, join(repo, 'dist'))).toEqual({
      date: new Date(1_600_000_000_000),
      source: 'commit',
    });
  });

  test('else 1980-01-01, with the reason', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'portable-nogit-'));
    const time = await archiveTime(undefined, outside);
    expect(time.date).toEqual(ZIP_EPOCH);
    expect(time.source).toBe('default');
    expect(time.note).toMatch(/not a git repository/i);
  });
});
