import { describe, expect, test } from '@jest/globals';
import { Spacer } from '../src/spacing.js';

function fakeClock() {
  const clock = { t: 10_000, waits: [] as number[] };
  return {
    clock,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
      clock.t += ms;
    },
  };
}

describe('Spacer', () => {
  test('consecutive turns are at least the spacing apart', async () => {
    const { clock, now, sleep } = fakeClock();
    const spacer = new Spacer(1000, now, sleep);
    await spacer.turn();
    clock.t += 300;
    await spacer.turn();
    clock.t += 2000;
    await spacer.turn();
    expect(clock.waits).toEqual([700]);
  });

  test('concurrent callers queue one after another', async () => {
    const { clock, now, sleep } = fakeClock();
    const spacer = new Spacer(1000, now, sleep);
    const starts: number[] = [];
    await Promise.all([1, 2, 3].map(() => spacer.turn().then(() => starts.push(clock.t))));
    expect(starts).toEqual([10_000, 11_000, 12_000]);
  });

  test('zero spacing never waits', async () => {
    const { clock, now, sleep } = fakeClock();
    const spacer = new Spacer(0, now, sleep);
    await Promise.all([spacer.turn(), spacer.turn()]);
    expect(clock.waits).toEqual([]);
  });
});
