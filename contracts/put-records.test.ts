import type { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';
import { PutRecordsFailedError, type PutRecordsSender, putAllRecords } from './put-records.ts';

const entry = (i: number): PutRecordsRequestEntry => ({
  Data: Buffer.from(`{"i":${i}}`),
  PartitionKey: `u${i}`,
});
const idOf = (e: PutRecordsRequestEntry) => e.PartitionKey ?? '';

/** A fake `PutRecords`: rejects the entries `reject(attempt)` names, records every call. */
function fakeKinesis(reject: (attempt: number) => Set<string>) {
  const calls: string[][] = [];
  const send: PutRecordsSender = async (entries) => {
    calls.push(entries.map(idOf));
    const rejected = reject(calls.length);
    const records = entries.map((e) =>
      rejected.has(idOf(e))
        ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' }
        : { SequenceNumber: '1', ShardId: 'shardId-000000000000' },
    );
    return { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records };
  };
  return { send, calls };
}

describe('putAllRecords', () => {
  it('sends everything in one request when Kinesis takes it all', async () => {
    // Prepare
    const kinesis = fakeKinesis(() => new Set());

    // Act
    await putAllRecords(kinesis.send, [entry(1), entry(2)], { sleep: async () => {} });

    // Assess
    expect(kinesis.calls).toEqual([['u1', 'u2']]);
  });

  it('sends again only the entries Kinesis rejected, waiting between attempts', async () => {
    // Prepare
    const kinesis = fakeKinesis(
      (attempt) => new Set(attempt === 1 ? ['u2', 'u3'] : attempt === 2 ? ['u3'] : []),
    );
    const waits: number[] = [];

    // Act
    await putAllRecords(kinesis.send, [entry(1), entry(2), entry(3)], {
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    });

    // Assess
    expect(kinesis.calls).toEqual([['u1', 'u2', 'u3'], ['u2', 'u3'], ['u3']]);
    expect(waits).toEqual([25, 50]);
  });

  it('gives up after maxAttempts calls in a row that got nothing in, naming how many were lost', async () => {
    // Prepare
    const kinesis = fakeKinesis(() => new Set(['u1']));

    // Act
    const put = putAllRecords(kinesis.send, [entry(1), entry(2)], { maxAttempts: 3, sleep: async () => {} });

    // Assess: the first call got u2 in; the three after it got nothing.
    await expect(put).rejects.toThrow(PutRecordsFailedError);
    await expect(put).rejects.toThrow(/1 record\(s\).*ProvisionedThroughputExceededException/);
    expect(kinesis.calls).toHaveLength(4);
  });

  it('goes on while a throttled shard takes a little more each call, as one over its limits does', async () => {
    // Prepare: each call gets only its first entry in.
    const ids = Array.from({ length: 8 }, (_, i) => `u${i}`);
    const kinesis = fakeKinesis((attempt) => new Set(ids.slice(attempt)));

    // Act
    await putAllRecords(
      kinesis.send,
      ids.map((_, i) => entry(i)),
      { maxAttempts: 2, sleep: async () => {} },
    );

    // Assess
    expect(kinesis.calls).toHaveLength(8);
  });

  it.each([
    [0, 0],
    [1, 1],
    [500, 1],
    [501, 2],
    [1200, 3],
  ])('puts %i records in %i request(s) of at most 500', async (count, requests) => {
    // Prepare
    const kinesis = fakeKinesis(() => new Set());

    // Act
    await putAllRecords(
      kinesis.send,
      Array.from({ length: count }, (_, i) => entry(i)),
    );

    // Assess
    expect(kinesis.calls).toHaveLength(requests);
    expect(kinesis.calls.flat()).toHaveLength(count);
  });
});

describe('backoffDelay', () => {
  it.each([
    [1, 0.999, 49],
    [2, 0.999, 99],
    [3, 0.5, 100],
    [10, 0.999, 1998],
    [30, 0.999, 1998],
    [4, 0, 0],
  ])('retry %i with random %f waits %i ms (full jitter, capped at 2 s)', (retry, r, expected) => {
    // Assess
    expect(backoffDelay(retry, { random: () => r })).toBe(expected);
  });
});
