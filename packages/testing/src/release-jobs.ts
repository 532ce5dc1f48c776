import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeRecord, ForgeServer } from '@forge-actions/forge-server';
import { forgeRunnerEnv } from './forge-env.js';
import { type RunOptions, runAction } from './run-action.js';

export const TOKEN = 'test-token';

/** A workspace with files under build/: name → content. */
export function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'upload-ws-'));
  mkdirSync(join(dir, 'build'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'build', name), content);
  return dir;
}

export const runnerEnv = (server: ForgeServer) => forgeRunnerEnv(server);

export function upload(
  server: ForgeServer,
  cwd: string,
  inputs: Record<string, string>,
  options: RunOptions = {},
) {
  return runAction('upload-asset-dedup', {
    ...options,
    cwd,
    inputs: { token: TOKEN, files: 'build/*', ...inputs },
    env: { ...runnerEnv(server), ...options.env },
  });
}

/**
 * How many assets carry `name` after each change to the release, replayed from the server's change
 * log: the proof of when a name was missing.
 */
export function nameCounts(
  changes: ChangeRecord[],
  releaseId: number,
  name: string,
): Array<{ kind: string; count: number }> {
  const holders = new Set<number>();
  const timeline: Array<{ kind: string; count: number }> = [];
  for (const change of changes) {
    if (change.releaseId !== releaseId || change.assetId === undefined) continue;
    if (change.kind === 'asset-added' && change.name === name) holders.add(change.assetId);
    else if (change.kind === 'asset-deleted') holders.delete(change.assetId);
    else if (change.kind === 'asset-renamed') {
      if (change.name === name) holders.add(change.assetId);
      else holders.delete(change.assetId);
    } else continue;
    timeline.push({ kind: change.kind, count: holders.size });
  }
  return timeline;
}
