import { describe, expect, it } from 'vitest';
import { generate } from './run.ts';
import { createFleet } from './telemetry.ts';

/** A fake clock whose sleeps move time forward. */
function fakeClock() {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    now: () => now,
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe('generate', () => {
  it.each([
    [1, 3, [1000, 1000]],
    [4, 3, [250, 250]],
    [0.5, 2, [2000]],
  ])('paces %d ticks per second (%d ticks)', async (rate, ticks, expected) => {
    // Prepare
    const clock = fakeClock();
    const fleet = createFleet({ names: ['Shadowfax', 'Rocinante'], seed: 1 });
    const emitted: number[] = [];

    // Act
    const done = await generate({
      fleet,
      rate,
      ticks,
      pace: true,
      signal: new AbortController().signal,
      emit: (records) => void emitted.push(records.length),
      ...clock,
    });

    // Assess
    expect(done).toBe(ticks);
    expect(emitted).toEqual(Array(ticks).fill(2));
    expect(clock.waits).toEqual(expected);
  });

  it('never waits in a dry run', async () => {
    // Prepare
    const clock = fakeClock();
    const fleet = createFleet({ names: ['Shadowfax'], seed: 1 });

    // Act
    const done = await generate({
      fleet,
      rate: 1,
      ticks: 500,
      pace: false,
      signal: new AbortController().signal,
      emit: () => {},
      ...clock,
    });

    // Assess
    expect(done).toBe(500);
    expect(clock.waits).toEqual([]);
  });

  it('stops generating when the signal aborts (Ctrl-C)', async () => {
    // Prepare
    const stop = new AbortController();
    const fleet = createFleet({ names: ['Shadowfax'], seed: 1 });
    let emitted = 0;

    // Act
    const done = await generate({
      fleet,
      rate: 1,
      ticks: Number.POSITIVE_INFINITY,
      pace: false,
      signal: stop.signal,
      emit: () => {
        if (++emitted === 10) stop.abort();
      },
    });

    // Assess
    expect(done).toBe(10);
  });
});
