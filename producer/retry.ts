/** The producer's only retry policy (the SDK client runs with `maxAttempts: 1`). */
import type { RetryOptions } from '../contracts/backoff.ts';

/** The backoff's shape: the workshop's one `backoffDelay` (contracts/backoff.ts) with these bounds. */
export type BackoffOptions = Required<Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>>;

/** 100 ms, doubling, never more than 5 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 100, maxDelayMs: 5_000 };

/** Tries per record (the first send included) before it counts as failed. */
export const DEFAULT_MAX_ATTEMPTS = 10;

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'KMSThrottlingException',
]);

const TRANSIENT_SERVER = new Set([
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
]);

const NETWORK_MESSAGE =
  /socket hang up|HTTP\/2 stream is abnormally aborted|http2 request did not get a response/i;

/**
 * Whether a whole `PutRecords` call that threw is worth retrying: throttling, a 5xx, a timeout
 * or a connection reset. Anything else (a missing stream, bad credentials, a refused connection)
 * will not get better by waiting.
 */
export function isTransientError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (THROTTLING.has(name) || TRANSIENT_SERVER.has(name)) return true;
  if (status >= 500 || status === 429) return true;
  if (NETWORK_CODES.has(code)) return true;
  return typeof e.message === 'string' && NETWORK_MESSAGE.test(e.message);
}

/**
 * Whether a record that failed inside a successful call is worth resending. Kinesis reports
 * `ProvisionedThroughputExceededException` or `InternalFailure`, both transient, and KMS errors,
 * of which only throttling is (a disabled or missing key stays so).
 */
export function isRetryableEntryError(code: string): boolean {
  return !code.startsWith('KMS') || code === 'KMSThrottlingException';
}
