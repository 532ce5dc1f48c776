import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadActionMetadata } from '@forge-actions/action-kit/action-yml';
import { REPO_ROOT, runAction } from '@forge-actions/testing/run-action';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { bundleAction } from '../../scripts/bundle.js';

// The kit is exercised through the fixture action bundled as the build bundles every action
// (scripts/bundle.ts: action.json beside the bundle), run as a runner runs it; and through a plain ncc
// build without action.json, as a run from source reads action.yml.
const fixture = join(REPO_ROOT, 'test', 'fixtures', 'kit-action');
let entry = '';
let plainEntry = '';

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'kit-fixture-'));
  bundleAction(fixture, join(out, 'dist'));
  entry = join(out, 'dist', 'index.js');
  const plain = mkdtempSync(join(tmpdir(), 'kit-fixture-plain-'));
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'ncc'), [
    'build',
    join(fixture, 'src', 'main.ts'),
    '-o',
    join(plain, 'dist'),
    '-t',
    '-q',
  ]);
  plainEntry = join(plain, 'dist', 'index.js');
  // The kit reads ../action.yml next to a bundle without action.json, as in actions/<name>/dist.
  for (const dir of [out, plain]) execFileSync('cp', [join(fixture, 'action.yml'), join(dir, 'action.yml')]);
});

const run = (mode: string, env: Record<string, string> = {}) =>
  runAction('kit-action', { actionDir: fixture, entry, inputs: { mode }, env });

describe('where the kit reads action.yml from', () => {
  test('a built bundle carries its metadata as action.json and runs from it', async () => {
    const dist = dirname(entry);
    const metadata = JSON.parse(readFileSync(join(dist, 'action.json'), 'utf8'));
    expect(metadata).toEqual(loadActionMetadata(join(fixture, 'action.yml')));
    // An output only action.json declares is set: the run took its outputs from there.
    const copy = mkdtempSync(join(tmpdir(), 'kit-fixture-json-'));
    cpSync(dist, join(copy, 'dist'), { recursive: true });
    metadata.outputs.push('only-in-json');
    writeFileSync(join(copy, 'dist', 'action.json'), JSON.stringify(metadata));
    const r = await runAction('kit-action', { actionDir: fixture, entry: join(copy, 'dist', 'index.js') });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ single: 'one', multi: 'line 1\nline 2', unset: '', 'only-in-json': '' });
  });

  test('without action.json (a plain ncc build) the kit parses ../action.yml', async () => {
    const r = await runAction('kit-action', {
      actionDir: fixture,
      entry: plainEntry,
      inputs: { mode: 'ok' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ single: 'one', multi: 'line 1\nline 2', unset: '' });
  });
});

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
