/**
 * Which shard a record goes to, as Kinesis decides it: the MD5 of its partition key (or its
 * `ExplicitHashKey`) as a 128-bit number, in the hash key range of one open shard.
 */
import { createHash } from 'node:crypto';

/** An open shard and the hash keys it takes, `[start, end]`. */
export interface ShardRange {
  shardId: string;
  start: bigint;
  end: bigint;
}

/** The 128-bit hash key of a record: its `ExplicitHashKey`, else the MD5 of its partition key. */
export function hashKeyOf(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined && /^\d+$/.test(explicitHashKey)) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** The open shard whose range holds `hashKey` (none if the ranges do not cover it). */
export function shardOf(ranges: readonly ShardRange[], hashKey: bigint): ShardRange | undefined {
  return ranges.find((r) => r.start <= hashKey && hashKey <= r.end);
}

/** How the ranges of a stream are listed (a `ListShards` call); undefined when it has none. */
export type ListRanges = (stream: string) => Promise<ShardRange[] | undefined>;

/** A stream's shard list is listed again after this long (a stream replaced with more shards). */
const TTL_MS = 1000;

/** The shard ranges of each stream, listed once a second at most. */
export class ShardMaps {
  private readonly cache = new Map<string, { ranges?: ShardRange[]; atMs: number }>();

  constructor(
    private readonly list: ListRanges,
    private readonly now: () => number = Date.now,
  ) {}

  /** The open shards of `stream`, or undefined when it does not exist (or cannot be listed). */
  async ranges(stream: string): Promise<ShardRange[] | undefined> {
    const cached = this.cache.get(stream);
    if (cached && this.now() - cached.atMs < TTL_MS) return cached.ranges;
    const ranges = await this.list(stream).catch(() => undefined);
    this.cache.set(stream, { ranges, atMs: this.now() });
    return ranges;
  }
}

/** The open shards in a `ListShards` answer (a closed shard has an ending sequence number). */
export function openRanges(shards: unknown): ShardRange[] {
  if (!Array.isArray(shards)) return [];
  return shards.flatMap((s) => {
    const shard = s as {
      ShardId?: string;
      HashKeyRange?: { StartingHashKey?: string; EndingHashKey?: string };
      SequenceNumberRange?: { EndingSequenceNumber?: string };
    };
    const range = shard.HashKeyRange;
    if (!shard.ShardId || !range?.StartingHashKey || !range.EndingHashKey) return [];
    if (shard.SequenceNumberRange?.EndingSequenceNumber) return [];
    return [
      { shardId: shard.ShardId, start: BigInt(range.StartingHashKey), end: BigInt(range.EndingHashKey) },
    ];
  });
}
