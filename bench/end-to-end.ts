import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { readStatuses, scanTable, validValues } from '../checks/streams.ts';
import { names } from '../contracts/names.ts';
import { formatStatusTime, type UnicornAggregate } from '../contracts/telemetry.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import { unicornNames } from '../producer/names.ts';
import { type Overload, overloadOf } from '../producer/shard-load.ts';
import { tailAggregated } from './aggregated-tail.ts';
import { conservationMisses, type UnicornTotals } from './conservation.ts';
import { type CpuSplit, cpuBetween, cpuSoFar } from './cpu-split.ts';
import { sleep } from './pacing.ts';
import type { Pipeline } from './pipeline.ts';
import { runProducer } from './producer-run.ts';
import { telemetryTotals } from './telemetry-totals.ts';

/** One end-to-end run: raw telemetry in, aggregates on the stream and items in the table out. */
export interface EndToEndRun {
  unicorns: number;
  seconds: number;
  /** Shards of each stream. */
  shards: number;
  records: number;
  /** Seconds the producer took to send them all (its own figure). */
  producerSeconds: number;
  /** Sends the shards refused for their write limits (the producer retried them). */
  throttled: number;
  /** Both modules accounted for every record before the deadline. */
  keptUp: boolean;
  /** Share of the raw telemetry (by conserved Distance) that module 3 had aggregated at the end. */
  aggregatedShare: number;
  /** Seconds from the end of the last window until its items were in the table (or the deadline). */
  lagSeconds: number;
  /** Seconds from the end of the last window until module 3 had put all its aggregates (or the deadline). */
  aggregationLagSeconds: number;
  /** Raw records per second absorbed end to end: records ÷ (sending time + lag at the end). */
  recordsPerSecond: number;
  /** Distinct window parts module 3 put for the run (more than unicorns × windows if windows ended early). */
  aggregatedRecords: number;
  /** Distinct table keys (unicorn, window) among them: the items module 4 merges the parts into. */
  aggregatedKeys: number;
  windows: number;
  /**
   * Whether the table's items of the run add up to the raw records the stream holds, per unicorn
   * (`Distance`, the min/max of the points; read after it kept up); undefined when not read.
   */
  tableConserved?: boolean;
  /** The first unicorns that do not add up, as `conservationMisses` names them. */
  conservationMisses?: string[];
  /** Records the stream holds twice: the producer sent a call again that Kinesis had stored. */
  duplicates?: number;
  /** CPU seconds the run took, by part (`cpu-split.ts`); undefined where /proc does not tell. */
  cpu?: CpuSplit;
  /** The busiest shard's load when over a shard's limit (names hash unevenly): throttled all run, as on AWS. */
  overload?: Overload;
}

type Item = Record<string, { S?: string; N?: string; L?: { S?: string }[] }>;

/** Whether an item holds the aggregate: its part merged in, or (no part) the same values. */
const holds = (a: UnicornAggregate, item: Item) =>
  a.Part
    ? (item.Parts?.L ?? []).some((p) => p.S === a.Part)
    : (['Distance', 'MinMagicPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MaxHealthPoints'] as const).every(
        (f) => Number(item[f]?.N) === a[f],
      );

/**
 * Reads the raw records that arrived from `sinceMs` on and the table's items from
 * `fromStatusTime` on (the run's: the stream and the table may hold earlier runs'), and compares
 * them per unicorn (`conservationMisses`). Counts too the records the stream holds beyond
 * `sentRecords`: calls the producer sent again though Kinesis had stored them (at-least-once).
 */
async function tableConservation(
  kinesis: KinesisClient,
  dynamodb: DynamoDBClient,
  run: { sinceMs: number; fromStatusTime: string; sentRecords: number },
): Promise<{ misses: string[]; duplicates: number }> {
  const raw = validValues(
    (await readStatuses(kinesis, names.rawStream)).filter((r) => r.record.arrival.getTime() >= run.sinceMs),
  );
  const items = (await scanTable(dynamodb, names.table)).filter(
    (i) => String(i.StatusTime) >= run.fromStatusTime,
  ) as unknown as UnicornTotals[];
  return { misses: conservationMisses(raw, items), duplicates: Math.max(0, raw.length - run.sentRecords) };
}

