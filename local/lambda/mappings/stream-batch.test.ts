import { describe, expect, it } from 'vitest';
import {
  type BatchVerdict,
  decide,
  expiredCount,
  FRESH,
  type InvocationOutcome,
  type RetryProgress,
  readResponse,
  retryDelayMs,
  type StreamRecord,
} from './stream-batch.ts';

const record = (sequenceNumber: string, arrivalMs = 0): StreamRecord => ({
  sequenceNumber,
  partitionKey: 'Shadowfax',
  data: '',
  arrivalMs,
});
const batch = ['101', '102', '103', '104'].map((seq) => record(seq));
const ok = (response: unknown): InvocationOutcome => ({ functionError: false, response });
const plain = { reportBatchItemFailures: false, tumblingWindowMs: 0 };
const partial = { reportBatchItemFailures: true, tumblingWindowMs: 0 };
const windowed = { reportBatchItemFailures: true, tumblingWindowMs: 60_000 };

describe('readResponse', () => {
  it.each<[string, InvocationOutcome, typeof plain, BatchVerdict['kind'], number?]>([
    ['a function error', { functionError: true }, partial, 'failure'],
    [
      'anything, without ReportBatchItemFailures',
      ok({ batchItemFailures: [{ itemIdentifier: '102' }] }),
      plain,
      'success',
    ],
    ['an empty list', ok({ batchItemFailures: [] }), partial, 'success'],
    ['a null list', ok({ batchItemFailures: null }), partial, 'success'],
    ['an empty response', ok({}), partial, 'success'],
    ['a null response', ok(null), partial, 'success'],
    ['one failed record', ok({ batchItemFailures: [{ itemIdentifier: '103' }] }), partial, 'partial', 2],
    [
      'several failed records (the lowest sequence number wins)',
      ok({ batchItemFailures: [{ itemIdentifier: '104' }, { itemIdentifier: '102' }] }),
      partial,
      'partial',
      1,
    ],
    ['an empty itemIdentifier', ok({ batchItemFailures: [{ itemIdentifier: '' }] }), partial, 'failure'],
    ['a null itemIdentifier', ok({ batchItemFailures: [{ itemIdentifier: null }] }), partial, 'failure'],
    ['a wrong key name', ok({ batchItemFailures: [{ itemId: '102' }] }), partial, 'failure'],
    [
      'an unknown sequence number',
      ok({ batchItemFailures: [{ itemIdentifier: '999' }] }),
      partial,
      'failure',
    ],
    ['a list that is not a list', ok({ batchItemFailures: '102' }), partial, 'failure'],
    ['a window response without state', ok({ batchItemFailures: [] }), windowed, 'failure'],
    ['a window response with state', ok({ state: { n: 1 } }), windowed, 'success'],
  ])('reads %s', (_, outcome, settings, kind, failedIndex) => {
    // Act
    const verdict = readResponse(batch, outcome, settings);

    // Assess
    expect(verdict.kind).toBe(kind);
    if (verdict.kind === 'partial') expect(verdict.failedIndex).toBe(failedIndex);
  });

  it('keeps the state of a tumbling-window response, also with partial failures', () => {
    // Act
    const verdict = readResponse(
      batch,
      ok({ state: { sum: 3 }, batchItemFailures: [{ itemIdentifier: '103' }] }),
      windowed,
    );

    // Assess
    expect(verdict).toEqual({ kind: 'partial', failedIndex: 2, state: { sum: 3 } });
  });
});

describe('decide', () => {
  const failure: BatchVerdict = { kind: 'failure', reason: 'boom' };
  const settings = (bisectOnError: boolean, maximumRetryAttempts: number) => ({
    bisectOnError,
    maximumRetryAttempts,
  });

  it.each<
    [
      string,
      number,
      BatchVerdict,
      RetryProgress,
      ReturnType<typeof settings>,
      Partial<ReturnType<typeof decide>>,
    ]
  >([
    [
      'success checkpoints the whole batch',
      4,
      { kind: 'success' },
      FRESH,
      settings(false, -1),
      { done: 4, progress: FRESH },
    ],
    [
      'a failure retries the same batch, forever by default',
      4,
      failure,
      { attempts: 41, invocations: 41, limit: 4 },
      settings(false, -1),
      { done: 0, progress: { attempts: 42, invocations: 42, limit: 4 } },
    ],
    [
      'a failure bisects the batch without using a retry',
      4,
      failure,
      FRESH,
      settings(true, 0),
      { done: 0, progress: { attempts: 0, invocations: 1, limit: 2 }, delayMs: 0 },
    ],
    [
      'an odd batch bisects into the larger half first',
      5,
      failure,
      FRESH,
      settings(true, 0),
      { done: 0, progress: { attempts: 0, invocations: 1, limit: 3 } },
    ],
    [
      'a single record cannot be bisected: it uses a retry',
      1,
      failure,
      { attempts: 0, invocations: 3, limit: 1 },
      settings(true, 2),
      { done: 0, progress: { attempts: 1, invocations: 4, limit: 1 } },
    ],
    [
      'retries exhausted: the batch is discarded and the shard moves on',
      3,
      failure,
      { attempts: 2, invocations: 2, limit: 3 },
      settings(false, 2),
      {
        done: 0,
        discard: { count: 3, condition: 'RetryAttemptsExhausted', invocations: 3 },
        progress: FRESH,
      },
    ],
    [
      'no retries at all: the first failure discards',
      3,
      failure,
      FRESH,
      settings(false, 0),
      {
        done: 0,
        discard: { count: 3, condition: 'RetryAttemptsExhausted', invocations: 1 },
        progress: FRESH,
      },
    ],
    [
      'a partial failure checkpoints before the failed record and retries only the rest',
      4,
      { kind: 'partial', failedIndex: 1 },
      FRESH,
      settings(true, -1),
      { done: 1, progress: { attempts: 1, invocations: 1, limit: 3 } },
    ],
    [
      'a partial failure with retries exhausted discards the rest',
      4,
      { kind: 'partial', failedIndex: 2 },
      { attempts: 1, invocations: 1, limit: 4 },
      settings(false, 1),
      {
        done: 2,
        discard: { count: 2, condition: 'RetryAttemptsExhausted', invocations: 2 },
        progress: FRESH,
      },
    ],
  ])('%s', (_, size, verdict, progress, s, expected) => {
    // Act
    const decision = decide(size, verdict, progress, s);

    // Assess
    expect(decision).toMatchObject(expected);
  });

  it.each([
    [1, 100],
    [2, 200],
    [4, 800],
    [10, 2000],
  ])('backs off after %i failed attempt(s): %i ms', (attempts, ms) => {
    // Act & Assess
    expect(retryDelayMs(attempts)).toBe(ms);
  });
});

describe('expiredCount', () => {
  const records = [record('1', 1_000), record('2', 5_000), record('3', 9_000)];

  it.each([
    [-1, 0],
    [20_000, 0],
    [6_000, 1],
    [1_000, 2],
    [0, 3],
  ])('with a maximum age of %i ms, %i record(s) at the head are too old', (maximumRecordAgeMs, count) => {
    // Act & Assess
    expect(expiredCount(records, 10_000, maximumRecordAgeMs)).toBe(count);
  });
});
