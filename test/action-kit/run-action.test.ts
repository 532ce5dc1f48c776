import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runAction } from '@forge-actions/testing/run-action';
import { beforeAll, describe, expect, test } from '@jest/globals';

// The kit is exercised through a real ncc bundle of a fixture action, run as a runner runs it.
const fixture = join(REPO_ROOT, 'test', 'fixtures', 'kit-action');
let entry = '';

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'kit-fixture-'));
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'ncc'), [
    'build',
    join(fixture, 'src', 'main.ts'),
    '-o',
    join(out, 'dist'),
    '-t',
    '-q',
  ]);
  entry = join(out, 'dist', 'index.js');
  // The kit reads ../action.yml next to the bundle, as in actions/<name>/dist.
  execFileSync('cp', [join(fixture, 'action.yml'), join(out, 'action.yml')]);
});

const run = (mode: string, env: Record<string, string> = {}) =>
  runAction('kit-action', { actionDir: fixture, entry, inputs: { mode }, env });

describe('runAction (bundled)', () => {
  test('every declared output is set, multi-line values intact, unset ones empty', async () => {
    const r = await run('ok', { GITHUB_TOKEN: 'tok-123456' });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ single: 'one', multi: 'line 1\nline 2', unset: '' });
    expect(r.summary).toContain('| token | *** |');
  });

  test('an input error fails with one annotated line and no stack', async () => {
    const r = await run('input');
    expect(r.code).toBe(1);
    expect(r.errors).toEqual(["Input 'mode' is wrong on purpose"]);
    expect(r.stdout).not.toMatch(/\bat .*\.js:\d+/);
  });

  test('a file at fault is annotated with its file and line', async () => {
    const r = await run('file');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error file=installer.nsi,line=7::installer.nsi is broken');
  });

  test('an unexpected error says so; its stack appears only under RUNNER_DEBUG', async () => {
    const quiet = await run('crash');
    expect(quiet.code).toBe(1);
    expect(quiet.errors).toEqual(['Unexpected error: boom']);
    expect(quiet.stdout).not.toContain('TypeError: boom\n    at');
    const debug = await run('crash', { RUNNER_DEBUG: '1' });
    expect(debug.stdout).toMatch(/TypeError: boom\n\s+at /);
  });

  test('secrets are redacted from failures even off a runner', async () => {
    const r = await run('secret', { GITHUB_TOKEN: 'very-secret-value' });
    expect(r.errors).toEqual(['server rejected token ***']);
    expect(r.stdout.replace(/::add-mask::.*\n/, '')).not.toContain('very-secret-value');
  });

  test('a failure can still set outputs (what did succeed)', async () => {
    const r = await run('partial');
    expect(r.code).toBe(1);
    expect(r.errors).toEqual(['2 of 3 files failed']);
    expect(r.outputs).toEqual({ single: 'partial', multi: '', unset: '' });
  });

  test('an output action.yml does not declare is a bug, reported as unexpected', async () => {
    const r = await run('undeclared');
    expect(r.errors).toEqual(["Unexpected error: action.yml declares no output 'nope'"]);
  });
});