/**
 * Sends `unicorns` unicorns at `rate` records a second each (1 by default, as the workshop
 * does) for `seconds` with the real producer, and
 * follows the pipeline until module 3 has aggregated every raw record (the aggregated Distance
 * of the distinct window parts adds up to the raw Distance, which conservation guarantees) and
 * module 4 has merged the last part of each aggregated shard into the table (a shard is read in
 * order: everything before it is in too). Gives up `drainSeconds` after the last window ended.
 */
export async function benchEndToEnd(
  pipeline: Pipeline,
  opts: { unicorns: number; seconds: number; drainSeconds: number; rate?: number; shards?: number },
): Promise<EndToEndRun> {
  const config = { endpoint: pipeline.cloud.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const kinesis = new KinesisClient(config);
  const dynamodb = new DynamoDBClient(config);
  const rate = opts.rate ?? 1;
  const expected = telemetryTotals(opts.unicorns, Math.max(1, Math.round(opts.seconds * rate)));
  const windowMs = pipeline.windowSeconds * 1000;
  const tail = await tailAggregated(kinesis, pipeline.cloud.serve);
  const cpuBefore = cpuSoFar();
  const startedMs = Date.now();
  try {
    const run = await runProducer(pipeline.cloud.endpoint, [
      '--unicorns',
      String(opts.unicorns),
      '--rate',
      String(rate),
      '--duration',
      String(opts.seconds),
    ]);
    if (run.sent !== expected.records) {
      throw new Error(
        `the producer sent ${run.sent} records, not ${expected.records} (${run.failed} failed)`,
      );
    }
    // The last window ends at the latest on the window boundary after the last put.
    const lastWindowEndBound = Math.ceil((run.exitedMs + 1) / windowMs) * windowMs;
    const deadline = lastWindowEndBound + opts.drainSeconds * 1000;
    const inTable = async (last: UnicornAggregate) => {
      const { Item } = await dynamodb.send(
        new GetItemCommand({
          TableName: names.table,
          Key: { Name: { S: last.Name }, StatusTime: { S: last.StatusTime } },
        }),
      );
      return Item !== undefined && holds(last, Item as Item);
    };
    let aggregatedMs: number | undefined;
    let doneMs: number | undefined;
    while (Date.now() < deadline) {
      const { lastByShard, distance } = tail.soFar;
      if (lastByShard.size > 0 && distance >= expected.distance) {
        aggregatedMs ??= Date.now();
        const lasts = [...lastByShard.values()];
        if ((await Promise.all(lasts.map(inTable))).every(Boolean)) {
          doneMs = Date.now();
          break;
        }
      }
      await sleep(100);
    }
    const { soFar } = tail;
    const lastWindowEnd = soFar.latestWindowStartMs
      ? soFar.latestWindowStartMs + windowMs
      : lastWindowEndBound;
    const endMs = doneMs ?? Date.now();
    const cpuAfter = cpuSoFar();
    const lagAt = (ms: number) => Math.max(0, (ms - Math.max(lastWindowEnd, run.exitedMs)) / 1000);
    const lagSeconds = lagAt(endMs);
    const share = Math.min(1, soFar.distance / expected.distance);
    const firstWindow = formatStatusTime(new Date(Math.floor(startedMs / windowMs) * windowMs));
    const conservation = doneMs
      ? await tableConservation(kinesis, dynamodb, {
          sinceMs: startedMs,
          fromStatusTime: firstWindow,
          sentRecords: expected.records,
        })
      : undefined;
    return {
      unicorns: opts.unicorns,
      seconds: opts.seconds,
      shards: opts.shards ?? 1,
      records: expected.records,
      producerSeconds: run.seconds,
      throttled: run.throttled,
      keptUp: doneMs !== undefined,
      aggregatedShare: share,
      lagSeconds,
      aggregationLagSeconds: lagAt(aggregatedMs ?? endMs),
      recordsPerSecond: (expected.records * (doneMs ? 1 : share)) / (run.seconds + lagSeconds),
      aggregatedRecords: soFar.parts.size,
      aggregatedKeys: soFar.keys.size,
      windows: Math.round(soFar.keys.size / opts.unicorns),
      tableConserved: conservation && conservation.misses.length === 0,
      conservationMisses: conservation?.misses.slice(0, 3),
      duplicates: conservation?.duplicates,
      cpu: cpuBefore && cpuAfter && cpuBetween(cpuBefore, cpuAfter),
      overload: overloadOf(unicornNames(opts.unicorns), opts.shards ?? 1, rate),
    };
  } finally {
    await tail.stop();
    kinesis.destroy();
    dynamodb.destroy();
  }
}
