import { describe, expect, it } from 'vitest';
import { overloadLine, statusLine, summaryLine } from './report.ts';
import type { SendStats } from './sender.ts';

const stats = (over: Partial<SendStats> = {}): SendStats => ({
  sent: 6000,
  retried: 0,
  failed: 0,
  pending: 0,
  calls: 12,
  throttled: 0,
  throttledShards: [],
  ...over,
});
const opts = { stream: 'wildrydes', elapsedMs: 6500, unicorns: 2000, interrupted: false };

describe('the producer’s summary', () => {
  it('says nothing of throttling when there was none', () => {
    // Act & Assess
    expect(summaryLine(stats(), opts)).toBe(
      "sent 6,000 records for 2,000 unicorns to stream 'wildrydes' in 6.5 s; retried 0, failed 0",
    );
  });

  it('shows the throttling, the shards that refused and the way past it', () => {
    // Act
    const line = summaryLine(
      stats({ retried: 6015, throttled: 6015, throttledShards: ['shardId-000000000000'] }),
      opts,
    );

    // Assess
    expect(line).toBe(
      "sent 6,000 records for 2,000 unicorns to stream 'wildrydes' in 6.5 s; retried 6,015, failed 0; " +
        'throttled 6,015 times by 1 shard (ProvisionedThroughputExceededException: over 1,000 records/s ' +
        'or 1 MiB/s per shard): send slower, or give the stream more shards',
    );
    expect(statusLine(stats({ throttled: 5 }), 1000)).toMatch(/, throttled 5$/);
  });
});

describe('the producer’s warning of a shard over its limit', () => {
  it.each([
    [
      'one shard',
      { shards: 1, busiest: 2000, over: 1, carry: 2 },
      2,
      'warning: at 2 records/s per unicorn, the stream’s one shard gets 2,000 records/s, over the 1,000 a shard ' +
        'takes: expect it throttled for as long as this runs; 2 shards would carry this fleet (README, “Shards”), ' +
        'or send slower (--rate)',
    ],
    [
      'the busiest of several',
      { shards: 10, busiest: 1042, over: 4, carry: 11 },
      1,
      'warning: at 1 record/s per unicorn, the busiest of 10 shards gets 1,042 records/s (4 shards are over), over ' +
        'the 1,000 a shard takes: expect it throttled for as long as this runs; 11 shards would carry this fleet ' +
        '(README, “Shards”), or send slower (--rate)',
    ],
    [
      'no shard count that would do',
      { shards: 1, busiest: 1500, over: 1 },
      1500,
      'warning: at 1500 records/s per unicorn, the stream’s one shard gets 1,500 records/s, over the 1,000 a shard ' +
        'takes: expect it throttled for as long as this runs; send slower (--rate)',
    ],
  ])('names %s and the way past it', (_, overload, rate, line) => {
    // Act & Assess
    expect(overloadLine(overload, rate)).toBe(line);
  });
});
