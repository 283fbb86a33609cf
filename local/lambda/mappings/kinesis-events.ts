import type { KinesisStreamRecord } from 'aws-lambda';
import { LOCAL_REGION } from '../../types.ts';
import type { DiscardCondition, StreamRecord } from './stream-batch.ts';
import { type OpenWindow, type Window, windowField } from './tumbling-window.ts';

/** Where a batch comes from, as the event names it. */
export interface StreamOrigin {
  streamArn: string;
  shardId: string;
  /** The function's execution role (`invokeIdentityArn`). */
  roleArn: string;
}

/** One record as Lambda delivers it (`KinesisStreamRecord`). */
export function eventRecord(record: StreamRecord, origin: StreamOrigin): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: record.data,
      approximateArrivalTimestamp: record.arrivalMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${origin.shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: origin.roleArn,
    awsRegion: LOCAL_REGION,
    eventSourceARN: origin.streamArn,
  };
}

/**
 * The event of one invocation: `KinesisStreamEvent`, plus the tumbling-window fields when the
 * mapping has a window (`KinesisStreamTumblingWindowEvent`: window, state, shardId,
 * eventSourceARN, isFinalInvokeForWindow, isWindowTerminatedEarly).
 */
export function streamEvent(
  records: readonly StreamRecord[],
  origin: StreamOrigin,
  window?: { window: Window; state: unknown; final?: boolean; terminatedEarly?: boolean },
): Record<string, unknown> {
  const Records = records.map((r) => eventRecord(r, origin));
  if (!window) return { Records };
  return {
    Records,
    window: windowField(window.window),
    state: window.state,
    ...windowTail(origin, window),
  };
}

/** The tumbling-window fields that follow `state`. */
const windowTail = (origin: StreamOrigin, window: { final?: boolean; terminatedEarly?: boolean }) => ({
  shardId: origin.shardId,
  eventSourceARN: origin.streamArn,
  isFinalInvokeForWindow: window.final ?? false,
  isWindowTerminatedEarly: window.terminatedEarly ?? false,
});

/**
 * `streamEvent` as the JSON text the function is invoked with, the window's state given as
 * JSON text already. A window's state can hold every partition key of the window (module 3:
 * every unicorn of the shard), so it is never serialised again on the way: the poller passes
 * `null` here and the state beside the event, which the function's process puts in place
 * (`WindowState` in runtime/host.ts).
 */
export function streamEventJson(
  records: readonly StreamRecord[],
  origin: StreamOrigin,
  window?: { window: Window; stateJson: string; final?: boolean; terminatedEarly?: boolean },
): string {
  const Records = records.map((r) => eventRecord(r, origin));
  if (!window) return JSON.stringify({ Records });
  const head = JSON.stringify({ Records, window: windowField(window.window) });
  const tail = JSON.stringify(windowTail(origin, window));
  return `${head.slice(0, -1)},"state":${window.stateJson},${tail.slice(1)}`;
}

/** The final invocation of a window: no records, the state so far. */
export const finalWindowEvent = (open: OpenWindow, origin: StreamOrigin): Record<string, unknown> =>
  streamEvent([], origin, {
    window: open,
    state: open.state,
    final: true,
    terminatedEarly: open.terminateEarly,
  });

/** `finalWindowEvent` as JSON text, the state given as JSON text already (see `streamEventJson`). */
export const finalWindowEventJson = (open: OpenWindow, stateJson: string, origin: StreamOrigin): string =>
  streamEventJson([], origin, { window: open, stateJson, final: true, terminatedEarly: open.terminateEarly });

/** The last invocation of discarded records, when there was one. */
export interface LastInvocation {
  requestId: string;
  functionError: boolean;
}

/**
 * What Lambda sends to an on-failure destination when it discards records: the invocation
 * record with `KinesisBatchInfo` (shard, first and last sequence numbers and arrival times,
 * batch size, stream ARN). Records discarded before any invocation have no `responseContext`.
 */
export function discardRecord(opts: {
  records: readonly StreamRecord[];
  origin: StreamOrigin;
  functionArn: string;
  condition: DiscardCondition;
  invocations: number;
  last?: LastInvocation;
  now: Date;
  requestId: string;
}): Record<string, unknown> {
  const first = opts.records[0];
  const last = opts.records[opts.records.length - 1];
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    requestContext: {
      requestId: opts.last?.requestId ?? opts.requestId,
      functionArn: opts.functionArn,
      condition: opts.condition,
      approximateInvokeCount: opts.invocations,
    },
    ...(opts.last && {
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(opts.last.functionError && { functionError: 'Unhandled' }),
      },
    }),
    version: '1.0',
    timestamp: opts.now.toISOString(),
    KinesisBatchInfo: {
      shardId: opts.origin.shardId,
      startSequenceNumber: first?.sequenceNumber,
      endSequenceNumber: last?.sequenceNumber,
      approximateArrivalOfFirstRecord: iso(first?.arrivalMs),
      approximateArrivalOfLastRecord: iso(last?.arrivalMs),
      batchSize: opts.records.length,
      streamArn: opts.origin.streamArn,
    },
  };
}
