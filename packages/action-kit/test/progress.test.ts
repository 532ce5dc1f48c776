import { describe, expect, test } from '@jest/globals';
import { progressLogger } from '../src/progress.js';

describe('progressLogger', () => {
  test('logs once per tenth of the total, whatever the chunking', () => {
    const lines: string[] = [];
    const report = progressLogger('App.zip', { info: (line) => lines.push(line) });
    const total = 10 * 1024 * 1024;
    for (let sent = 0; sent <= total; sent += 64 * 1024) report(sent, total);
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('App.zip: 0% (0.0 of 10.0 MiB)');
    expect(lines[10]).toBe('App.zip: 100% (10.0 of 10.0 MiB)');
  });

  test('without a total, every 64 MiB', () => {
    const lines: string[] = [];
    const report = progressLogger('stream', { info: (line) => lines.push(line) });
    for (let sent = 0; sent <= 200 * 1024 * 1024; sent += 1024 * 1024) report(sent, undefined);
    expect(lines).toEqual(['stream: 0.0 MiB', 'stream: 64.0 MiB', 'stream: 128.0 MiB', 'stream: 192.0 MiB']);
  });
});
