import { describe, expect, it } from 'vitest';
import { hashKeyOf, openRanges, ShardMaps, shardOf } from './shard-map.ts';
import { AWS_SHARD_WRITE_LIMITS, recordBytes, WriteBudget } from './write-budget.ts';

const MIB = 1024 * 1024;

describe('a shard’s write budget', () => {
  it('takes 1,000 records in a second, then refuses until time refills it', () => {
    // Prepare
    const budget = new WriteBudget(AWS_SHARD_WRITE_LIMITS, 0);

    // Act
    const first = Array.from({ length: 1200 }, () => budget.take(100, 0)).filter(Boolean).length;
    const afterHalf = Array.from({ length: 600 }, () => budget.take(100, 500)).filter(Boolean).length;

    // Assess
    expect(first).toBe(1000);
    expect(afterHalf).toBe(500);
  });

  it('refuses past 1 MiB a second even with records to spare', () => {
    // Prepare
    const budget = new WriteBudget(AWS_SHARD_WRITE_LIMITS, 0);

    // Act
    const taken = Array.from({ length: 10 }, () => budget.take(300 * 1024, 0)).filter(Boolean).length;

    // Assess
    expect(taken).toBe(3);
    expect(budget.take(MIB, 2000)).toBe(true);
  });

  it('never banks more than one second of budget', () => {
    // Prepare
    const budget = new WriteBudget(AWS_SHARD_WRITE_LIMITS, 0);

    // Act
    const taken = Array.from({ length: 3000 }, () => budget.take(10, 60_000)).filter(Boolean).length;

    // Assess
    expect(taken).toBe(1000);
  });

  it('counts the decoded data and the UTF-8 partition key', () => {
    // Act & Assess
    expect(recordBytes(Buffer.from('hello').toString('base64'), 'Épona')).toBe(5 + 6);
    expect(recordBytes(Buffer.from('hi!').toString('base64'), 'a')).toBe(4);
  });
});

describe('the shard of a record', () => {
  const halves = [
    { shardId: 'shardId-000000000000', start: 0n, end: 2n ** 127n - 1n },
    { shardId: 'shardId-000000000001', start: 2n ** 127n, end: 2n ** 128n - 1n },
  ];

  it('is the one whose hash key range holds the MD5 of the partition key', () => {
    // Act & Assess: md5('Shadowfax') starts with 0x5…, md5('Rocinante') with 0xe…
    expect(hashKeyOf('Shadowfax') < 2n ** 127n).toBe(true);
    expect(shardOf(halves, hashKeyOf('Shadowfax'))?.shardId).toBe('shardId-000000000000');
    expect(shardOf(halves, hashKeyOf('a', String(2n ** 127n)))?.shardId).toBe('shardId-000000000001');
  });

  it('leaves closed shards out of the map', () => {
    // Act
    const ranges = openRanges([
      { ShardId: 'a', HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' } },
      {
        ShardId: 'b',
        HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' },
        SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '2' },
      },
    ]);

    // Assess
    expect(ranges.map((r) => r.shardId)).toEqual(['a']);
  });

  it('lists a stream’s shards at most once a second', async () => {
    // Prepare
    let now = 0;
    let calls = 0;
    const maps = new ShardMaps(
      async () => {
        calls++;
        return halves;
      },
      () => now,
    );

    // Act
    await maps.ranges('s');
    await maps.ranges('s');
    now = 1500;
    await maps.ranges('s');

    // Assess
    expect(calls).toBe(2);
  });
});
