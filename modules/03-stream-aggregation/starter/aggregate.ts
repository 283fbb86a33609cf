import { Logger } from '@aws-lambda-powertools/logger';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamStateResponse, KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { names } from '../../../contracts/names.ts';
import { putAllRecords } from '../../../contracts/put-records.ts';
import {
  decodeKinesisData,
  formatStatusTime,
  parseStatus,
  type UnicornAggregate,
  type UnicornStatus,
} from '../../../contracts/telemetry.ts';

/** What the window remembers about one unicorn between invocations. */
export interface UnicornTally {
  Distance: number;
  MinMagicPoints: number;
  MaxMagicPoints: number;
  MinHealthPoints: number;
  MaxHealthPoints: number;
}

/**
 * The tumbling-window state: unicorn name → its tally so far. Lambda passes the state the
 * previous invocation returned, so a window spread over several batches adds up.
 */
export type WindowState = Record<string, UnicornTally>;

/**
 * Folds a batch of telemetry into the window state and returns the new state (the input is
 * not changed): per unicorn, the sum of `Distance` and the min/max of the points.
 */
export function foldStatuses(state: WindowState, statuses: readonly UnicornStatus[]): WindowState {
  // TODO: for each status, add its Distance to its unicorn's tally and keep the min and max of
  // its MagicPoints and HealthPoints (a unicorn seen for the first time starts a new tally).
  // Return a new state; `state` holds what earlier invocations of this window added up.
  // (The `void` lines only keep the linter quiet until you use the parameters: delete them.)
  void statuses;
  return state;
}

/** One aggregated record per unicorn of a closed window, `StatusTime` = the window start. */
export function aggregatesOf(state: WindowState, windowStart: string): UnicornAggregate[] {
  // TODO: return one record per unicorn in `state`, with `StatusTime` = `windowStart` and the
  // fields of the aggregated schema (contracts/telemetry.ts, `UnicornAggregate`).
  // (The `void` lines only keep the linter quiet until you use the parameters: delete them.)
  void state;
  void windowStart;
  return [];
}

const logger = new Logger({ serviceName: names.aggregateFunction });
const kinesis = new KinesisClient({});
const streamName = process.env.AGGREGATED_STREAM_NAME ?? names.aggregatedStream;

/**
 * Lambda handler on `wildrydes` with a tumbling window: folds each batch into the state and, on
 * the window's final invocation, puts one record per unicorn on `wildrydes-aggregated`.
 */
export async function handler(
  event: KinesisStreamTumblingWindowEvent,
  context: Context,
): Promise<KinesisStreamStateResponse> {
  logger.addContext(context);
  const statuses: UnicornStatus[] = [];
  for (const record of event.Records) {
    const parsed = parseStatus(decodeKinesisData(record.kinesis.data));
    // A malformed record can never become valid, so retrying it would only stall the shard.
    if (parsed.ok) statuses.push(parsed.value);
    else
      logger.warn('skipping a malformed record', {
        sequenceNumber: record.kinesis.sequenceNumber,
        problems: parsed.problems,
      });
  }
  const state = foldStatuses((event.state ?? {}) as WindowState, statuses);
  // Lambda also ends a window early if its state passes 1 MB: at ~100 bytes a unicorn, that
  // takes thousands of unicorns on one shard, so one record per unicorn per window holds.
  if (!event.isFinalInvokeForWindow) return { state, batchItemFailures: [] };

  const aggregates = aggregatesOf(state, formatStatusTime(new Date(event.window.start)));
  await putAllRecords(
    (entries) => kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: entries })),
    aggregates.map((a) => ({ Data: Buffer.from(JSON.stringify(a)), PartitionKey: a.Name })),
  );
  logger.info('window closed', { window: event.window, unicorns: aggregates.length });
  // Lambda starts the next window with a fresh state whatever is returned here.
  return { state: {}, batchItemFailures: [] };
}
