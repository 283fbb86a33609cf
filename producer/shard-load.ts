/**
 * What each shard will take from a fleet, known before a record is sent: every unicorn sends
 * `rate` records a second to the shard its name hashes to (`lanes.ts`), and a shard takes at most
 * 1,000 records a second. Names never hash perfectly evenly, so a stream with room in total can
 * still have a shard over its limit: 10,000 unicorns on 10 shards put 1,042 on the busiest. Such a
 * shard is throttled for as long as the producer runs, on AWS as on the local cloud, and its
 * backlog only grows — the producer says so at the start, with the shard count that carries the
 * fleet.
 */
import { SHARD_WRITE_LIMITS } from '../core/kinesis-limits.ts';
import { hashKeyOf, sliceOf } from './lanes.ts';

/** Records a second a shard takes, on AWS as on the local cloud. */
export const SHARD_RECORDS_PER_SECOND = SHARD_WRITE_LIMITS.recordsPerSecond;

/** Beyond this many shards the producer does not look for a count that carries the fleet. */
export const MOST_SHARDS_SUGGESTED = 500;

/** Records a second each of `shards` even shards gets from unicorns with these hash keys. */
export function shardLoads(hashKeys: readonly bigint[], shards: number, rate: number): number[] {
  const loads = new Array<number>(Math.max(1, shards)).fill(0);
  for (const key of hashKeys) {
    const shard = sliceOf(key, shards);
    loads[shard] = (loads[shard] ?? 0) + rate;
  }
  return loads;
}

/**
 * The fewest even shards whose busiest gets at most `SHARD_RECORDS_PER_SECOND`, from `from` up;
 * undefined when not even `MOST_SHARDS_SUGGESTED` do (a rate one unicorn alone is over).
 */
export function shardsToCarry(hashKeys: readonly bigint[], rate: number, from = 1): number | undefined {
  if (rate > SHARD_RECORDS_PER_SECOND) return undefined;
  const least = Math.max(from, Math.ceil((hashKeys.length * rate) / SHARD_RECORDS_PER_SECOND));
  for (let shards = least; shards <= MOST_SHARDS_SUGGESTED; shards++) {
    if (Math.max(...shardLoads(hashKeys, shards, rate)) <= SHARD_RECORDS_PER_SECOND) return shards;
  }
  return undefined;
}

/** A stream whose busiest shard would get more than it takes. */
export interface Overload {
  shards: number;
  /** Records a second the busiest shard would get. */
  busiest: number;
  /** Shards over the limit. */
  over: number;
  /** The fewest even shards that carry the fleet; undefined if none up to `MOST_SHARDS_SUGGESTED`. */
  carry?: number;
}

/**
 * Whether the busiest of the stream's `shards` (evenly split, as the workshop's stacks and
 * `UpdateShardCount` make them) would get more than a shard takes; undefined when all have room.
 */
export function overloadOf(names: readonly string[], shards: number, rate: number): Overload | undefined {
  const hashKeys = names.map(hashKeyOf);
  const loads = shardLoads(hashKeys, shards, rate);
  const busiest = Math.max(...loads);
  if (busiest <= SHARD_RECORDS_PER_SECOND) return undefined;
  const over = loads.filter((load) => load > SHARD_RECORDS_PER_SECOND).length;
  return { shards, busiest, over, carry: shardsToCarry(hashKeys, rate, shards + 1) };
}
