import { execFileSync } from 'node:child_process';
import { parsePythonSpec } from '@forge-actions/version/python';
import { describe, expect, test } from '@jest/globals';
import { markerEnvironment, parseTarget, supportedTags } from '../src/target.js';

/** packaging.tags (pip's vendored copy) for a CPython X.Y on a platform: what pip itself would accept there. */
function packagingTags(major: number, minor: number, platform: string): string[] {
  const script = [
    'import json, sys',
    'from pip._vendor.packaging import tags',
    'v = (int(sys.argv[1]), int(sys.argv[2])); abi = "cp%d%d" % v',
    't = list(tags.cpython_tags(v, abis=[abi], platforms=[sys.argv[3]]))',
    't += list(tags.compatible_tags(v, abi, [sys.argv[3]]))',
    'print(json.dumps([str(x) for x in t]))',
  ].join('\n');
  return JSON.parse(
    execFileSync('python3', ['-c', script, String(major), String(minor), platform], { encoding: 'utf8' }),
  );
}

describe('parseTarget', () => {
  test('X.Y and X.Y.Z, each platform with its uv triple', () => {
    expect(parseTarget(parsePythonSpec('3.11'), 'win_amd64', 'cp')).toEqual({
      platform: 'win_amd64',
      pythonVersion: '3.11',
      fullVersion: '3.11.0',
      versionArg: '3.11',
      major: 3,
      minor: 11,
      implementation: 'cp',
      uvPlatform: 'x86_64-pc-windows-msvc',
      label: 'cp311-win_amd64',
    });
    expect(parseTarget(parsePythonSpec('3.12.4'), 'WIN32', 'CP')).toMatchObject({
      platform: 'win32',
      pythonVersion: '3.12',
      fullVersion: '3.12.4',
      versionArg: '3.12.4',
      uvPlatform: 'i686-pc-windows-msvc',
      label: 'cp312-win32',
    });
    expect(parseTarget(parsePythonSpec('3.13'), 'win_arm64', 'cp').uvPlatform).toBe(
      'aarch64-pc-windows-msvc',
    );
  });

  test('a pre-release: its full version in markers, X.Y.Z for pip and uv; errors name the input it came from', () => {
    expect(parseTarget(parsePythonSpec('3.13.0rc2'), 'win_amd64', 'cp')).toMatchObject({
      pythonVersion: '3.13',
      fullVersion: '3.13.0rc2',
      versionArg: '3.13.0',
      label: 'cp313-win_amd64',
    });
    expect(() => parseTarget(parsePythonSpec('2.7', 'python-version-file'), 'win_amd64', 'cp')).toThrow(
      "Input 'python-version-file' must be 3.X or 3.X.Y",
    );
  });

  test.each([
    ['3', 'win_amd64', 'cp', "Input 'python-version' must be a Python version X.Y or X.Y.Z"],
    ['2.7', 'win_amd64', 'cp', "Input 'python-version' must be 3.X or 3.X.Y, e.g. 3.11 (got '2.7')"],
    ['3.11.x', 'win_amd64', 'cp', "Input 'python-version' must be a Python version X.Y or X.Y.Z"],
    ['3.11', 'manylinux2014_x86_64', 'cp', "Input 'platform' must be one of win_amd64, win32, win_arm64"],
    ['3.11', 'win_amd64', 'pp', "Input 'implementation' must be cp"],
  ])('%s %s %s is refused', (version, platform, implementation, message) => {
    expect(() => parseTarget(parsePythonSpec(version), platform, implementation)).toThrow(message);
  });
});

describe('supportedTags', () => {
  test.each([
    [3, 11, 'win_amd64'],
    [3, 12, 'win32'],
    [3, 8, 'win_arm64'],
  ])('CPython %i.%i on %s: the same tags in the same order as packaging.tags', (major, minor, platform) => {
    const target = parseTarget(parsePythonSpec(`${major}.${minor}`), platform, 'cp');
    expect(supportedTags(target)).toEqual(packagingTags(major, minor, platform));
  });
});

describe('markerEnvironment', () => {
  test("has every name of packaging's default environment, with Windows values", () => {
    const names = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          'import json; from pip._vendor.packaging import markers; print(json.dumps(sorted(markers.default_environment())))',
        ],
        { encoding: 'utf8' },
      ),
    );
    const env = markerEnvironment(parseTarget(parsePythonSpec('3.11.9'), 'win_amd64', 'cp'));
    expect(Object.keys(env).sort()).toEqual(names);
    expect(env).toMatchObject({
      sys_platform: 'win32',
      os_name: 'nt',
      platform_system: 'Windows',
      platform_machine: 'AMD64',
      python_version: '3.11',
      python_full_version: '3.11.9',
    });
    expect(markerEnvironment(parseTarget(parsePythonSpec('3.11'), 'win32', 'cp')).platform_machine).toBe(
      'x86',
    );
    expect(markerEnvironment(parseTarget(parsePythonSpec('3.11'), 'win_arm64', 'cp')).platform_machine).toBe(
      'ARM64',
    );
  });
});
