/**
 * Sends records with `PutRecords`, retrying what failed: the failed entries of a partial failure
 * and whole calls that were throttled or hit a transient error, with capped exponential backoff
 * and full jitter. Nothing is dropped silently: every record ends up sent or counted as failed.
 */
import { backoffDelay } from '../contracts/backoff.ts';
import { Backlog, type PutEntry } from './batch.ts';
import {
  type BackoffOptions,
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  isRetryableEntryError,
  isTransientError,
} from './retry.ts';
import type { Random } from './rng.ts';

/** The result of one entry of a call, as `PutRecords` reports it: an `ErrorCode` when it failed. */
export interface PutOutcome {
  errorCode?: string;
  errorMessage?: string;
}

/** One `PutRecords` call: one outcome per entry, in order. Throws when the whole call fails. */
export type PutRecordsFn = (entries: readonly PutEntry[]) => Promise<readonly PutOutcome[]>;

/** What a sender needs; everything but `putRecords` has a default. */
export interface SenderOptions {
  putRecords: PutRecordsFn;
  /** Waits between retries (injected so tests do not wait). */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source; `Math.random` by default (timing only, never the data). */
  random?: Random;
  /** Tries per record, the first included, before it counts as failed. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /**
   * Whole-call errors that mean the endpoint is away (the local cloud restarting): the batch goes
   * back in the queue, its tries uncounted, and the error to the caller, who waits it out.
   */
  isOutage?: (err: unknown) => boolean;
}

/** Counts for the status line and the summary. */
export interface SendStats {
  /** Records Kinesis accepted. */
  sent: number;
  /** Resends (a record resent twice counts twice). */
  retried: number;
  /** Records given up on. */
  failed: number;
  /** Records not sent yet: waiting or in flight. */
  pending: number;
  /** `PutRecords` calls made. */
  calls: number;
  /** Why the last record was given up on, e.g. `ProvisionedThroughputExceededException`. */
  lastFailure?: string;
  /** Sends refused for a shard's write limits (`ProvisionedThroughputExceededException`). */
  throttled: number;
  /** The shards that refused them, as their messages name them (`shardId-000000000000`). */
  throttledShards: string[];
}

const THROTTLED = 'ProvisionedThroughputExceededException';
const SHARD_IN_MESSAGE = /for shard (\S+) in stream/;

interface Tracked extends PutEntry {
  attempts: number;
}

/** A `PutRecords` sender with its own retry policy; one call in flight at a time. */
export class Sender {
  readonly #backlog = new Backlog<Tracked>();
  readonly #put: PutRecordsFn;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: Random;
  readonly #maxAttempts: number;
  readonly #backoff: BackoffOptions;
  readonly #isOutage: (err: unknown) => boolean;
  #inFlight = 0;
  /** Calls in a row that had a failure; sets the next wait. */
  #failedCalls = 0;
  #stats = {
    sent: 0,
    retried: 0,
    failed: 0,
    calls: 0,
    throttled: 0,
    lastFailure: undefined as string | undefined,
  };
  readonly #throttledShards = new Set<string>();

  constructor(opts: SenderOptions) {
    this.#put = opts.putRecords;
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = opts.random ?? Math.random;
    this.#maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.#backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.#isOutage = opts.isOutage ?? (() => false);
  }

  /** Queues records to send; throws `RecordTooLargeError` for a record over 1 MiB. */
  enqueue(entries: readonly PutEntry[]): void {
    for (const entry of entries) this.#backlog.push({ ...entry, attempts: 0 });
  }

  /** Records not sent yet (waiting or in flight). */
  get pending(): number {
    return this.#backlog.length + this.#inFlight;
  }

  /** A snapshot of the counts. */
  stats(): SendStats {
    return { ...this.#stats, pending: this.pending, throttledShards: [...this.#throttledShards] };
  }

  /**
   * Makes one `PutRecords` call with the next batch, after the backoff if the previous call had
   * failures. A whole-call error that is not transient is rethrown with the batch back in the
   * queue, so the caller can say how many records were not sent.
   */
  async sendNext(): Promise<void> {
    if (this.#failedCalls > 0)
      await this.#sleep(backoffDelay(this.#failedCalls, { ...this.#backoff, random: this.#random }));
    const batch = this.#backlog.take();
    if (batch.length === 0) return;
    this.#inFlight = batch.length;
    this.#stats.calls++;
    let outcomes: readonly PutOutcome[];
    try {
      outcomes = await this.#put(batch);
    } catch (err) {
      this.#inFlight = 0;
      if (this.#isOutage(err) || !isTransientError(err)) {
        this.#backlog.requeue(batch);
        throw err;
      }
      this.#failedCalls++;
      const code = errorName(err);
      this.#noteThrottling(code, batch.length, (err as { message?: string }).message);
      this.#retryOrFail(batch.map((entry) => ({ entry, code })));
      return;
    }
    this.#inFlight = 0;
    if (outcomes.length !== batch.length) {
      this.#backlog.requeue(batch);
      throw new Error(`PutRecords answered ${outcomes.length} results for ${batch.length} records`);
    }
    const failed = batch.flatMap((entry, i) => {
      const code = outcomes[i]?.errorCode;
      if (code) this.#noteThrottling(code, 1, outcomes[i]?.errorMessage);
      return code ? [{ entry, code }] : [];
    });
    this.#stats.sent += batch.length - failed.length;
    this.#failedCalls = failed.length > 0 ? this.#failedCalls + 1 : 0;
    this.#retryOrFail(failed);
  }

  /** Sends until nothing is pending (each record sent or given up on). */
  async flush(): Promise<void> {
    while (this.#backlog.length > 0) await this.sendNext();
  }

  /** Counts sends refused for a shard's limits, and which shard said so. */
  #noteThrottling(code: string, entries: number, message: string | undefined): void {
    if (code !== THROTTLED) return;
    this.#stats.throttled += entries;
    const shard = message && SHARD_IN_MESSAGE.exec(message)?.[1];
    if (shard) this.#throttledShards.add(shard);
  }

  #retryOrFail(failed: readonly { entry: Tracked; code: string }[]): void {
    const retry: Tracked[] = [];
    for (const { entry, code } of failed) {
      entry.attempts++;
      if (entry.attempts < this.#maxAttempts && isRetryableEntryError(code)) {
        retry.push(entry);
      } else {
        this.#stats.failed++;
        this.#stats.lastFailure = `${code} after ${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'}`;
      }
    }
    this.#stats.retried += retry.length;
    this.#backlog.requeue(retry);
  }
}

const errorName = (err: unknown): string => {
  const e = err as { name?: unknown; code?: unknown };
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e.code === 'string' ? e.code : 'Error';
};
