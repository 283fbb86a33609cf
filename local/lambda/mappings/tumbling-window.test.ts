import { describe, expect, it } from 'vitest';
import { IDLE_POLL_MS, planShard, type ShardView } from './shard-plan.ts';
import { FRESH, type StreamRecord, type StreamSettings } from './stream-batch.ts';
import { type OpenWindow, stateTooLarge, windowField, windowIsOver, windowOf } from './tumbling-window.ts';

const T0 = Date.parse('2026-11-22T09:17:00Z');
const record = (seq: number, arrivalMs: number): StreamRecord => ({
  sequenceNumber: String(seq),
  partitionKey: 'Shadowfax',
  data: '',
  arrivalMs,
});

describe('windowOf', () => {
  it.each([
    ['the start of a window', T0, 0, T0],
    ['the middle of a window', T0 + 59_999, 0, T0],
    ['the next window', T0 + 60_000, 0, T0 + 60_000],
    ['a late record after its window closed', T0 + 1_000, T0 + 60_000, T0 + 60_000],
  ])('puts a record at %s in the window aligned on the minute', (_, arrivalMs, floorMs, startMs) => {
    // Act & Assess
    expect(windowOf(arrivalMs, 60_000, floorMs)).toEqual({ startMs, endMs: startMs + 60_000 });
  });

  it('writes the window as AWS does', () => {
    // Act & Assess
    expect(windowField({ startMs: T0, endMs: T0 + 60_000 })).toEqual({
      start: '2026-11-22T09:17:00Z',
      end: '2026-11-22T09:18:00Z',
    });
  });
});

describe('windowIsOver', () => {
  const open: OpenWindow = { startMs: T0, endMs: T0 + 60_000, state: {} };

  it.each([
    ['the next record is in the same window', T0 + 30_000, 0, false],
    ['the next record is in a later window', T0 + 61_000, 0, true],
    ['no next record, not everything up to the end read yet', undefined, T0 + 59_000, false],
    ['no next record, everything up to the end read', undefined, T0 + 60_000, true],
  ])('%s: %s', (_, next, fetchedThroughMs, over) => {
    // Act & Assess
    expect(windowIsOver(open, next, fetchedThroughMs, 60_000)).toBe(over);
  });

  it('ends a window whose state grew too large', () => {
    // Act & Assess
    expect(windowIsOver({ ...open, terminateEarly: true }, T0 + 1, 0, 60_000)).toBe(true);
    expect(stateTooLarge({ big: 'x'.repeat(1024 * 1024) })).toBe(true);
    expect(stateTooLarge({ small: 1 })).toBe(false);
  });
});

describe('planShard', () => {
  const settings: StreamSettings = {
    batchSize: 3,
    maximumBatchingWindowMs: 0,
    maximumRetryAttempts: -1,
    maximumRecordAgeMs: -1,
    bisectOnError: false,
    reportBatchItemFailures: false,
    tumblingWindowMs: 0,
  };
  const view = (overrides: Partial<ShardView>): ShardView => ({
    buffer: [],
    progress: FRESH,
    windowFloorMs: 0,
    fetchedThroughMs: T0,
    notBeforeMs: 0,
    ...overrides,
  });
  const now = T0 + 1_000;
  const records = [record(1, T0), record(2, T0 + 10), record(3, T0 + 20), record(4, T0 + 30)];

  it.each<[string, Partial<ShardView>, Partial<StreamSettings>, unknown]>([
    ['waits when there is nothing to read', {}, {}, { kind: 'wait', ms: IDLE_POLL_MS }],
    [
      'takes at most BatchSize records',
      { buffer: records },
      {},
      { kind: 'invoke', records: records.slice(0, 3) },
    ],
    [
      'takes what a retry allows',
      { buffer: records, progress: { attempts: 0, invocations: 1, limit: 2 } },
      {},
      { kind: 'invoke', records: records.slice(0, 2) },
    ],
    ['waits for a backoff', { buffer: records, notBeforeMs: now + 50 }, {}, { kind: 'wait', ms: 50 }],
    [
      'waits for the batching window to fill',
      { buffer: records.slice(0, 1), batchingSinceMs: now - 400 },
      { maximumBatchingWindowMs: 1_000 },
      { kind: 'wait', ms: IDLE_POLL_MS },
    ],
    [
      'invokes when the batching window is over',
      { buffer: records.slice(0, 1), batchingSinceMs: now - 1_000 },
      { maximumBatchingWindowMs: 1_000 },
      { kind: 'invoke', records: records.slice(0, 1) },
    ],
    [
      'invokes at once when the batch is full, batching window or not',
      { buffer: records, batchingSinceMs: now },
      { maximumBatchingWindowMs: 1_000 },
      { kind: 'invoke', records: records.slice(0, 3) },
    ],
    [
      'gives up records older than MaximumRecordAgeInSeconds first',
      { buffer: records },
      { maximumRecordAgeMs: 985 },
      { kind: 'expire', count: 2 },
    ],
  ])('%s', (_, overrides, s, step) => {
    // Act & Assess
    expect(planShard(view(overrides), { ...settings, ...s }, now)).toEqual(step);
  });

  describe('with a tumbling window', () => {
    const windowed = { ...settings, batchSize: 10, tumblingWindowMs: 2_000 };
    const acrossWindows = [record(1, T0 + 100), record(2, T0 + 1_900), record(3, T0 + 2_100)];
    const first = { startMs: T0, endMs: T0 + 2_000 };

    it('never lets a batch span two windows, and starts a window with an empty state', () => {
      // Act & Assess
      expect(planShard(view({ buffer: acrossWindows }), windowed, T0 + 2_500)).toEqual({
        kind: 'invoke',
        records: acrossWindows.slice(0, 2),
        window: first,
        state: {},
      });
    });

    it('carries the state of the open window', () => {
      // Prepare
      const open = { ...first, state: { sum: 7 } };

      // Act & Assess
      expect(planShard(view({ buffer: acrossWindows, window: open }), windowed, T0 + 2_500)).toMatchObject({
        kind: 'invoke',
        state: { sum: 7 },
      });
    });

    it('closes the open window before the records of the next one', () => {
      // Prepare
      const open = { ...first, state: { sum: 7 } };

      // Act & Assess
      expect(planShard(view({ buffer: acrossWindows.slice(2), window: open }), windowed, T0 + 2_500)).toEqual(
        {
          kind: 'final',
          window: open,
        },
      );
    });

    it.each([
      [T0 + 1_999, { kind: 'wait', ms: IDLE_POLL_MS }],
      [T0 + 2_000, { kind: 'final', window: { ...first, state: { sum: 7 } } }],
    ])(
      'with nothing left to read, closes the window once all records up to %i are read',
      (fetchedThroughMs, step) => {
        // Act & Assess
        expect(
          planShard(
            view({ window: { ...first, state: { sum: 7 } }, fetchedThroughMs }),
            windowed,
            T0 + 5_000,
          ),
        ).toEqual(step);
      },
    );
  });
});
