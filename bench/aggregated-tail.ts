import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { names } from '../contracts/names.ts';
import { parseAggregate, type UnicornAggregate } from '../contracts/telemetry.ts';
import { sleep } from './pacing.ts';

/** What has come out of module 3 since the tail started. */
export interface AggregatedSoFar {
  records: number;
  /**
   * Distinct keys (unicorn, window start) among them: fewer than `records` when windows ended
   * early (a state over 1 MB), which puts several partial aggregates under one table key.
   */
  keys: Set<string>;
  /** Sum of `Distance` over the aggregated records. */
  distance: number;
  /** The latest aggregated record read. */
  last?: UnicornAggregate;
  /** Milliseconds since the epoch of the latest window start seen. */
  latestWindowStartMs: number;
}

/** `2026-11-22 09:17:00.000` (UTC) → milliseconds since the epoch. */
export const statusTimeMs = (statusTime: string): number => Date.parse(`${statusTime.replace(' ', 'T')}Z`);

/**
 * Follows `wildrydes-aggregated` (one shard) from now on, adding up what module 3 puts there, a
 * read every `intervalMs`, until `stop()`.
 */
export async function tailAggregated(kinesis: KinesisClient, intervalMs = 200) {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamName: names.aggregatedStream,
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST',
    }),
  );
  const soFar: AggregatedSoFar = { records: 0, keys: new Set(), distance: 0, latestWindowStartMs: 0 };
  let iterator = ShardIterator;
  let running = true;
  const loop = (async () => {
    while (running && iterator) {
      const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      iterator = out.NextShardIterator;
      for (const record of out.Records ?? []) {
        const parsed = parseAggregate(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'));
        if (!parsed.ok) continue;
        soFar.records++;
        soFar.keys.add(`${parsed.value.Name}\u0000${parsed.value.StatusTime}`);
        soFar.distance += parsed.value.Distance;
        soFar.last = parsed.value;
        soFar.latestWindowStartMs = Math.max(
          soFar.latestWindowStartMs,
          statusTimeMs(parsed.value.StatusTime),
        );
      }
      if ((out.Records ?? []).length === 0) await sleep(intervalMs);
    }
  })();
  return {
    soFar,
    async stop() {
      running = false;
      await loop;
    },
  };
}
