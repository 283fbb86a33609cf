/**
 * Sends records with `PutRecords`, retrying what failed: the failed entries of a partial failure
 * and whole calls that were throttled or hit a transient error, with capped exponential backoff
 * and full jitter. Nothing is dropped silently: every record ends up sent or counted as failed.
 *
 * Records go in lanes, one per shard (lanes.ts): each lane has one call in flight and its own
 * backoff, so the lanes' calls run side by side and a throttled shard slows only its own lane.
 * A partition key always takes the same lane, so its records stay in order.
 */
import { backoffDelay } from '../contracts/backoff.ts';
import { Backlog, type PutEntry } from './batch.ts';
import { laneOf } from './lanes.ts';
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
  /** Lanes: calls in flight at once, one per shard (`laneCount`); 1 by default. */
  lanes?: number;
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

/** One lane: its records waiting, the call in flight, and its failures in a row. */
interface Lane {
  backlog: Backlog<Tracked>;
  inFlight: number;
  /** Calls in a row that had a failure; sets the lane's next wait. */
  failedCalls: number;
}

/** A `PutRecords` sender with its own retry policy; one call in flight per lane. */
export class Sender {
  readonly #lanes: Lane[];
  readonly #put: PutRecordsFn;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: Random;
  readonly #maxAttempts: number;
  readonly #backoff: BackoffOptions;
  readonly #isOutage: (err: unknown) => boolean;
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
    this.#lanes = Array.from({ length: Math.max(1, opts.lanes ?? 1) }, () => ({
      backlog: new Backlog<Tracked>(),
      inFlight: 0,
      failedCalls: 0,
    }));
  }

  /** How many lanes send side by side. */
  get lanes(): number {
    return this.#lanes.length;
  }

  /** Queues records to send, each in its key's lane; throws `RecordTooLargeError` for a record over 1 MiB. */
  enqueue(entries: readonly PutEntry[]): void {
    const lanes = this.#lanes.length;
    for (const entry of entries)
      this.#lane(laneOf(entry.partitionKey, lanes)).backlog.push({ ...entry, attempts: 0 });
  }

  /** Records not sent yet (waiting or in flight), all lanes together. */
  get pending(): number {
    return this.#lanes.reduce((sum, lane) => sum + lane.backlog.length + lane.inFlight, 0);
  }

  /** Records waiting in lane `lane` for a call (not those in flight). */
  waiting(lane: number): number {
    return this.#lane(lane).backlog.length;
  }

  /** A snapshot of the counts. */
  stats(): SendStats {
    return { ...this.#stats, pending: this.pending, throttledShards: [...this.#throttledShards] };
  }

  /**
   * Makes one `PutRecords` call with lane `lane`'s next batch, after the lane's backoff if its
   * previous call had failures. Call it again only once it has settled: one call per lane at a
   * time keeps each key's records in order. A whole-call error that is not transient is rethrown
   * with the batch back in the queue, so the caller can say how many records were not sent.
   */
  async sendNext(lane = 0): Promise<void> {
    const at = this.#lane(lane);
    if (at.inFlight > 0) throw new Error(`lane ${lane} already has a call in flight`);
    if (at.failedCalls > 0)
      await this.#sleep(backoffDelay(at.failedCalls, { ...this.#backoff, random: this.#random }));
    const batch = at.backlog.take();
    if (batch.length === 0) return;
    at.inFlight = batch.length;
    this.#stats.calls++;
    let outcomes: readonly PutOutcome[];
    try {
      outcomes = await this.#put(batch);
    } catch (err) {
      at.inFlight = 0;
      if (this.#isOutage(err) || !isTransientError(err)) {
        at.backlog.requeue(batch);
        throw err;
      }
      at.failedCalls++;
      const code = errorName(err);
      this.#noteThrottling(code, batch.length, (err as { message?: string }).message);
      this.#retryOrFail(
        at,
        batch.map((entry) => ({ entry, code })),
      );
      return;
    }
    at.inFlight = 0;
    if (outcomes.length !== batch.length) {
      at.backlog.requeue(batch);
      throw new Error(`PutRecords answered ${outcomes.length} results for ${batch.length} records`);
    }
    const failed = batch.flatMap((entry, i) => {
      const code = outcomes[i]?.errorCode;
      if (code) this.#noteThrottling(code, 1, outcomes[i]?.errorMessage);
      return code ? [{ entry, code }] : [];
    });
    this.#stats.sent += batch.length - failed.length;
    at.failedCalls = failed.length > 0 ? at.failedCalls + 1 : 0;
    this.#retryOrFail(at, failed);
  }

  /**
   * Sends until nothing is pending (each record sent or given up on), every lane side by side.
   * An error stops every lane once its call has settled, and is rethrown.
   */
  async flush(): Promise<void> {
    let stopped = false;
    const results = await Promise.allSettled(
      this.#lanes.map(async (lane, i) => {
        try {
          while (!stopped && lane.backlog.length > 0) await this.sendNext(i);
        } catch (err) {
          stopped = true;
          throw err;
        }
      }),
    );
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  #lane(index: number): Lane {
    const lane = this.#lanes[index];
    if (!lane) throw new RangeError(`no lane ${index}: the sender has ${this.#lanes.length}`);
    return lane;
  }

  /** Counts sends refused for a shard's limits, and which shard said so. */
  #noteThrottling(code: string, entries: number, message: string | undefined): void {
    if (code !== THROTTLED) return;
    this.#stats.throttled += entries;
    const shard = message && SHARD_IN_MESSAGE.exec(message)?.[1];
    if (shard) this.#throttledShards.add(shard);
  }

  #retryOrFail(lane: Lane, failed: readonly { entry: Tracked; code: string }[]): void {
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
    lane.backlog.requeue(retry);
  }
}

const errorName = (err: unknown): string => {
  const e = err as { name?: unknown; code?: unknown };
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e.code === 'string' ? e.code : 'Error';
};
