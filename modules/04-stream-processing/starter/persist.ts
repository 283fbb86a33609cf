import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import type { RetryOptions } from '../../../contracts/backoff.ts';
import { names } from '../../../contracts/names.ts';
import { decodeKinesisData, parseAggregate, type UnicornAggregate } from '../../../contracts/telemetry.ts';

/** `BatchWriteItem` takes at most 25 requests. */
export const BATCH_LIMIT = 25;

/** One item to put, and the Kinesis records (sequence numbers) that carried it. */
export interface PendingPut {
  item: UnicornAggregate;
  recordIds: string[];
}

/** A put request as the document client's `BatchWriteItem` takes it. */
export interface PutRequest {
  PutRequest: { Item: UnicornAggregate };
}

/** Sends one `BatchWriteItem` to the table; resolves to the requests DynamoDB did not process. */
export type BatchWriter = (requests: PutRequest[]) => Promise<PutRequest[]>;

/** What `writeAll` achieved. */
export interface WriteOutcome {
  /** Items DynamoDB accepted. */
  written: number;
  /** Sequence numbers of the records whose items could not be written: Lambda retries from them. */
  failedRecordIds: string[];
  /** Errors `BatchWriteItem` threw, for the log. */
  errors: string[];
}

/** A record that is not an aggregated record: reported as failed so it ends in the failure queue. */
export interface MalformedRecord {
  recordId: string;
  problems: string[];
}

const keyOf = (item: Pick<UnicornAggregate, 'Name' | 'StatusTime'>) => `${item.Name}\u0000${item.StatusTime}`;

/** Exactly the schema's fields: whatever else a record carries is not stored. */
const toItem = (a: UnicornAggregate): UnicornAggregate => ({
  Name: a.Name,
  StatusTime: a.StatusTime,
  Distance: a.Distance,
  MinMagicPoints: a.MinMagicPoints,
  MaxMagicPoints: a.MaxMagicPoints,
  MinHealthPoints: a.MinHealthPoints,
  MaxHealthPoints: a.MaxHealthPoints,
});

/**
 * Decodes a batch of Kinesis records into puts, one per key (Name + StatusTime). A record
 * delivered twice becomes one put carrying both sequence numbers: `BatchWriteItem` rejects a
 * request that names the same key twice, and a put is idempotent, so nothing is counted twice.
 */
export function pendingPuts(records: readonly KinesisStreamRecord[]): {
  puts: PendingPut[];
  malformed: MalformedRecord[];
} {
  const byKey = new Map<string, PendingPut>();
  const malformed: MalformedRecord[] = [];
  for (const record of records) {
    const recordId = record.kinesis.sequenceNumber;
    const parsed = parseAggregate(decodeKinesisData(record.kinesis.data));
    if (!parsed.ok) {
      malformed.push({ recordId, problems: parsed.problems });
      continue;
    }
    const key = keyOf(parsed.value);
    const earlier = byKey.get(key);
    byKey.set(key, { item: toItem(parsed.value), recordIds: [...(earlier?.recordIds ?? []), recordId] });
  }
  return { puts: [...byKey.values()], malformed };
}

/** Splits `items` into batches of at most `size`, in order. */
export function toBatches<T>(items: readonly T[], size = BATCH_LIMIT): T[][] {
  // TODO: split `items` into consecutive batches of at most `size` items, keeping their order.
  // (The `void` lines only keep the linter quiet until you use the parameters: delete them.)
  void items;
  void size;
  return [];
}

/**
 * Writes every put with `BatchWriteItem`, 25 at a time. DynamoDB may leave some requests
 * unprocessed (throttling) without raising an error: those are sent again, with capped
 * exponential backoff and jitter, up to `maxAttempts`. Whatever is still unwritten is returned
 * as failed records, never silently dropped.
 */
export async function writeAll(
  write: BatchWriter,
  puts: readonly PendingPut[],
  opts: RetryOptions = {},
): Promise<WriteOutcome> {
  // TODO: for each batch of 25 puts (`toBatches`), call `write` with one `{ PutRequest: { Item } }`
  // per put. `write` resolves to the requests DynamoDB left unprocessed: send those again, waiting
  // `backoffDelay(retry, opts)` ms before each retry (see contracts/backoff.ts;
  // `opts.sleep` waits in tests), at most `opts.maxAttempts ?? 6` attempts in all. Count what was
  // written, and return the `recordIds` of every put still unwritten in `failedRecordIds`.
  // (The `void` lines only keep the linter quiet until you use the parameters: delete them.)
  void write;
  void puts;
  void opts;
  return { written: 0, failedRecordIds: [], errors: [] };
}

const logger = new Logger({ serviceName: names.persistFunction });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.TABLE_NAME ?? names.table;

const batchWrite: BatchWriter = async (requests) => {
  const out = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
  return (out.UnprocessedItems?.[tableName] ?? []) as PutRequest[];
};

/**
 * Lambda handler on `wildrydes-aggregated`: puts each aggregated record into `UnicornSensorData`
 * and reports the records it could not write, so Lambda retries from the first of them.
 */
export async function handler(
  event: KinesisStreamEvent,
  context: Context,
): Promise<KinesisStreamBatchResponse> {
  logger.addContext(context);
  const { puts, malformed } = pendingPuts(event.Records);
  for (const m of malformed) logger.error('not an aggregated record', { ...m });
  const outcome = await writeAll(batchWrite, puts);
  for (const error of outcome.errors) logger.error('BatchWriteItem failed', { error });
  logger.info('batch written', { records: event.Records.length, items: outcome.written });
  const failed = [...malformed.map((m) => m.recordId), ...outcome.failedRecordIds];
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
