import { describe, expect, it } from 'vitest';
import { laneCount, laneOf, MAX_LANES } from './lanes.ts';
import { unicornNames } from './names.ts';

describe('laneCount', () => {
  it.each([
    [undefined, 1],
    [0, 1],
    [1, 1],
    [10, 10],
    [MAX_LANES + 1, MAX_LANES],
  ])('%s shards → %d lanes', (shards, lanes) => {
    // Act & Assess
    expect(laneCount(shards)).toBe(lanes);
  });
});

describe('laneOf', () => {
  const keys = unicornNames(2_000);

  it('puts every key in lane 0 of a single lane', () => {
    // Act & Assess
    expect(new Set(keys.map((k) => laneOf(k, 1)))).toEqual(new Set([0]));
  });

  it('uses every lane of ten, and only those', () => {
    // Act
    const lanes = new Set(keys.map((k) => laneOf(k, 10)));

    // Assess
    expect([...lanes].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('slices the hash key space evenly: half of four lanes is one of two', () => {
    // Act & Assess: lanes 0–1 of four are lane 0 of two, lanes 2–3 lane 1
    expect(keys.map((key) => Math.floor(laneOf(key, 4) / 2))).toEqual(keys.map((key) => laneOf(key, 2)));
  });
});
