import { describe, expect, it } from 'vitest';
import type { PutEntry } from './batch.ts';
import { laneOf } from './lanes.ts';
import { mulberry32 } from './rng.ts';
import { type PutOutcome, type PutRecordsFn, Sender } from './sender.ts';

const text = (e: PutEntry) => new TextDecoder().decode(e.data);
/** `n` records per key, data `key#i`. */
const records = (keys: string[], n: number): PutEntry[] =>
  Array.from({ length: n }, (_, i) =>
    keys.map((key) => ({ partitionKey: key, data: new TextEncoder().encode(`${key}#${i}`) })),
  ).flat();

/** A fake Kinesis: `decide` says how each entry fares; accepted records are kept in order. */
function fakeKinesis(decide: (entry: PutEntry, call: number) => string | undefined) {
  const calls: string[][] = [];
  const accepted: string[] = [];
  const putRecords: PutRecordsFn = async (entries) => {
    calls.push(entries.map(text));
    return entries.map((entry): PutOutcome => {
      const errorCode = decide(entry, calls.length);
      if (!errorCode) accepted.push(text(entry));
      return errorCode ? { errorCode, errorMessage: 'Rate exceeded for shard' } : {};
    });
  };
  return { putRecords, calls, accepted };
}

const noSleep = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};
const ofKey = (key: string, xs: string[]) => xs.filter((x) => x.startsWith(`${key}#`));
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ProvisionedThroughputExceededException',
    $metadata: { httpStatusCode: 400 },
  });

