/**
 * Capped exponential backoff with full jitter, for retrying the entries AWS did not take
 * (`PutRecords` failed records, `BatchWriteItem` unprocessed items). Jitter spreads the
 * retries of concurrent writers so they do not hit the throttled shard or partition together.
 */
export interface RetryOptions {
  /** Attempts in all, the first included (default 6). */
  maxAttempts?: number;
  /** Delay cap before the first retry, in ms (default 50). */
  baseDelayMs?: number;
  /** No delay is longer than this, in ms (default 2,000). */
  maxDelayMs?: number;
  /** Injected in tests so they run without waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected in tests for deterministic jitter; a number in [0, 1). */
  random?: () => number;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The delay before retry number `retry` (1 for the first retry): random in [0, min(cap, base·2^(retry-1))). */
export function backoffDelay(retry: number, opts: RetryOptions = {}): number {
  const base = opts.baseDelayMs ?? 50;
  const cap = opts.maxDelayMs ?? 2_000;
  const random = opts.random ?? Math.random;
  return Math.floor(random() * Math.min(cap, base * 2 ** Math.max(0, retry - 1)));
}
