import { expiredCount, type RetryProgress, type StreamRecord, type StreamSettings } from './stream-batch.ts';
import { type OpenWindow, type Window, windowIsOver, windowOf } from './tumbling-window.ts';

/** What a shard's poller knows when it chooses its next step. */
export interface ShardView {
  /** Records read and not yet checkpointed, in sequence order. */
  buffer: readonly StreamRecord[];
  progress: RetryProgress;
  window?: OpenWindow;
  /** End of the last window this shard closed (0: none). */
  windowFloorMs: number;
  /** Every record that arrived before this instant has been read into `buffer` (or processed). */
  fetchedThroughMs: number;
  /** When the record now at the head was read: `MaximumBatchingWindowInSeconds` counts from it. */
  batchingSinceMs?: number;
  /** No invocation before this instant (a retry's backoff). */
  notBeforeMs: number;
}

/** The next thing a shard's poller does. */
export type ShardStep =
  | { kind: 'expire'; count: number }
  | { kind: 'final'; window: OpenWindow }
  | { kind: 'invoke'; records: StreamRecord[]; window?: Window; state?: unknown }
  | { kind: 'wait'; ms: number };

/** How long an idle shard waits before it reads again. */
export const IDLE_POLL_MS = 100;

/**
 * Chooses a shard's next step: give up expired records, close a tumbling window that is over,
 * invoke the function with the next batch (never spanning two windows, at most `BatchSize` or
 * the retry limit), or wait — for records, for a batching window to fill, or for a backoff.
 */
export function planShard(view: ShardView, settings: StreamSettings, nowMs: number): ShardStep {
  if (nowMs < view.notBeforeMs) return { kind: 'wait', ms: view.notBeforeMs - nowMs };
  const expired = expiredCount(view.buffer, nowMs, settings.maximumRecordAgeMs);
  if (expired > 0) return { kind: 'expire', count: expired };
  const windowMs = settings.tumblingWindowMs;
  const head = view.buffer[0];
  if (
    windowMs > 0 &&
    view.window &&
    windowIsOver(view.window, head?.arrivalMs, view.fetchedThroughMs, windowMs)
  ) {
    return { kind: 'final', window: view.window };
  }
  if (!head) return { kind: 'wait', ms: IDLE_POLL_MS };

  const limit = Math.min(view.progress.limit ?? settings.batchSize, settings.batchSize);
  const window =
    windowMs > 0 ? windowOf(head.arrivalMs, windowMs, view.window?.startMs ?? view.windowFloorMs) : undefined;
  const records: StreamRecord[] = [];
  for (const record of view.buffer) {
    if (records.length >= limit) break;
    if (window && windowOf(record.arrivalMs, windowMs, window.startMs).startMs !== window.startMs) break;
    records.push(record);
  }
  const retrying = view.progress.limit !== undefined;
  const cutByWindow = records.length < view.buffer.length && records.length < limit;
  const windowComplete = window !== undefined && view.fetchedThroughMs >= window.endMs;
  const batchingLeft = settings.maximumBatchingWindowMs - (nowMs - (view.batchingSinceMs ?? nowMs));
  if (records.length < limit && !retrying && !cutByWindow && !windowComplete && batchingLeft > 0) {
    return { kind: 'wait', ms: Math.min(batchingLeft, IDLE_POLL_MS) };
  }
  if (!window) return { kind: 'invoke', records };
  const state = view.window && view.window.startMs === window.startMs ? view.window.state : {};
  return { kind: 'invoke', records, window, state };
}