describe('Sender', () => {
  it('sends everything, one record per unicorn per call, in order', async () => {
    // Prepare
    const kinesis = fakeKinesis(() => undefined);
    const { waits, sleep } = noSleep();
    const sender = new Sender({ putRecords: kinesis.putRecords, sleep });
    sender.enqueue(records(['a', 'b'], 3));

    // Act
    await sender.flush();

    // Assess
    expect(kinesis.calls).toEqual([
      ['a#0', 'b#0'],
      ['a#1', 'b#1'],
      ['a#2', 'b#2'],
    ]);
    expect(sender.stats()).toMatchObject({ sent: 6, retried: 0, failed: 0, pending: 0, calls: 3 });
    expect(waits).toEqual([]);
  });

  it('resends only the failed entries of a partial failure, keeping order per unicorn', async () => {
    // Prepare: b#0 fails twice, everything else goes through
    let bFailures = 0;
    const kinesis = fakeKinesis((e) =>
      text(e) === 'b#0' && bFailures++ < 2 ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const { sleep } = noSleep();
    const sender = new Sender({ putRecords: kinesis.putRecords, sleep });
    sender.enqueue(records(['a', 'b'], 3));

    // Act
    await sender.flush();

    // Assess
    expect(kinesis.calls).toEqual([['a#0', 'b#0'], ['a#1', 'b#0'], ['a#2', 'b#0'], ['b#1'], ['b#2']]);
    expect(ofKey('b', kinesis.accepted)).toEqual(['b#0', 'b#1', 'b#2']);
    expect(sender.stats()).toMatchObject({ sent: 6, retried: 2, failed: 0, pending: 0 });
  });

  it('retries a throttled call as a whole after a jittered wait', async () => {
    // Prepare
    let call = 0;
    const accepted: string[] = [];
    const putRecords: PutRecordsFn = async (entries) => {
      if (call++ === 0) throw throttled();
      accepted.push(...entries.map(text));
      return entries.map(() => ({}));
    };
    const { waits, sleep } = noSleep();
    const sender = new Sender({ putRecords, sleep, random: () => 0.5 });
    sender.enqueue(records(['a', 'b'], 2));

    // Act
    await sender.flush();

    // Assess
    expect(accepted).toEqual(['a#0', 'b#0', 'a#1', 'b#1']);
    expect(waits).toEqual([50]);
    expect(sender.stats()).toMatchObject({ sent: 4, retried: 2, failed: 0 });
  });

  it.each([
    [
      'a 5xx',
      Object.assign(new Error('oops'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }),
    ],
    ['a connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['LimitExceededException', Object.assign(new Error('limit'), { name: 'LimitExceededException' })],
  ])('retries a call that failed with %s', async (_, error) => {
    // Prepare
    let call = 0;
    const putRecords: PutRecordsFn = async (entries) => {
      if (call++ === 0) throw error;
      return entries.map(() => ({}));
    };
    const sender = new Sender({ putRecords, sleep: noSleep().sleep });
    sender.enqueue(records(['a'], 1));

    // Act
    await sender.flush();

    // Assess
    expect(sender.stats()).toMatchObject({ sent: 1, retried: 1, failed: 0 });
  });

  it('gives up on a record after the attempt bound, counts it failed and sends the rest', async () => {
    // Prepare
    const kinesis = fakeKinesis((e) =>
      text(e) === 'a#0' ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const { waits, sleep } = noSleep();
    const sender = new Sender({
      putRecords: kinesis.putRecords,
      sleep,
      maxAttempts: 4,
      random: () => 0.999_999,
    });
    sender.enqueue(records(['a', 'b'], 2));

    // Act
    await sender.flush();

    // Assess
    expect(kinesis.calls.filter((c) => c.includes('a#0'))).toHaveLength(4);
    expect(kinesis.accepted).toEqual(expect.arrayContaining(['a#1', 'b#0', 'b#1']));
    expect(sender.stats()).toMatchObject({
      sent: 3,
      retried: 3,
      failed: 1,
      pending: 0,
      lastFailure: 'ProvisionedThroughputExceededException after 4 attempts',
    });
    // The shard was still throttling when a#0 was given up: a#1 waits too.
    expect(waits).toEqual([99, 199, 399, 799]);
  });

  it('counts the sends a shard refused for its limits, and names the shards', async () => {
    // Prepare
    const putRecords: PutRecordsFn = async (entries) =>
      entries.map(
        (e, i): PutOutcome =>
          e.partitionKey === 'a' && i === 0 && !text(e).endsWith('retried')
            ? {
                errorCode: 'ProvisionedThroughputExceededException',
                errorMessage: 'Rate exceeded for shard shardId-000000000003 in stream s under account 1.',
              }
            : {},
      );
    let calls = 0;
    const sender = new Sender({
      putRecords: (entries) =>
        ++calls === 1 ? putRecords(entries) : Promise.resolve(entries.map(() => ({}))),
      sleep: noSleep().sleep,
    });
    sender.enqueue(records(['a', 'b'], 1));

    // Act
    await sender.flush();

    // Assess
    expect(sender.stats()).toMatchObject({
      sent: 2,
      retried: 1,
      throttled: 1,
      throttledShards: ['shardId-000000000003'],
    });
  });

  it('gives up at once on an entry error that waiting cannot fix', async () => {
    // Prepare
    const kinesis = fakeKinesis(() => 'KMSDisabledException');
    const sender = new Sender({ putRecords: kinesis.putRecords, sleep: noSleep().sleep });
    sender.enqueue(records(['a'], 1));

    // Act
    await sender.flush();

    // Assess
    expect(kinesis.calls).toHaveLength(1);
    expect(sender.stats()).toMatchObject({ sent: 0, retried: 0, failed: 1 });
  });

  it('caps the wait at 5 s and starts again from 100 ms after a success', async () => {
    // Prepare: 9 throttled calls, one success, one more throttled call
    let call = 0;
    const putRecords: PutRecordsFn = async (entries) => {
      call++;
      if (call <= 9 || call === 11) throw throttled();
      return entries.map(() => ({}));
    };
    const { waits, sleep } = noSleep();
    const sender = new Sender({ putRecords, sleep, random: () => 0.999_999, maxAttempts: 20 });
    sender.enqueue(records(['a'], 2));

    // Act
    await sender.flush();

    // Assess
    expect(waits).toEqual([99, 199, 399, 799, 1599, 3199, 4999, 4999, 4999, 99]);
    expect(sender.stats()).toMatchObject({ sent: 2, failed: 0 });
  });

  it('stops on an error that is not transient, with the records still pending', async () => {
    // Prepare
    const missing = Object.assign(new Error('Stream not found'), { name: 'ResourceNotFoundException' });
    const sender = new Sender({
      putRecords: async () => {
        throw missing;
      },
      sleep: noSleep().sleep,
    });
    sender.enqueue(records(['a', 'b'], 2));

    // Act
    const flushed = sender.flush();

    // Assess
    await expect(flushed).rejects.toBe(missing);
    expect(sender.stats()).toMatchObject({ sent: 0, failed: 0, pending: 4 });
  });

  it('keeps every unicorn in order whatever fails (seeded random failures)', async () => {
    // Prepare
    const random = mulberry32(1234);
    const keys = ['a', 'b', 'c', 'd'];
    const kinesis = fakeKinesis(() =>
      random() < 0.4 ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const sender = new Sender({ putRecords: kinesis.putRecords, sleep: noSleep().sleep, maxAttempts: 50 });
    const sent = records(keys, 50);
    sender.enqueue(sent);

    // Act
    await sender.flush();

    // Assess
    for (const key of keys) expect(ofKey(key, kinesis.accepted)).toEqual(ofKey(key, sent.map(text)));
    for (const call of kinesis.calls)
      expect(new Set(call.map((t) => t.split('#')[0])).size).toBe(call.length);
    const stats = sender.stats();
    expect(stats.sent + stats.failed).toBe(200);
    expect(stats.retried).toBeGreaterThan(0);
  });
});

/** `n` keys whose records go in lane `lane` of `lanes`. */
const keysInLane = (lane: number, lanes: number, n: number): string[] => {
  const keys: string[] = [];
  for (let i = 0; keys.length < n; i++) if (laneOf(`u${i}`, lanes) === lane) keys.push(`u${i}`);
  return keys;
};

/** A fake Kinesis whose calls answer only when the test says so. */
function heldKinesis(decide: (entry: PutEntry) => string | undefined = () => undefined) {
  const open: { keys: string[]; answer: () => void }[] = [];
  const accepted: string[] = [];
  let most = 0;
  const putRecords: PutRecordsFn = (entries) =>
    new Promise((resolve) => {
      const call = {
        keys: entries.map((e) => e.partitionKey),
        answer: () => {
          open.splice(open.indexOf(call), 1);
          resolve(
            entries.map((entry): PutOutcome => {
              const errorCode = decide(entry);
              if (!errorCode) accepted.push(text(entry));
              return errorCode ? { errorCode } : {};
            }),
          );
        },
      };
      open.push(call);
      most = Math.max(most, open.length);
    });
  return { putRecords, open, accepted, mostInFlight: () => most };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Sender with lanes (one per shard)', () => {
  it('makes one call per lane side by side, never two in one lane', async () => {
    // Prepare
    const lanes = 3;
    const kinesis = heldKinesis();
    const sender = new Sender({ putRecords: kinesis.putRecords, sleep: noSleep().sleep, lanes });
    const keys = [0, 1, 2].flatMap((lane) => keysInLane(lane, lanes, 2));
    sender.enqueue(records(keys, 2));

    // Act: answer the calls in flight, newest first, until all is sent
    const flushed = sender.flush();
    const inFlight: number[] = [];
    for (await settle(); kinesis.open.length > 0; await settle()) {
      inFlight.push(kinesis.open.length);
      const laneCalls = kinesis.open.map((c) => new Set(c.keys.map((k) => laneOf(k, lanes))));
      expect(laneCalls.every((l) => l.size === 1)).toBe(true);
      expect(new Set(laneCalls.flatMap((l) => [...l])).size).toBe(kinesis.open.length);
      kinesis.open.at(-1)?.answer();
    }
    await flushed;

    // Assess
    expect(kinesis.mostInFlight()).toBe(3);
    expect(inFlight[0]).toBe(3);
    expect(sender.stats()).toMatchObject({ sent: 12, pending: 0, calls: 6 });
  });

  it('backs off only the lane whose shard throttles; the others keep sending', async () => {
    // Prepare: lane 0's shard refuses everything at first; lane 1's takes everything
    const lanes = 2;
    const [slow = ''] = keysInLane(0, lanes, 1);
    const fast = keysInLane(1, lanes, 3);
    let refuse = true;
    const kinesis = fakeKinesis((e) =>
      refuse && e.partitionKey === slow ? 'ProvisionedThroughputExceededException' : undefined,
    );
    let backoffEnds: (() => void) | undefined;
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return new Promise<void>((resolve) => (backoffEnds = resolve));
    };
    const sender = new Sender({ putRecords: kinesis.putRecords, sleep, lanes, random: () => 0.5 });
    sender.enqueue(records([slow, ...fast], 4));

    // Act: while lane 0 waits out its backoff
    const flushed = sender.flush();
    for (let i = 0; i < 20; i++) await settle();
    const sentDuringBackoff = [...kinesis.accepted];
    refuse = false;
    backoffEnds?.();
    await flushed;

    // Assess
    expect(waits).toEqual([50]);
    expect(sentDuringBackoff).toHaveLength(12);
    for (const key of fast)
      expect(ofKey(key, sentDuringBackoff)).toEqual([0, 1, 2, 3].map((i) => `${key}#${i}`));
    expect(ofKey(slow, kinesis.accepted)).toEqual([0, 1, 2, 3].map((i) => `${slow}#${i}`));
    expect(sender.stats()).toMatchObject({ sent: 16, retried: 1, throttled: 1, pending: 0 });
  });

  it('keeps every key in order across lanes answered out of order, whatever fails', async () => {
    // Prepare
    const random = mulberry32(99);
    const lanes = 4;
    const keys = [0, 1, 2, 3].flatMap((lane) => keysInLane(lane, lanes, 3));
    const kinesis = heldKinesis(() =>
      random() < 0.3 ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const sender = new Sender({
      putRecords: kinesis.putRecords,
      sleep: noSleep().sleep,
      lanes,
      maxAttempts: 50,
    });
    const sent = records(keys, 20);
    sender.enqueue(sent);

    // Act: answer a random call in flight at each step
    const flushed = sender.flush();
    for (await settle(); kinesis.open.length > 0; await settle())
      kinesis.open[Math.floor(random() * kinesis.open.length)]?.answer();
    await flushed;

    // Assess
    for (const key of keys) expect(ofKey(key, kinesis.accepted)).toEqual(ofKey(key, sent.map(text)));
    expect(sender.stats()).toMatchObject({ sent: 240, failed: 0, pending: 0 });
    expect(kinesis.mostInFlight()).toBe(lanes);
  });

  it('refuses a second call in a lane that has one in flight', async () => {
    // Prepare
    const kinesis = heldKinesis();
    const sender = new Sender({ putRecords: kinesis.putRecords, lanes: 2 });
    sender.enqueue(records(keysInLane(1, 2, 2), 2));
    const first = sender.sendNext(1);

    // Act
    const second = sender.sendNext(1);

    // Assess
    await expect(second).rejects.toThrow('lane 1 already has a call in flight');
    kinesis.open[0]?.answer();
    await first;
    expect(sender.stats()).toMatchObject({ sent: 2, pending: 2 });
  });
});
