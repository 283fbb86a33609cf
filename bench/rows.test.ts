import { describe, expect, it } from 'vitest';
import type { EndToEndRun } from './end-to-end.ts';
import { cpuPerThousand, endToEndRow, gatewayRows, startupRow, swapRow } from './rows.ts';
import { spread } from './stats.ts';
import { verdict } from './table.ts';

const run = (overrides: Partial<EndToEndRun>): EndToEndRun => ({
  unicorns: 10_000,
  seconds: 20,
  shards: 10,
  records: 200_000,
  producerSeconds: 20.5,
  throttled: 0,
  keptUp: true,
  aggregatedShare: 1,
  lagSeconds: 0.5,
  aggregationLagSeconds: 0.4,
  recordsPerSecond: 10_000,
  aggregatedRecords: 40_000,
  aggregatedKeys: 40_000,
  windows: 4,
  ...overrides,
});

describe('cpuPerThousand', () => {
  it('gives each part’s CPU per 1,000 raw records, the largest first, leaving out idle parts', () => {
    // Act
    const text = cpuPerThousand(
      new Map([
        ['producer', 5],
        ['local cloud', 38],
        ['wildrydes-aggregate', 12.8],
        ['idle', 0],
      ]),
      100_000,
    );

    // Assess
    expect(text).toBe(
      'CPU per 1,000 raw records: local cloud 0.38 s, wildrydes-aggregate 0.13 s, producer 0.05 s',
    );
  });

  it('is part of the end-to-end row when the run has it', () => {
    // Act
    const row = endToEndRow(run({ cpu: new Map([['local cloud', 20]]) }));

    // Assess
    expect(row.value).toContain('; CPU per 1,000 raw records: local cloud 0.10 s');
  });
});

describe('endToEndRow', () => {
  it.each([
    [
      '10,000 unicorns on 10 shards kept up',
      run({}),
      '≥ 9,500 records/s sent, in the table ≤ 5 s after each window',
      'yes',
    ],
    [
      '10,000 unicorns sent too slowly',
      run({ producerSeconds: 22 }),
      expect.stringContaining('≥ 9,500'),
      'no',
    ],
    [
      '10,000 unicorns in the table too late',
      run({ lagSeconds: 6 }),
      expect.stringContaining('≥ 9,500'),
      'no',
    ],
    [
      '10,000 unicorns, the table not conserved',
      run({ tableConserved: false }),
      expect.stringContaining('≥ 9,500'),
      'no',
    ],
    [
      '10,000 unicorns fell behind',
      run({ keptUp: false, aggregatedShare: 0.4 }),
      expect.stringContaining('≥ 9,500'),
      'no',
    ],
    [
      '10,000 unicorns on one shard',
      run({ shards: 1, keptUp: false }),
      "over the shards' limit (1,000 records/s): throttled, as on AWS",
      '',
    ],
    [
      '1,000 unicorns kept up',
      run({ unicorns: 1_000, shards: 1, recordsPerSecond: 990 }),
      'keeps up with 1,000/s',
      'yes',
    ],
    [
      '1,000 unicorns in the table too late',
      run({ unicorns: 1_000, shards: 1, lagSeconds: 12 }),
      'keeps up with 1,000/s',
      'no',
    ],
    [
      '1,000 unicorns fell behind',
      run({ unicorns: 1_000, shards: 1, keptUp: false }),
      'keeps up with 1,000/s',
      'no',
    ],
  ])('judges %s', (_, r, target, met) => {
    // Act
    const row = endToEndRow(r);

    // Assess
    expect(row.target).toEqual(target);
    expect(row.met).toBe(met);
  });

  it('says kept up only when the last window was in the table within the target lag', () => {
    // Act
    const early = endToEndRow(run({ lagSeconds: 0.9, aggregationLagSeconds: 0.5 }));
    const late = endToEndRow(run({ lagSeconds: 18.4, aggregationLagSeconds: 16.6 }));

    // Assess
    expect(early.value).toContain(
      'kept up: the last window aggregated 0.5 s and in the table 0.9 s after it ended',
    );
    expect(late.value).toContain(
      'behind, caught up late: the last window aggregated 16.6 s and in the table 18.4 s',
    );
    expect(late.value).not.toContain('kept up');
  });

  it('names the unicorns that do not add up, and the records the stream holds twice', () => {
    // Act
    const kept = endToEndRow(run({ tableConserved: true }));
    const lost = endToEndRow(
      run({
        tableConserved: false,
        conservationMisses: ['Arion: Distance 2894 in the table ≠ 2752 raw'],
        duplicates: 1_500,
      }),
    );

    // Assess
    expect(kept.value).toContain(
      'the table conserves the raw records (per unicorn: Distance, min/max points)',
    );
    expect(kept.value).not.toContain('twice');
    expect(lost.value).toContain(
      'the table does NOT conserve the raw records (Arion: Distance 2894 in the table ≠ 2752 raw)',
    );
    expect(lost.value).toContain('the stream holds 1,500 records twice');
  });

  it('says how much was aggregated when the pipeline fell behind', () => {
    // Act
    const row = endToEndRow(run({ keptUp: false, aggregatedShare: 0.214, lagSeconds: 32.1 }));

    // Assess
    expect(row.value).toContain('fell behind: 21% aggregated 32.1 s after the last window ended');
    expect(row.value).not.toContain('ended early');
  });

  it('says when windows ended early, and that module 4 merged their parts', () => {
    // Act
    const row = endToEndRow(run({ aggregatedRecords: 30_000, aggregatedKeys: 19_000, throttled: 12 }));

    // Assess
    expect(row.figure).toBe('end to end, 10,000 unicorns at 1 Hz for 20 s on 10 shards');
    expect(row.value).toContain('30,000 parts for 19,000 table keys, merged by module 4');
    expect(row.value).toContain('the producer was throttled 12 times');
  });

  it('says when the busiest shard gets more than a shard takes, and how many shards would carry it', () => {
    // Act
    const hot = endToEndRow(run({ overload: { shards: 10, busiest: 1042, over: 4, carry: 11 } }));
    const even = endToEndRow(run({}));

    // Assess
    expect(hot.value).toContain(
      'names hash unevenly: the busiest shard gets 1,042 records/s, over the 1,000 a shard takes, on AWS too (11 shards would carry it)',
    );
    expect(even.value).not.toContain('busiest');
  });
});

