import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { checkWheelInputs, type WheelInputs } from '../src/request.js';

const workspace = mkdtempSync(join(tmpdir(), 'request-'));
writeFileSync(join(workspace, 'requirements.txt'), 'six\n');
writeFileSync(join(workspace, 'a-file'), '');
mkdirSync(join(workspace, 'dir'));

const base: WheelInputs = {
  requirements: ['six'],
  requirementsFile: '',
  constraints: [],
  pythonVersion: '3.11',
  pythonVersionFile: '',
  platform: 'win_amd64',
  implementation: 'cp',
  wheelDir: 'build/win-wheels',
  sitePackages: '',
  allowSdistFallback: true,
  engine: 'auto',
  indexUrl: '',
  extraIndexUrls: [],
  cleanup: 'safe',
  remove: [],
  uvVersion: '0.13.8',
  workspace,
};

describe('checkWheelInputs', () => {
  test('paths resolved from the workspace, lists and enums read', () => {
    const request = checkWheelInputs({
      ...base,
      requirements: [],
      requirementsFile: 'requirements.txt',
      constraints: ['numpy<2'],
      sitePackages: 'dist/python/Lib/site-packages',
      engine: 'UV',
      cleanup: 'aggressive',
      remove: ['numpy/linalg'],
      extraIndexUrls: ['https://pypi.org/simple'],
    });
    expect(request).toMatchObject({
      requirementsFile: join(workspace, 'requirements.txt'),
      constraintLines: ['numpy<2'],
      constraints: [{ name: 'numpy', specifier: '<2' }],
      wheelDir: join(workspace, 'build', 'win-wheels'),
      sitePackages: join(workspace, 'dist', 'python', 'Lib', 'site-packages'),
      engine: 'uv',
      cleanup: 'aggressive',
      indexes: { indexUrl: '', extraIndexUrls: ['https://pypi.org/simple'] },
    });
  });

  test.each<[Partial<WheelInputs>, string]>([
    [
      { requirements: [] },
      "Input 'requirements' and 'requirements-file' are both empty: give at least one of them",
    ],
    [{ requirementsFile: 'dir' }, `Input 'requirements-file' names no file: ${join(workspace, 'dir')}`],
    [{ wheelDir: 'a-file' }, `Input 'wheel-dir' names a file, not a folder: ${join(workspace, 'a-file')}`],
    [{ sitePackages: 'a-file/sp' }, `Input 'site-packages' lies below a file (${join(workspace, 'a-file')})`],
    [{ sitePackages: 'build/win-wheels/sp' }, "Input 'site-packages' and wheel-dir must be separate folders"],
    [{ sitePackages: 'build' }, "Input 'site-packages' and wheel-dir must be separate folders"],
    [{ engine: 'conda' }, "Input 'engine' must be one of auto, uv, pip (got 'conda')"],
    [{ cleanup: 'max' }, "Input 'cleanup' must be one of none, safe, aggressive (got 'max')"],
    [
      { remove: ['/etc'], sitePackages: 'sp' },
      "Input 'remove' patterns are relative to site-packages, without '..' (got '/etc')",
    ],
    [{ remove: ['a/../../b'], sitePackages: 'sp' }, "Input 'remove' patterns are relative to site-packages"],
    [{ remove: ['C:\\x'], sitePackages: 'sp' }, "Input 'remove' patterns are relative to site-packages"],
    [{ uvVersion: 'latest' }, "Input 'uv-version' must be a uv release such as 0.13.8 (got 'latest')"],
    [{ extraIndexUrls: ['https://ok/simple', 'nope'] }, "Input 'extra-index-url' must be an http(s) URL"],
  ])('%j', (inputs, message) => {
    expect(() => checkWheelInputs({ ...base, ...inputs })).toThrow(message);
  });
});

describe('hardening 14', () => {
  test('hardening 14: folders whose names start with two dots (..wheels, ..site) are folders like any other', () => {
    const request = checkWheelInputs({
      ...base,
      wheelDir: '..wheels',
      sitePackages: '..site/Lib/site-packages',
    });
    expect(request.wheelDir).toBe(join(workspace, '..wheels'));
    expect(request.sitePackages).toBe(join(workspace, '..site', 'Lib', 'site-packages'));
  });

  test.each<[Partial<WheelInputs>]>([
    [{ sitePackages: 'sp', wheelDir: 'sp/..wheels' }],
    [{ sitePackages: '..sp/..wheels', wheelDir: '..sp' }],
  ])('hardening 14: %j are not separate folders', (inputs) => {
    expect(() => checkWheelInputs({ ...base, ...inputs })).toThrow(
      "Input 'site-packages' and wheel-dir must be separate folders",
    );
  });

  test('hardening 14: a site-packages reached through a link into wheel-dir is not a separate folder', () => {
    mkdirSync(join(workspace, 'real-wheels', 'inside'), { recursive: true });
    symlinkSync(join(workspace, 'real-wheels', 'inside'), join(workspace, 'linked-sp'));
    expect(() => checkWheelInputs({ ...base, wheelDir: 'real-wheels', sitePackages: 'linked-sp' })).toThrow(
      "Input 'site-packages' and wheel-dir must be separate folders",
    );
  });
});
