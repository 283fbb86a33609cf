/**
 * Pure batching for Kinesis `PutRecords`: what goes into the next call, within the API's limits,
 * keeping each unicorn's records in order.
 */

/** At most this many records per `PutRecords` call. */
export const MAX_RECORDS_PER_CALL = 500;
/** At most this many bytes per call, counting each record's data and partition key. */
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
/** At most this many bytes per record (data plus partition key). */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** One record to put: the partition key (the unicorn's name) and the data bytes. */
export interface PutEntry {
  partitionKey: string;
  data: Uint8Array;
}

/** A record Kinesis would reject whatever we do. */
export class RecordTooLargeError extends Error {
  constructor(
    readonly partitionKey: string,
    readonly bytes: number,
  ) {
    super(
      `a record for '${partitionKey}' is ${bytes} bytes; Kinesis takes at most ${MAX_RECORD_BYTES} bytes per record`,
    );
    this.name = 'RecordTooLargeError';
  }
}

/** Bytes a record counts for against the limits: data plus the UTF-8 partition key. */
export function entryBytes(entry: PutEntry): number {
  return entry.data.byteLength + Buffer.byteLength(entry.partitionKey, 'utf8');
}

/**
 * Records waiting to be sent, one FIFO queue per partition key.
 *
 * A batch holds at most ONE record per partition key. `PutRecords` is not atomic: each entry
 * succeeds or fails on its own, and the successful ones are in the shard at once. If a batch held
 * Shadowfax#1 and Shadowfax#2 and only #1 failed (throttled), resending #1 would put it after #2
 * and the unicorn's ride would run backwards. With one record per key per call, a failed record
 * goes back to the head of its queue and its successors wait for it.
 */
export class Backlog<T extends PutEntry> {
  readonly #queues = new Map<string, T[]>();
  #length = 0;

  /** Records waiting, all keys together. */
  get length(): number {
    return this.#length;
  }

  /** Appends a record to its key's queue; a record over 1 MiB is a `RecordTooLargeError`. */
  push(entry: T): void {
    const bytes = entryBytes(entry);
    if (bytes > MAX_RECORD_BYTES) throw new RecordTooLargeError(entry.partitionKey, bytes);
    const queue = this.#queues.get(entry.partitionKey);
    if (queue) queue.push(entry);
    else this.#queues.set(entry.partitionKey, [entry]);
    this.#length++;
  }

  /** Puts records taken by `take` back at the head of their keys' queues, to go first. */
  requeue(entries: readonly T[]): void {
    for (const entry of [...entries].reverse()) {
      const queue = this.#queues.get(entry.partitionKey);
      if (queue) queue.unshift(entry);
      else this.#queues.set(entry.partitionKey, [entry]);
      this.#length++;
    }
  }

  /**
   * Takes the next batch: the oldest record of each key, up to 500 records and 5 MiB. Keys served
   * move to the back of the line, so with more than 500 unicorns every one gets its turn.
   */
  take(): T[] {
    const batch: T[] = [];
    let bytes = 0;
    const served: string[] = [];
    for (const [key, queue] of this.#queues) {
      if (batch.length >= MAX_RECORDS_PER_CALL) break;
      const head = queue[0];
      if (!head) continue;
      const size = entryBytes(head);
      if (bytes + size > MAX_BYTES_PER_CALL) continue;
      batch.push(head);
      bytes += size;
      served.push(key);
    }
    for (const key of served) {
      const queue = this.#queues.get(key) ?? [];
      queue.shift();
      this.#queues.delete(key);
      if (queue.length > 0) this.#queues.set(key, queue);
    }
    this.#length -= batch.length;
    return batch;
  }
}
