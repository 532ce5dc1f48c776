// pipVersion against real interpreters: one with pip, and a venv made without it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { findHostPython, pipVersion, probePython } from '../src/python.js';

describe('pipVersion', () => {
  test("the host Python's pip: the version `python -m pip --version` gives", async () => {
    const python = await findHostPython();
    if (!python) throw new Error('no python3 or python on PATH');
    const stated = execFileSync(python.executable, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    expect(stated).toMatch(/^pip \S+/);
    expect(await pipVersion(python)).toBe(/^pip (\S+)/.exec(stated)?.[1]);
  });

  test('a Python without pip: undefined', async () => {
    const host = await findHostPython();
    if (!host) throw new Error('no python3 or python on PATH');
    const venv = join(mkdtempSync(join(tmpdir(), 'no-pip-')), 'venv');
    execFileSync(host.executable, ['-m', 'venv', '--without-pip', venv]);
    const python = await probePython(join(venv, 'bin', 'python'));
    expect(python).toBeDefined();
    expect(await pipVersion(python as NonNullable<typeof python>)).toBeUndefined();
  });
});
