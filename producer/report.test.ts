import { describe, expect, it } from 'vitest';
import { statusLine, summaryLine } from './report.ts';
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
