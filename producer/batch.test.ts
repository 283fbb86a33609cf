import { describe, expect, it } from 'vitest';
import {
  Backlog,
  entryBytes,
  MAX_BYTES_PER_CALL,
  MAX_RECORD_BYTES,
  MAX_RECORDS_PER_CALL,
  type PutEntry,
  RecordTooLargeError,
} from './batch.ts';

const entry = (partitionKey: string, bytes = 10, tag = 0): PutEntry & { tag: number } => ({
  partitionKey,
  data: new Uint8Array(bytes),
  tag,
});

describe('entryBytes', () => {
  it.each([
    ['Shadowfax', 100, 109],
    ['Épona', 0, 6],
  ])('counts data and the UTF-8 key of %s', (key, bytes, expected) => {
    // Act & Assess
    expect(entryBytes(entry(key, bytes))).toBe(expected);
  });
});

describe('Backlog', () => {
  it('takes at most one record per partition key per call, oldest first', () => {
    // Prepare
    const backlog = new Backlog<ReturnType<typeof entry>>();
    for (const [key, tag] of [
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['a', 3],
      ['b', 2],
    ] as const) {
      backlog.push(entry(key, 10, tag));
    }

    // Act
    const calls = [backlog.take(), backlog.take(), backlog.take(), backlog.take()];

    // Assess
    expect(calls.map((c) => c.map((e) => `${e.partitionKey}${e.tag}`))).toEqual([
      ['a1', 'b1'],
      ['a2', 'b2'],
      ['a3'],
      [],
    ]);
    expect(backlog.length).toBe(0);
  });

  it(`takes at most ${MAX_RECORDS_PER_CALL} records per call and serves every key in turn`, () => {
    // Prepare
    const backlog = new Backlog<PutEntry>();
    for (let i = 0; i < 1_200; i++) backlog.push(entry(`unicorn-${i}`));

    // Act
    const sizes = [backlog.take(), backlog.take(), backlog.take()].map((c) => c.length);

    // Assess
    expect(sizes).toEqual([500, 500, 200]);
  });

  it('keeps a call within 5 MiB of data and partition keys', () => {
    // Prepare: six records of nearly 1 MiB each
    const backlog = new Backlog<PutEntry>();
    for (let i = 0; i < 6; i++) backlog.push(entry(`k${i}`, MAX_RECORD_BYTES - 2));

    // Act
    const first = backlog.take();
    const second = backlog.take();

    // Assess
    expect(first).toHaveLength(5);
    expect(first.reduce((sum, e) => sum + entryBytes(e), 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    expect(second.map((e) => e.partitionKey)).toEqual(['k5']);
  });

  it('fills a call with smaller records when a big one does not fit', () => {
    // Prepare
    const backlog = new Backlog<PutEntry>();
    for (let i = 0; i < 5; i++) backlog.push(entry(`big${i}`, MAX_RECORD_BYTES - 10));
    backlog.push(entry('big5', MAX_RECORD_BYTES - 10));
    backlog.push(entry('small'));

    // Act
    const first = backlog.take();

    // Assess
    expect(first.map((e) => e.partitionKey)).toEqual(['big0', 'big1', 'big2', 'big3', 'big4', 'small']);
  });

  it.each([
    [MAX_RECORD_BYTES - 1, false],
    [MAX_RECORD_BYTES, true],
  ])('rejects a record over 1 MiB (data %d bytes + 1-byte key: rejected %s)', (bytes, rejected) => {
    // Prepare
    const backlog = new Backlog<PutEntry>();

    // Act
    const push = () => backlog.push(entry('k', bytes));

    // Assess
    if (rejected) expect(push).toThrow(RecordTooLargeError);
    else expect(push).not.toThrow();
  });

  it('puts requeued records back ahead of their successors', () => {
    // Prepare
    const backlog = new Backlog<ReturnType<typeof entry>>();
    for (const tag of [1, 2, 3]) backlog.push(entry('a', 10, tag));
    backlog.push(entry('b', 10, 1));
    const failed = backlog.take();

    // Act
    backlog.requeue(failed);
    const order: string[] = [];
    for (let batch = backlog.take(); batch.length > 0; batch = backlog.take()) {
      order.push(...batch.map((e) => `${e.partitionKey}${e.tag}`));
    }

    // Assess
    expect(order.filter((t) => t.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(order.filter((t) => t.startsWith('b'))).toEqual(['b1']);
  });
});
