import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatStatusTime, parseStatus, type UnicornStatus } from '../contracts/telemetry.ts';
import { clientConfig, useLocalCloud } from '../testing/local-cloud.ts';
import { aggregate, createStream, putRecords, runModuleCheck, status } from '../testing/streams.ts';
import {
  check,
  compareConservation,
  misplacedWindows,
  rawSince,
  uniqueAggregates,
  windowAggregates,
} from './module3.ts';
import { decodeRecord, type StatusRecord } from './streams.ts';

process.env.WILDRYDES_STATE_DIR = mkdtempSync(join(tmpdir(), 'wildrydes-check3-'));

const raw = [
  status({ Distance: 100, MagicPoints: 150, HealthPoints: 140 }),
  status({ Distance: 200, MagicPoints: 151, HealthPoints: 141 }),
  status({ Distance: 150, MagicPoints: 149, HealthPoints: 142 }),
];
const w1 = aggregate({
  StatusTime: '2026-11-22 09:17:00.000',
  Distance: 300,
  MinMagicPoints: 150,
  MaxMagicPoints: 151,
  MinHealthPoints: 140,
  MaxHealthPoints: 141,
});
const w2 = aggregate({
  StatusTime: '2026-11-22 09:18:00.000',
  Distance: 150,
  MinMagicPoints: 149,
  MaxMagicPoints: 149,
  MinHealthPoints: 142,
  MaxHealthPoints: 142,
});
const windows = [w1, w2];

describe('compareConservation', () => {
  it.each([
    ['windows that add up', windows, 'conserved', undefined],
    ['a window still open (or lost)', windows.slice(0, 1), 'missing', undefined],
    ['a window counted twice', [w1, w2, w2], 'excess', undefined],
    ['a wrong minimum', [w1, { ...w2, MinMagicPoints: 148 }], 'extremes', 'MinMagicPoints'],
    ['a wrong maximum', [{ ...w1, MaxHealthPoints: 150 }, w2], 'extremes', 'MaxHealthPoints'],
    ['nothing aggregated', [], 'missing', undefined],
  ])('finds %s %s', (_, aggregates, verdict, field) => {
    // Act
    const result = compareConservation(raw, aggregates);

    // Assess
    expect(result.verdict).toBe(verdict);
    if (field) expect(result).toMatchObject({ field });
  });

  it('reports the totals on both sides', () => {
    // Act
    const result = compareConservation(raw, windows);

    // Assess
    expect(result.raw).toEqual({
      records: 3,
      Distance: 450,
      MinMagicPoints: 149,
      MaxMagicPoints: 151,
      MinHealthPoints: 140,
      MaxHealthPoints: 142,
    });
    expect(result.aggregated).toMatchObject({ records: 2, Distance: 450 });
  });
});

describe('uniqueAggregates', () => {
  it('keeps one record per window, counting redeliveries and reporting conflicts', () => {
    // Prepare
    const [first, second] = [w1, w2];

    // Act
    const result = uniqueAggregates([second, first, first, { ...second, Distance: 1 }]);

    // Assess
    expect(result.unique).toEqual([first, second]);
    expect(result.repeats).toBe(1);
    expect(result.conflicts).toEqual([[second, { ...second, Distance: 1 }]]);
  });
});

describe('windowAggregates', () => {
  it('merges the parts of a window Lambda ended early, each part once, into one aggregate', () => {
    // Prepare
    const part1 = { ...w1, Part: 's/1', Distance: 100, MinMagicPoints: 90 };
    const part2 = { ...w1, Part: 's/9', Distance: 40, MinMagicPoints: 95 };

    // Act
    const result = windowAggregates([part1, part2, part1, w2]);

    // Assess
    expect(uniqueAggregates([part1, part2, part1]).repeats).toBe(1);
    expect(result).toEqual([{ ...w1, Distance: 140, MinMagicPoints: 90 }, w2]);
  });
});

const arrived = (s: UnicornStatus, at: string): StatusRecord =>
  decodeRecord(
    {
      shardId: 's',
      sequenceNumber: '1',
      partitionKey: s.Name,
      arrival: new Date(at),
      text: JSON.stringify(s),
    },
    parseStatus,
  );

