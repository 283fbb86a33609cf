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
 * The tallies of a window: unicorn name → its tally so far. The handler keeps them in the
 * tumbling-window state (`PartState`), which Lambda passes from one invocation to the next, so a
 * window spread over several batches adds up.
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
 * What the handler keeps between invocations: the tallies, and the name of the window part they
 * sum up. Lambda ends a window early when its state passes 1 MB (`isWindowTerminatedEarly`) and
 * goes on in the same window from `{}`: a window can come in parts, and each part is named after
 * where it starts in the shard, so a retried final invocation names its part the same again.
 */
export interface PartState {
  /** `shardId/sequence number of the part's first record`. */
  part: string;
  tallies: WindowState;
}

/** A tumbling-window event as Lambda sends it: it names its shard too (not in @types/aws-lambda). */
export type WindowEvent = KinesisStreamTumblingWindowEvent & { shardId?: string };

/** The part an invocation adds to: the state's, or a new one starting at the batch's first record. */
export function partOf(event: WindowEvent): string {
  const state = (event.state ?? {}) as Partial<PartState>;
  if (typeof state.part === 'string') return state.part;
  const first = event.Records[0]?.kinesis.sequenceNumber ?? event.window.start;
  return `${event.shardId ?? 'shard'}/${first}`;
}

/**
 * Lambda handler on `wildrydes` with a tumbling window: folds each batch into the state and, on
 * the window's final invocation, puts one record per unicorn on `wildrydes-aggregated`, named
 * with its window part (`Part`) so that module 4 can merge the parts of a window ended early.
 */
export async function handler(event: WindowEvent, context: Context): Promise<KinesisStreamStateResponse> {
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
  const part = partOf(event);
  const tallies = foldStatuses((event.state as Partial<PartState> | undefined)?.tallies ?? {}, statuses);
  if (!event.isFinalInvokeForWindow) return { state: { part, tallies }, batchItemFailures: [] };

  const aggregates = aggregatesOf(tallies, formatStatusTime(new Date(event.window.start)));
  await putAllRecords(
    (entries) => kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: entries })),
    aggregates.map((a) => ({
      Data: Buffer.from(JSON.stringify({ ...a, Part: part })),
      PartitionKey: a.Name,
    })),
  );
  const endedEarly = event.isWindowTerminatedEarly === true;
  logger.info(endedEarly ? 'window part closed (state over 1 MB)' : 'window closed', {
    window: event.window,
    part,
    unicorns: aggregates.length,
  });
  // Lambda starts the next window (or part) with a fresh state whatever is returned here.
  return { state: {}, batchItemFailures: [] };
}
