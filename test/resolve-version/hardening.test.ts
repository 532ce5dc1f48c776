// Hardening (issue 14) of resolve-version as a runner runs it: `stamp` writes only inside the workspace.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '@forge-actions/testing/git';
import { runAction } from '@forge-actions/testing/run-action';
import { describe, expect, test } from '@jest/globals';

const PYPROJECT = '[project]\nname = "demo"\nversion = "0.9.0"\n';
const OUTSIDE = '[project]\nname = "someone-else"\nversion = "7.7.7"  # not ours\n';

/**
 * A parent folder holding `ws/` (a git repository with a pyproject.toml, the workspace) and, beside
 * it, `x/pyproject.toml`, a file of someone else's.
 */
function layout(): { ws: string; outside: string } {
  const parent = mkdtempSync(join(tmpdir(), 'stamp-confine-'));
  const ws = join(parent, 'ws');
  mkdirSync(join(ws, 'tools'), { recursive: true });
  // `..dist` is a folder name, not a way out: it must not be what the check trips over.
  mkdirSync(join(ws, '..dist'));
  writeFileSync(join(ws, '..dist', 'pyproject.toml'), PYPROJECT);
  mkdirSync(join(parent, 'x'));
  const outside = join(parent, 'x', 'pyproject.toml');
  writeFileSync(outside, OUTSIDE);
  writeFileSync(join(ws, 'pyproject.toml'), PYPROJECT);
  // A workspace file that is a symlink to the outside file (committed: git status stays clean).
  symlinkSync(outside, join(ws, 'tools', 'pyproject.toml'));
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'initial');
  return { ws, outside };
}

describe('hardening 4: stamp writes only inside the workspace', () => {
  test.each([
    [
      'a ../ path',
      () => '../x/pyproject.toml',
      (ws: string) => `Input 'stamp' names '../x/pyproject.toml', which is outside the workspace (${ws})`,
    ],
    [
      'an absolute path',
      (outside: string) => outside,
      (ws: string, outside: string) =>
        `Input 'stamp' names '${outside}', which is outside the workspace (${ws})`,
    ],
    [
      'a workspace file that is a symlink to an outside file',
      () => 'tools/pyproject.toml',
      () => "Input 'stamp' names 'tools/pyproject.toml', a link to a file outside the workspace",
    ],
  ])('hardening 4: %s is refused before any file is changed', async (_name, entry, message) => {
    const { ws, outside } = layout();
    const listed = entry(outside);
    const r = await runAction('resolve-version', {
      cwd: ws,
      // The workspace's own files come first (one in a folder named ..dist): neither may be written.
      inputs: { version: '3.0.0', stamp: `pyproject.toml\n..dist/pyproject.toml\n${listed}` },
    });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([message(ws, outside)]);
    expect(r.outputs).toEqual({});
    expect(readFileSync(outside, 'utf8')).toBe(OUTSIDE);
    expect(readFileSync(join(ws, 'pyproject.toml'), 'utf8')).toBe(PYPROJECT);
    expect(readFileSync(join(ws, '..dist', 'pyproject.toml'), 'utf8')).toBe(PYPROJECT);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  });
});
