/**
 * How a Kinesis event source mapping reads a handler's answer and what it does next: checkpoint,
 * retry, bisect or discard. Pure functions, so every rule AWS documents is one table-tested line.
 * See https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 * and https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */

/** A Kinesis record as the poller keeps it between GetRecords and the invocation. */
export interface StreamRecord {
  sequenceNumber: string;
  partitionKey: string;
  /** Base64, as the event carries it. */
  data: string;
  /** `ApproximateArrivalTimestamp`, in milliseconds since the epoch. */
  arrivalMs: number;
}

/** A stream mapping's settings with the defaults applied, in milliseconds. */
export interface StreamSettings {
  batchSize: number;
  maximumBatchingWindowMs: number;
  /** -1: retry until the record expires (the default). */
  maximumRetryAttempts: number;
  /** -1: no limit (the default). */
  maximumRecordAgeMs: number;
  bisectOnError: boolean;
  reportBatchItemFailures: boolean;
  /** 0: no tumbling window. */
  tumblingWindowMs: number;
}

/** What Lambda made of one invocation of a batch. */
export type BatchVerdict =
  | { kind: 'success'; state?: unknown }
  /** Records before `failedIndex` succeeded; the rest are retried. */
  | { kind: 'partial'; failedIndex: number; state?: unknown }
  | { kind: 'failure'; reason: string };

/** How an invocation ended, as the poller saw it. */
export type InvocationOutcome = { functionError: true } | { functionError: false; response: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Reads a handler's response the way Lambda does. A function error fails the batch. With a
 * tumbling window the response must carry `state`. With `ReportBatchItemFailures`, a missing,
 * null or empty `batchItemFailures` means success; an empty, null or unknown `itemIdentifier`
 * fails the whole batch; otherwise the lowest failed sequence number is the new checkpoint.
 * Without `ReportBatchItemFailures`, `batchItemFailures` is ignored.
 */
export function readResponse(
  batch: readonly StreamRecord[],
  outcome: InvocationOutcome,
  settings: Pick<StreamSettings, 'reportBatchItemFailures' | 'tumblingWindowMs'>,
): BatchVerdict {
  if (outcome.functionError) return { kind: 'failure', reason: 'the function returned an error' };
  const response = outcome.response;
  let state: unknown;
  const withState = settings.tumblingWindowMs > 0;
  if (withState) {
    if (!isObject(response) || response.state === undefined) {
      return { kind: 'failure', reason: 'a tumbling-window response must contain `state`' };
    }
    state = response.state;
  }
  const success = (): BatchVerdict => (withState ? { kind: 'success', state } : { kind: 'success' });
  if (!settings.reportBatchItemFailures || !isObject(response)) return success();
  const failures = response.batchItemFailures;
  if (failures === undefined || failures === null) return success();
  if (!Array.isArray(failures)) return { kind: 'failure', reason: '`batchItemFailures` is not a list' };
  if (failures.length === 0) return success();
  const index = new Map(batch.map((r, i) => [r.sequenceNumber, i]));
  let failedIndex = batch.length;
  for (const failure of failures) {
    const id = isObject(failure) ? failure.itemIdentifier : undefined;
    const at = typeof id === 'string' && id !== '' ? index.get(id) : undefined;
    if (at === undefined) {
      return {
        kind: 'failure',
        reason: `\`batchItemFailures\` names an unknown itemIdentifier ${JSON.stringify(id)}`,
      };
    }
    failedIndex = Math.min(failedIndex, at);
  }
  return withState ? { kind: 'partial', failedIndex, state } : { kind: 'partial', failedIndex };
}

/** Where the records at the head of a shard stand after failed invocations. */
export interface RetryProgress {
  /** Failed invocations that count against `MaximumRetryAttempts` (bisecting does not). */
  attempts: number;
  /** Invocations of these records so far, bisected ones included (`approximateInvokeCount`). */
  invocations: number;
  /** The next batch takes at most this many records: a bisected half, or what is retried. */
  limit?: number;
}

/** No failure pending: the next batch is a normal one. */
export const FRESH: RetryProgress = { attempts: 0, invocations: 0 };

/** Why records were given up: the names Lambda writes in `requestContext.condition`. */
export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** What to do after an invocation of a batch of `size` records. */
export interface BatchDecision {
  /** Records at the head that succeeded: checkpoint past them. */
  done: number;
  /** Records after those that are given up (sent to the on-failure destination). */
  discard?: { count: number; condition: DiscardCondition; invocations: number };
  progress: RetryProgress;
  /** How long to wait before the next invocation of this shard. */
  delayMs: number;
}

/** Backoff between retries of the same records: 100 ms, doubling, at most 2 s. */
export const retryDelayMs = (attempts: number): number =>
  Math.min(100 * 2 ** Math.max(0, attempts - 1), 2000);

const exhausted = (attempts: number, max: number) => max >= 0 && attempts > max;

/**
 * The next step after a verdict: success checkpoints the whole batch; a partial failure
 * checkpoints before the failed record and retries the rest (that many records only, as
 * AWS does when bisecting at the returned sequence number); a failure bisects the batch when
 * `BisectBatchOnFunctionError` is on and it holds more than one record (which does not use up
 * a retry), else retries it; when retries are exhausted the failed records are discarded and
 * the shard moves on.
 */
export function decide(
  size: number,
  verdict: BatchVerdict,
  progress: RetryProgress,
  settings: Pick<StreamSettings, 'bisectOnError' | 'maximumRetryAttempts'>,
): BatchDecision {
  const invocations = progress.invocations + 1;
  if (verdict.kind === 'success') return { done: size, progress: FRESH, delayMs: 0 };
  if (verdict.kind === 'failure' && settings.bisectOnError && size > 1) {
    return { done: 0, progress: { ...progress, invocations, limit: Math.ceil(size / 2) }, delayMs: 0 };
  }
  const done = verdict.kind === 'partial' ? verdict.failedIndex : 0;
  const remaining = size - done;
  const attempts = progress.attempts + 1;
  if (exhausted(attempts, settings.maximumRetryAttempts)) {
    return {
      done,
      discard: { count: remaining, condition: 'RetryAttemptsExhausted', invocations },
      progress: FRESH,
      delayMs: 0,
    };
  }
  return { done, progress: { attempts, invocations, limit: remaining }, delayMs: retryDelayMs(attempts) };
}

/** How many records at the head are older than `MaximumRecordAgeInSeconds` (-1: none ever). */
export function expiredCount(
  records: readonly StreamRecord[],
  nowMs: number,
  maximumRecordAgeMs: number,
): number {
  if (maximumRecordAgeMs < 0) return 0;
  let count = 0;
  while (count < records.length && nowMs - (records[count]?.arrivalMs ?? nowMs) > maximumRecordAgeMs) count++;
  return count;
}
