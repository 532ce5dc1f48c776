// The standalone forge server: one JSON line on stdout, serves until SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '@forge-actions/testing/run-action';
import { describe, expect, test } from '@jest/globals';

const CLI = 'packages/forge-server/src/cli.ts';

function startCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

describe('forge-server CLI', () => {
  test('prints its URLs and token, serves, and exits 0 on SIGTERM (removing its temporary data)', async () => {
    const child = startCli([
      '--flavour',
      'github',
      '--port',
      '0',
      '--token',
      'cli-token',
      '--repo',
      'me/proj',
      '--branch',
      'trunk',
      '--immutable-releases',
    ]);
    const exited = once(child, 'exit');
    try {
      const info = JSON.parse(await firstLine(child));
      expect(info).toMatchObject({ flavour: 'github', token: 'cli-token' });
      expect(info.apiUrl).toBe(`${info.url}/api/v3`);
      expect(info.uploadsUrl).toBe(`${info.url}/api/uploads`);
      const reply = await fetch(`${info.apiUrl}/repos/me/proj/releases`, {
        method: 'POST',
        headers: { authorization: 'token cli-token', 'content-type': 'application/json' },
        body: JSON.stringify({ tag_name: 'v1' }),
      });
      expect(reply.status).toBe(201);
      expect(await reply.json()).toMatchObject({ target_commitish: 'trunk', immutable: true });
      expect(existsSync(info.dataDir)).toBe(true);
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(existsSync(info.dataDir)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  test('gitea flavour with an old version and an empty repository', async () => {
    const child = startCli(['--flavour', 'gitea', '--gitea-version', '1.21.0', '--empty-repo', 'octo/app']);
    const exited = once(child, 'exit');
    try {
      const info = JSON.parse(await firstLine(child));
      expect(info.apiUrl).toBe(`${info.url}/api/v1`);
      expect(info.token).toBe('test-token');
      const version = await (await fetch(`${info.apiUrl}/version`)).json();
      expect(version).toEqual({ version: '1.21.0' });
      const repo = await fetch(`${info.apiUrl}/repos/octo/app`, {
        headers: { authorization: 'token test-token' },
      });
      expect(await repo.json()).toMatchObject({ empty: true });
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  test('a bad flavour fails with one line and exit code 2', async () => {
    const child = startCli(['--flavour', 'gitlab']);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("forge-server: --flavour must be gitea or github, got 'gitlab'");
  });
});
