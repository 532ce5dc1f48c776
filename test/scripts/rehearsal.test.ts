import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FLAVOURS } from '@forge-actions/testing/forge-env';
import { REPO_ROOT } from '@forge-actions/testing/run-action';
import { describe, expect, test } from '@jest/globals';

// The README's main-job command must stay true: the rehearsal runs end to end on every flavour.
describe('the local release rehearsal', () => {
  test.each(FLAVOURS)('%s', async (flavour) => {
    const { stdout } = await promisify(execFile)(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'scripts', 'rehearsal.ts'), '--flavour', flavour],
      { cwd: REPO_ROOT },
    );
    expect(stdout).toContain('=== finalize-release (publishes): exit 0\n  release-id = ');
    expect(stdout).toContain(
      '  published = true\n  missing = \n  assets = App-v1.0.0-setup.exe: skipped, App-v1.0.0-win-x64.zip: skipped, SHA256SUMS: uploaded',
    );
    expect(stdout).toContain(
      '=== upload-asset-dedup, build job 2 re-run (skips): exit 0\n  assets = App-v1.0.0-win-x64.zip: skipped',
    );
    expect(stdout).toContain('App-v1.0.0-win-x64.zip: replaced');
    expect(stdout).toContain('SHA256SUMS: replaced');
    expect(stdout).toContain('prerelease: false, draft: false');
    expect(stdout).toContain(`Embedded ${flavour} forge server`);
    expect(stdout.trimEnd().endsWith('Rehearsal passed.')).toBe(true);
  });
});
