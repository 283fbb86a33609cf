/**
 * Which lane sends a record: one lane per shard, so a shard over its write limits slows only the
 * records bound for it. Kinesis puts a record in the shard whose hash key range holds the MD5 of
 * its partition key; a stream created with N shards (as the workshop's stacks create them, and
 * `UpdateShardCount` keeps them) splits the 128-bit hash key space into N even ranges.
 */
import { createHash } from 'node:crypto';

/** At most this many lanes (calls in flight), however many shards the stream has. */
export const MAX_LANES = 32;

const HASH_KEYS = 2n ** 128n;

/** Lanes for a stream of `shards` open shards: one each, at least one, at most `MAX_LANES`. */
export function laneCount(shards: number | undefined): number {
  return Math.min(MAX_LANES, Math.max(1, Math.floor(shards ?? 1)));
}

/** The 128-bit hash key Kinesis places a record by: the MD5 of its partition key. */
export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** Which of `slices` even slices of the hash key space holds `hashKey`. */
export function sliceOf(hashKey: bigint, slices: number): number {
  return slices <= 1 ? 0 : Number((hashKey * BigInt(slices)) / HASH_KEYS);
}

/**
 * The lane of `partitionKey` among `lanes` even slices of the hash key space: the index of its
 * shard when the stream has `lanes` evenly split shards. A stream split otherwise only groups
 * its keys differently; Kinesis still decides where each record goes.
 */
export function laneOf(partitionKey: string, lanes: number): number {
  return lanes <= 1 ? 0 : sliceOf(hashKeyOf(partitionKey), lanes);
}
