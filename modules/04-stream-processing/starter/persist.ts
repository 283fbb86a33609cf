import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { backoffDelay, type RetryOptions, sleep } from '../../../contracts/backoff.ts';
import { names } from '../../../contracts/names.ts';
import {
  decodeKinesisData,
  mergeAggregates,
  parseAggregate,
  type UnicornAggregate,
} from '../../../contracts/telemetry.ts';

/** `BatchWriteItem` takes at most 25 requests. */
export const BATCH_LIMIT = 25;

/**
 * An item of `UnicornSensorData`: one unicorn over one window, and the names of the window parts
 * it sums up (`Parts`; see `UnicornAggregate.Part`).
 */
export type SensorItem = Omit<UnicornAggregate, 'Part'> & { Parts?: string[] };

/** One item to put, and the Kinesis records (sequence numbers) that carried it. */
export interface PendingPut {
  item: SensorItem;
  recordIds: string[];
}

/** A put request as the document client's `BatchWriteItem` takes it. */
export interface PutRequest {
  PutRequest: { Item: SensorItem };
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

/** The aggregated records of one table key (Name + StatusTime) in a batch. */
export interface KeyParts {
  /** Its records, a part delivered twice once. */
  parts: UnicornAggregate[];
  recordIds: string[];
}

const keyOf = (item: Pick<UnicornAggregate, 'Name' | 'StatusTime'>) => `${item.Name}\u0000${item.StatusTime}`;

/** Exactly the schema's fields: whatever else a record carries is not stored. */
const toItem = (a: UnicornAggregate): SensorItem => ({
  Name: a.Name,
  StatusTime: a.StatusTime,
  Distance: a.Distance,
  MinMagicPoints: a.MinMagicPoints,
  MaxMagicPoints: a.MaxMagicPoints,
  MinHealthPoints: a.MinHealthPoints,
  MaxHealthPoints: a.MaxHealthPoints,
});

/**
 * Decodes a batch of Kinesis records and groups them by key (Name + StatusTime): a window that
 * Lambda ended early comes in several parts, and a part delivered twice (a retry) is kept once,
 * with both sequence numbers.
 */
export function partsByKey(records: readonly KinesisStreamRecord[]): {
  keys: KeyParts[];
  malformed: MalformedRecord[];
} {
  const byKey = new Map<string, KeyParts>();
  const malformed: MalformedRecord[] = [];
  for (const record of records) {
    const recordId = record.kinesis.sequenceNumber;
    const parsed = parseAggregate(decodeKinesisData(record.kinesis.data));
    if (!parsed.ok) {
      malformed.push({ recordId, problems: parsed.problems });
      continue;
    }
    const a = parsed.value;
    const entry = byKey.get(keyOf(a)) ?? { parts: [], recordIds: [] };
    byKey.set(keyOf(a), entry);
    entry.recordIds.push(recordId);
    if (a.Part === undefined || !entry.parts.some((p) => p.Part === a.Part)) entry.parts.push(a);
  }
  return { keys: [...byKey.values()], malformed };
}

/**
 * The item a key's parts make, merged into the item the table holds (`stored`): a part already
 * in it (`Parts`) is skipped, so a part delivered twice is counted once; a record without a part
 * is a whole window and replaces the item, as a put does. Undefined when nothing is new.
 */
export function mergeParts(
  stored: SensorItem | undefined,
  parts: readonly UnicornAggregate[],
): SensorItem | undefined {
  let item = stored;
  let changed = false;
  for (const part of parts) {
    const name = part.Part;
    if (name === undefined) item = toItem(part);
    else if (item?.Parts?.includes(name)) continue;
    else
      item = item?.Parts
        ? { ...mergeAggregates(item, part), Parts: [...item.Parts, name] }
        : { ...toItem(part), Parts: [name] };
    changed = true;
  }
  return changed ? item : undefined;
}

/** Reads the items the table holds for these keys (`BatchGetItem`). */
export type ItemReader = (keys: Pick<UnicornAggregate, 'Name' | 'StatusTime'>[]) => Promise<SensorItem[]>;

/** The puts of a batch: each key's parts merged into its stored item; keys with nothing new are left out. */
export async function pendingPuts(keys: readonly KeyParts[], read: ItemReader): Promise<PendingPut[]> {
  const firsts = keys.flatMap((k) => k.parts.slice(0, 1));
  const stored = new Map(
    (await read(firsts.map((a) => ({ Name: a.Name, StatusTime: a.StatusTime })))).map((i) => [keyOf(i), i]),
  );
  return keys.flatMap((k) => {
    const first = k.parts[0];
    const item = first && mergeParts(stored.get(keyOf(first)), k.parts);
    return item ? [{ item, recordIds: k.recordIds }] : [];
  });
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
  // The unprocessed requests come back as new objects, copies of what you sent: find their puts
  // by key (`keyOf(request.PutRequest.Item)`: Name and StatusTime), never by identity (`===`).
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

/** `BatchGetItem`, 100 keys a call, reading again what DynamoDB left unprocessed (with backoff). */
const batchRead: ItemReader = async (keys) => {
  const items: SensorItem[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + 100);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 6) throw new Error(`BatchGetItem left ${pending.length} keys unread after 6 attempts`);
      if (attempt > 1) await sleep(backoffDelay(attempt - 1));
      const out = await documents.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
      );
      items.push(...((out.Responses?.[tableName] ?? []) as SensorItem[]));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
};

/**
 * Lambda handler on `wildrydes-aggregated`: merges each aggregated record (a window, or a part of
 * one) into its item of `UnicornSensorData` and reports the records it could not write, so Lambda
 * retries from the first of them.
 */
export async function handler(
  event: KinesisStreamEvent,
  context: Context,
): Promise<KinesisStreamBatchResponse> {
  logger.addContext(context);
  const { keys, malformed } = partsByKey(event.Records);
  for (const m of malformed) logger.error('not an aggregated record', { ...m });
  // A read that fails throws: Lambda retries the batch, and parts already merged are skipped.
  const puts = await pendingPuts(keys, batchRead);
  const outcome = await writeAll(batchWrite, puts);
  for (const error of outcome.errors) logger.error('BatchWriteItem failed', { error });
  logger.info('batch written', { records: event.Records.length, items: outcome.written });
  const failed = [...malformed.map((m) => m.recordId), ...outcome.failedRecordIds];
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
