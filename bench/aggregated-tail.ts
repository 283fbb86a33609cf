import { GetShardIteratorCommand, type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { names } from '../contracts/names.ts';
import { parseAggregate, type UnicornAggregate } from '../contracts/telemetry.ts';
import { getRecordsPage, type SendKinesis } from '../local/lambda/mappings/kinesis-reads.ts';
import { sleep } from './pacing.ts';

/** What has come out of module 3 since the tail started. */
export interface AggregatedSoFar {
  /** Aggregated records read, a part delivered twice (a retry) counted twice. */
  records: number;
  /**
   * Distinct keys (unicorn, window start) among them: fewer than the parts when windows ended
   * early (a state over 1 MB), which puts a window in several parts under one table key.
   */
  keys: Set<string>;
  /** Distinct window parts (unicorn, window start, part). */
  parts: Set<string>;
  /** Sum of `Distance` over the distinct parts: what conservation compares with the raw telemetry. */
  distance: number;
  /** The latest aggregated record read on each shard: module 4 reads a shard in order. */
  lastByShard: Map<string, UnicornAggregate>;
  /** Milliseconds since the epoch of the latest window start seen. */
  latestWindowStartMs: number;
}

/** `2026-11-22 09:17:00.000` (UTC) → milliseconds since the epoch. */
export const statusTimeMs = (statusTime: string): number => Date.parse(`${statusTime.replace(' ', 'T')}Z`);

/**
 * Follows every shard of `wildrydes-aggregated` from now on, adding up what module 3 puts there,
 * a read of each shard every `intervalMs` when it is idle, until `stop()`. The reads go
 * through `send`, the cloud's own dispatch, as the mappings' do: the bench shares the cloud's
 * process, and the SDK's decoding of every record would eat the CPU it measures.
 */
export async function tailAggregated(kinesis: KinesisClient, send: SendKinesis, intervalMs = 200) {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: names.aggregatedStream }));
  const soFar: AggregatedSoFar = {
    records: 0,
    keys: new Set(),
    parts: new Set(),
    distance: 0,
    lastByShard: new Map(),
    latestWindowStartMs: 0,
  };
  let running = true;
  const follow = async (shardId: string, first: string | undefined) => {
    let iterator = first;
    while (running && iterator) {
      const page = await getRecordsPage(send, iterator, 10_000);
      iterator = page.nextIterator;
      for (const record of page.records) {
        const parsed = parseAggregate(Buffer.from(record.data, 'base64').toString('utf8'));
        if (!parsed.ok) continue;
        const a = parsed.value;
        soFar.records++;
        const key = `${a.Name}\u0000${a.StatusTime}`;
        soFar.keys.add(key);
        const part = `${key}\u0000${a.Part ?? ''}`;
        if (!soFar.parts.has(part)) soFar.distance += a.Distance;
        soFar.parts.add(part);
        soFar.lastByShard.set(shardId, a);
        soFar.latestWindowStartMs = Math.max(soFar.latestWindowStartMs, statusTimeMs(a.StatusTime));
      }
      if (page.records.length === 0) await sleep(intervalMs);
    }
  };
  // Every iterator is taken before the tail returns: LATEST means from now on.
  const starts = await Promise.all(
    Shards.flatMap((s) => (s.ShardId ? [s.ShardId] : [])).map(async (shardId) => {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: names.aggregatedStream,
          ShardId: shardId,
          ShardIteratorType: 'LATEST',
        }),
      );
      return { shardId, iterator: ShardIterator };
    }),
  );
  const loops = starts.map((s) => follow(s.shardId, s.iterator));
  return {
    soFar,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
