import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Parsed,
  parseAggregate,
  parseStatus,
  type UnicornAggregate,
  type UnicornStatus,
} from '../contracts/telemetry.ts';
import { createProgress, type Progress } from '../core/progress-line.ts';
import type { TargetConfig } from '../core/target.ts';

/** What the checks read from a stream: one record, decoded to text. */
export interface StreamRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  /** When Kinesis received it: the clock Lambda's tumbling windows use. */
  arrival: Date;
  text: string;
}

/** A stream's status, or undefined if it does not exist. */
export async function describeStream(
  kinesis: KinesisClient,
  streamName: string,
): Promise<{ status: string; arn: string; shards: number } | undefined> {
  try {
    const { StreamDescriptionSummary: s } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    return { status: s?.StreamStatus ?? 'UNKNOWN', arn: s?.StreamARN ?? '', shards: s?.OpenShardCount ?? 0 };
  } catch (err) {
    if ((err as Error)?.name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads every record a stream still holds (all shards, from the trim horizon up to now). On AWS
 * a shard serves 5 reads a second, so a throttled read waits and tries again.
 */
export async function readWholeStream(kinesis: KinesisClient, streamName: string): Promise<StreamRecord[]> {
  const shardIds: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
    );
    shardIds.push(...(page.Shards ?? []).flatMap((s) => s.ShardId ?? []));
    nextToken = page.NextToken;
  } while (nextToken);

  const records: StreamRecord[] = [];
  for (const shardId of shardIds) {
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let iterator = ShardIterator;
    // A bound, so a stream written faster than we read cannot keep the check busy forever.
    for (let reads = 0; iterator && reads < 1_000; reads++) {
      let page: Awaited<ReturnType<typeof getRecords>>;
      try {
        page = await getRecords(kinesis, iterator);
      } catch (err) {
        if ((err as Error)?.name !== 'ProvisionedThroughputExceededException') throw err;
        await sleep(1_000);
        continue;
      }
      for (const r of page.Records ?? []) {
        records.push({
          shardId,
          sequenceNumber: r.SequenceNumber ?? '',
          partitionKey: r.PartitionKey ?? '',
          arrival: r.ApproximateArrivalTimestamp ?? new Date(0),
          text: Buffer.from(r.Data ?? new Uint8Array()).toString('utf8'),
        });
      }
      // Caught up: an empty page with nothing behind it (AWS may return empty pages mid-shard).
      if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

const getRecords = (kinesis: KinesisClient, iterator: string) =>
  kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));

/** Every item of a table (all pages), as plain values. */
export async function scanTable(
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A probe's verdict: done (with a value), or not yet (with what we are waiting for). */
export type Probe<T> = { done: true; value: T } | { done: false; waitingFor: string; value: T };

/**
 * Polls `probe` until it is done or `seconds` have passed, showing what it waits for on a live
 * progress line; returns the last verdict either way, so the caller can explain a timeout.
 */
export async function waitUntil<T>(
  probe: () => Promise<Probe<T>>,
  opts: { seconds: number; intervalMs?: number; progress?: Progress },
): Promise<Probe<T>> {
  const progress = opts.progress ?? createProgress({ intervalMs: 10_000 });
  const deadline = Date.now() + opts.seconds * 1000;
  let verdict = await probe();
  try {
    while (!verdict.done && Date.now() < deadline) {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      progress.update(`    … waiting for ${verdict.waitingFor} (${left} s left)`);
      await sleep(Math.min(opts.intervalMs ?? 2_000, Math.max(0, deadline - Date.now())));
      verdict = await probe();
    }
  } finally {
    progress.done();
  }
  return verdict;
}

/** Waits while a stream is being created or updated; its description, or undefined if it does not exist. */
export async function awaitActiveStream(
  kinesis: KinesisClient,
  streamName: string,
  waitSeconds: number,
): Promise<Awaited<ReturnType<typeof describeStream>>> {
  const verdict = await waitUntil(
    async () => {
      const stream = await describeStream(kinesis, streamName);
      const busy = stream?.status === 'CREATING' || stream?.status === 'UPDATING';
      return busy
        ? { done: false, waitingFor: `stream '${streamName}' (${stream?.status})`, value: stream }
        : { done: true, value: stream };
    },
    { seconds: waitSeconds, intervalMs: 1_000 },
  );
  return verdict.value;
}

/** A record read from a stream, decoded: the unicorn it names (even if malformed) and the parse result. */
export interface DecodedRecord<T> {
  record: StreamRecord;
  /** `Name` if the record is a JSON object with a string `Name`, whatever else is wrong with it. */
  name?: string;
  parsed: Parsed<T>;
}

export type StatusRecord = DecodedRecord<UnicornStatus>;
export type AggregateRecord = DecodedRecord<UnicornAggregate>;

/** Decodes one record with `parse`, keeping the unicorn's name even when the record is malformed. */
export function decodeRecord<T>(record: StreamRecord, parse: (text: string) => Parsed<T>): DecodedRecord<T> {
  let name: string | undefined;
  try {
    const value = JSON.parse(record.text) as { Name?: unknown } | null;
    if (typeof value?.Name === 'string') name = value.Name;
  } catch {
    // Not JSON: `parsed` says so.
  }
  return { record, name, parsed: parse(record.text) };
}

/** Every raw telemetry record on a stream, decoded. */
export const readStatuses = async (kinesis: KinesisClient, streamName: string): Promise<StatusRecord[]> =>
  (await readWholeStream(kinesis, streamName)).map((r) => decodeRecord(r, parseStatus));

/** Every aggregated record on a stream, decoded. */
export const readAggregates = async (
  kinesis: KinesisClient,
  streamName: string,
): Promise<AggregateRecord[]> =>
  (await readWholeStream(kinesis, streamName)).map((r) => decodeRecord(r, parseAggregate));

/** The valid values of decoded records. */
export const validValues = <T>(records: readonly DecodedRecord<T>[]): T[] =>
  records.flatMap((r) => (r.parsed.ok ? [r.parsed.value] : []));

/** An npm command as the attendee types it for the target (`--target aws` on AWS). */
export function command(target: TargetConfig, npmCommand: string): string {
  if (target.target !== 'aws') return npmCommand;
  return npmCommand.includes(' -- ') ? `${npmCommand} --target aws` : `${npmCommand} -- --target aws`;
}

/** The producer command that sends a minute of telemetry for `name` (and a tiring unicorn if given). */
export function producerCommand(name: string, tired?: string): string {
  const tiring = tired ? ` --name ${tired} --tired ${tired}` : '';
  return `npm run producer -- --name ${name}${tiring} --duration 60`;
}

/** `1 window`, `2 windows`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