describe('rawSince and misplacedWindows', () => {
  // Prepare
  const records = [
    arrived(status({ Distance: 1 }), '2026-11-22T09:16:59.999Z'),
    arrived(status({ Distance: 2 }), '2026-11-22T09:17:00.000Z'),
    arrived(status({ Distance: 3 }), '2026-11-22T09:18:30.000Z'),
  ];

  it('keeps the raw records from the first aggregated window on', () => {
    // Act
    const since = rawSince(records, windows);

    // Assess
    expect(since.map((s) => s.Distance)).toEqual([2, 3]);
  });

  it('flags a window that starts after the last raw record (a window end, or local time)', () => {
    // Act
    const misplaced = misplacedWindows(records, [
      ...windows,
      aggregate({ StatusTime: '2026-11-22 10:18:00.000' }),
    ]);

    // Assess
    expect(misplaced).toEqual(['2026-11-22 10:18:00.000']);
  });
});

describe('check module 3 on a local cloud', () => {
  const cloud = useLocalCloud();
  let kinesis: KinesisClient;
  // A window that started before any record of the test was sent.
  const windowStart = formatStatusTime(new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000));
  const run = (name: string) => runModuleCheck('module3', check, cloud().endpoint, { name, waitSeconds: 1 });
  /** Raw telemetry for `name`: distances 100 + 200 + 150, magic 149..151, health 140..142. */
  const sendRaw = (name: string) =>
    putRecords(
      kinesis,
      'wildrydes',
      raw.map((s) => ({ ...s, Name: name })),
    );
  const aggregated = (name: string, overrides = {}) =>
    aggregate({
      Name: name,
      StatusTime: windowStart,
      Distance: 450,
      MinMagicPoints: 149,
      MaxMagicPoints: 151,
      MinHealthPoints: 140,
      MaxHealthPoints: 142,
      ...overrides,
    });

  beforeAll(async () => {
    kinesis = new KinesisClient(clientConfig(cloud()));
    await createStream(kinesis, 'wildrydes');
  });

  it('fails when the aggregated stream is missing, and says to deploy module 3', async () => {
    // Prepare
    await sendRaw('Shadowfax');

    // Act
    const { code, output } = await run('Shadowfax');

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("there is no stream 'wildrydes-aggregated'");
    expect(output).toContain('hint: deploy module 3: `npm run deploy -- 3`');
  });

  it('waits, then fails when no aggregated record appears, with the module hint', async () => {
    // Prepare
    await createStream(kinesis, 'wildrydes-aggregated');

    // Act
    const { code, output } = await run('Shadowfax');

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("no aggregated record of Shadowfax on 'wildrydes-aggregated' after 1 s");
    expect(output).toContain('isFinalInvokeForWindow');
  });

  it.each([
    [
      'a malformed record',
      'Malformed',
      (n: string) => [{ ...aggregated(n), MaxMagicPoints: '151' }],
      '`MaxMagicPoints` must be an integer',
    ],
    [
      'two different records for one window',
      'Twice',
      (n: string) => [aggregated(n, { Distance: 200 }), aggregated(n, { Distance: 250 })],
      'different records for Twice',
    ],
    [
      'distance counted twice',
      'Greedy',
      (n: string) => [aggregated(n, { Distance: 900 })],
      'some distance is counted twice',
    ],
    [
      'distance missing',
      'Lossy',
      (n: string) => [aggregated(n, { Distance: 300 })],
      '150 m are missing after waiting 1 s',
    ],
    [
      'a wrong minimum',
      'Extreme',
      (n: string) => [aggregated(n, { MinMagicPoints: 150 })],
      'MinMagicPoints over all windows is 150 but the raw telemetry says 149',
    ],
    [
      'a window start after every record',
      'Late',
      (n: string) => [aggregated(n, { StatusTime: formatStatusTime(new Date(Date.now() + 3_600_000)) })],
      'must be the window start',
    ],
  ])('fails on %s', async (_, name, records, expected) => {
    // Prepare
    await sendRaw(name);
    await putRecords(kinesis, 'wildrydes-aggregated', records(name));

    // Act
    const { code, output } = await run(name);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain(expected);
  });

  it('passes when the aggregates conserve the telemetry, even with a redelivered record', async () => {
    // Prepare
    await sendRaw('Conserved');
    await putRecords(kinesis, 'wildrydes-aggregated', [aggregated('Conserved'), aggregated('Conserved')]);

    // Act
    const { code, output } = await run('Conserved');

    // Assess
    expect(output).toContain('1 window (1 record delivered twice by a retry: harmless)');
    expect(output).toContain('✔ the aggregates add up to the raw telemetry');
    expect(code).toBe(0);
  });
});
