import { describe, expect, it } from 'vitest';
import { hashKeyOf, laneOf } from './lanes.ts';
import { unicornNames } from './names.ts';
import {
  MOST_SHARDS_SUGGESTED,
  overloadOf,
  SHARD_RECORDS_PER_SECOND,
  shardLoads,
  shardsToCarry,
} from './shard-load.ts';

const keysOf = (count: number) => unicornNames(count).map(hashKeyOf);
const busiest = (count: number, shards: number, rate = 1) =>
  Math.max(...shardLoads(keysOf(count), shards, rate));

describe('shardLoads', () => {
  it('gives each shard the records of the unicorns whose names hash to it', () => {
    // Prepare
    const names = unicornNames(500);

    // Act
    const loads = shardLoads(names.map(hashKeyOf), 7, 2);

    // Assess: the producer's lanes are the shards Kinesis puts the records in (lanes.e2e.test.ts)
    const expected = new Array(7).fill(0);
    for (const name of names) expected[laneOf(name, 7)] += 2;
    expect(loads).toEqual(expected);
    expect(loads.reduce((a, b) => a + b)).toBe(1000);
  });
});

describe('overloadOf', () => {
  it('finds room when a shard gets at most what it takes', () => {
    // Act & Assess
    expect(overloadOf(unicornNames(1000), 1, 1)).toBeUndefined();
    expect(overloadOf(unicornNames(10_000), 10, 0.5)).toBeUndefined();
  });

  it('names the one shard over its limit, and two shards to carry the fleet', () => {
    // Act & Assess
    expect(overloadOf(unicornNames(1001), 1, 1)).toEqual({ shards: 1, busiest: 1001, over: 1, carry: 2 });
  });

  it('finds a busiest shard over 1,000 records/s for 10,000 unicorns on 10 shards, though the stream as a whole has room', () => {
    // Act
    const overload = overloadOf(unicornNames(10_000), 10, 1);

    // Assess: names do not hash evenly, so the stream's total (10,000/s) is not what limits it
    expect(overload).toMatchObject({ shards: 10, busiest: 1042, over: 4, carry: 11 });
  });
});

describe('shardsToCarry', () => {
  it('is the fewest even shards whose busiest has room', () => {
    // Act
    const carry = shardsToCarry(keysOf(10_000), 1, 1);

    // Assess
    expect(carry).toBeDefined();
    expect(busiest(10_000, carry ?? 0)).toBeLessThanOrEqual(SHARD_RECORDS_PER_SECOND);
    expect(busiest(10_000, (carry ?? 0) - 1)).toBeGreaterThan(SHARD_RECORDS_PER_SECOND);
  });

  it('has no count for a unicorn that alone sends more than a shard takes', () => {
    // Act & Assess
    expect(shardsToCarry(keysOf(1), SHARD_RECORDS_PER_SECOND + 1)).toBeUndefined();
  });

  it(`stops looking past ${MOST_SHARDS_SUGGESTED} shards`, () => {
    // Act & Assess: two unicorns at 600 records/s each need them on two shards; from 600 up, no more
    expect(shardsToCarry(keysOf(2), 600, MOST_SHARDS_SUGGESTED + 1)).toBeUndefined();
    expect(shardsToCarry(keysOf(2), 600)).toBeGreaterThanOrEqual(2);
  });
});