describe('gatewayRows', () => {
  const path = (name: string, perSecond: number[], cpu: number[]) => ({
    path: name,
    perSecond: spread(perSecond),
    cpuMicrosPerItem: spread(cpu),
  });

  it('judges the overhead of the judged path over the first, from the medians', () => {
    // Prepare
    const results = [
      path('direct', [1000, 900, 5000], [100, 100, 100]),
      path('gateway h1', [100, 100, 100], [500, 500, 500]),
      path('gateway h2', [800, 800, 100], [120, 120, 120]),
    ];

    // Act
    const rows = gatewayRows('PutRecords', 'records', results, 'gateway h2');

    // Assess
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatchObject({
      figure: 'gateway overhead, PutRecords (gateway h2)',
      value: '+25% time per record, +20% CPU per record (medians)',
      met: 'yes',
    });
  });

  it('misses the target past 25%', () => {
    // Act
    const rows = gatewayRows(
      'BatchWriteItem',
      'items',
      [path('direct', [1000], [100]), path('gateway', [790], [130])],
      'gateway',
    );

    // Assess
    expect(rows[2]?.met).toBe('no');
    expect(rows[0]?.value).toBe('1,000 items/s; 100 µs CPU/item');
  });
});

describe('swapRow', () => {
  it('judges the p50 of save → new code live against one second', () => {
    // Act
    const fast = swapRow([0.4, 0.5, 0.6, 2.5], [0.2, 0.3, 0.3, 0.4]);
    const slow = swapRow([1.2, 1.4, 0.9]);

    // Assess
    expect(fast).toMatchObject({
      value: 'p50 0.50 s, p99 2.50 s (4 saves); the swap alone (as logged) p50 0.3 s',
      met: verdict(true),
    });
    expect(slow.met).toBe(verdict(false));
  });
});

describe('startupRow', () => {
  it('judges a warm start against 5 s and a cold one against 20 s', () => {
    // Arrange
    const times = { readySeconds: 6, cloudUpSeconds: 2, synthDoneSeconds: 2.1, stopSeconds: 1 };

    // Act
    const warm = startupRow(times, 'warm');
    const cold = startupRow(times, 'cold');

    // Assess
    expect(warm).toMatchObject({ target: '≤ 5 s', met: verdict(false) });
    expect(cold).toMatchObject({ target: '≤ 20 s', met: verdict(true) });
    expect(warm.value).toContain('synth 0.1 s');
  });
});
