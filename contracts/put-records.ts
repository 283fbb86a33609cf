import type { PutRecordsCommandOutput, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { backoffDelay, type RetryOptions, sleep } from './backoff.ts';

/** Sends one `PutRecords` request; the handler binds it to a Kinesis client. */
export type PutRecordsSender = (
  entries: PutRecordsRequestEntry[],
) => Promise<Pick<PutRecordsCommandOutput, 'FailedRecordCount' | 'Records'>>;

/** Some records were still rejected after every retry. */
export class PutRecordsFailedError extends Error {
  constructor(
    readonly failed: number,
    readonly lastError: string,
  ) {
    super(`${failed} record(s) were not accepted by Kinesis after retries (last error: ${lastError})`);
    this.name = 'PutRecordsFailedError';
  }
}

/** Kinesis takes at most 500 records per `PutRecords`. */
export const PUT_RECORDS_LIMIT = 500;

/**
 * Puts every entry, 500 per request. `PutRecords` is not all-or-nothing: a throttled shard
 * rejects some entries and accepts the rest, reported per entry, not as an error. Only the
 * rejected entries are sent again, with backoff. A shard over its limits (1,000 records/s) takes
 * a little more each second, so a call that got some entries in does not count against
 * `maxAttempts`: it throws `PutRecordsFailedError` only after `maxAttempts` calls in a row got
 * nothing in, so Lambda retries the invocation rather than losing them.
 */
export async function putAllRecords(
  send: PutRecordsSender,
  entries: PutRecordsRequestEntry[],
  opts: RetryOptions = {},
): Promise<void> {
  const maxAttempts = opts.maxAttempts ?? 6;
  const wait = opts.sleep ?? sleep;
  for (let start = 0; start < entries.length; start += PUT_RECORDS_LIMIT) {
    let pending = entries.slice(start, start + PUT_RECORDS_LIMIT);
    let lastError = '';
    /** Calls in a row with entries rejected: the backoff grows with them. */
    let retries = 0;
    /** Calls in a row that got nothing in. */
    let fruitless = 0;
    while (pending.length > 0) {
      if (fruitless >= maxAttempts) throw new PutRecordsFailedError(pending.length, lastError);
      if (retries > 0) await wait(backoffDelay(retries, opts));
      const result = await send(pending);
      if (!result.FailedRecordCount) break;
      const results = result.Records ?? [];
      const rejected = pending.filter((_, i) => results[i]?.ErrorCode);
      lastError = results.find((r) => r.ErrorCode)?.ErrorCode ?? 'unknown';
      fruitless = rejected.length < pending.length ? 0 : fruitless + 1;
      retries++;
      pending = rejected;
    }
  }
}
