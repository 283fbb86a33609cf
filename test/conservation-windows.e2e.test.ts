import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowAggregates } from '../checks/module3.ts';
import { readAggregates, readStatuses, scanTable, validValues } from '../checks/streams.ts';
import { names } from '../contracts/names.ts';
import { formatStatusTime, mergeAggregates, type UnicornAggregate } from '../contracts/telemetry.ts';
import type { FaultPlan } from '../local/faults/index.ts';
import { settle } from '../testing/conservation.ts';
import { clientConfig } from '../testing/local-cloud.ts';
import { all, produce, useDeployedPipeline, WINDOW_SECONDS } from '../testing/streaming-pipeline.ts';

// Issue 13: modules 2-4 (the solutions) on two shards, where Lambda ends half the tumbling
// windows early (as when their state passes 1 MB) and a fifth of the invocations crash — some
// just after their writes, so a window's final invocation runs again and puts its part twice.
// The table still holds exactly one aggregate per unicorn and window: the merge of the window's
// distinct parts, each once, and over each unicorn's windows the sum, min and max of its raw records.

const FAULTS: FaultPlan = { throttle: {}, crash: 0.2, timeout: 0, window: 0.5, seed: 13 };
const UNICORNS = ['Shadowfax', 'Rocinante', 'Bucephalus'];
/** How long the pipeline may take to settle after the producer is done; generous, never asserted. */
const SETTLE_SECONDS = 120;

type Aggregate = Omit<UnicornAggregate, 'Part'>;
const keyOf = (a: Pick<UnicornAggregate, 'Name' | 'StatusTime'>) => `${a.Name} ${a.StatusTime}`;
const numbers = ({
  Name,
  StatusTime,
  Distance,
  MinMagicPoints,
  MaxMagicPoints,
  MinHealthPoints,
  MaxHealthPoints,
}: Aggregate) => ({
  Name,
  StatusTime,
  Distance,
  MinMagicPoints,
  MaxMagicPoints,
  MinHealthPoints,
  MaxHealthPoints,
});

/**
 * Each unicorn's sum, min and max over all its windows: windows are cut by arrival as the records
 * are read, so a record that arrives just as its window closes may count in the next one.
 */
const totals = (xs: Iterable<Aggregate>) => {
  const byName = new Map<string, Aggregate>();
  for (const x of xs) {
    const t = byName.get(x.Name);
    byName.set(x.Name, t ? { ...mergeAggregates(t, x), StatusTime: '' } : { ...numbers(x), StatusTime: '' });
  }
  return Object.fromEntries(byName);
};

describe('the streaming pipeline when windows end early and are delivered twice', () => {
  const pipeline = useDeployedPipeline(all('solution'), {
    stacks: ['WildRydesStreaming', 'WildRydesAggregation', 'WildRydesProcessing'],
    faults: FAULTS,
    produceOnStart: false,
    shards: 2,
  });
  let kinesis: KinesisClient;
  let dynamodb: DynamoDBClient;
  /** Per unicorn and window (by arrival, as Lambda cuts them): the raw records' aggregate. */
  const expected = new Map<string, Aggregate>();
  let parts: UnicornAggregate[] = [];
  let items: Aggregate[] = [];

  beforeAll(async () => {
    const config = { ...clientConfig(pipeline.cloud()), maxAttempts: 10 };
    kinesis = new KinesisClient(config);
    dynamodb = new DynamoDBClient(config);
    await produce(pipeline.cloud().endpoint, [
      ...UNICORNS.flatMap((n) => ['--name', n]),
      '--rate',
      '20',
      '--duration',
      '6',
    ]);
    const writtenMs = Date.now();
    for (const r of await readStatuses(kinesis, names.rawStream)) {
      if (!r.parsed.ok) continue;
      const s = r.parsed.value;
      const windowMs = WINDOW_SECONDS * 1000;
      const start = formatStatusTime(new Date(Math.floor(r.record.arrival.getTime() / windowMs) * windowMs));
      const a: Aggregate = {
        Name: s.Name,
        StatusTime: start,
        Distance: s.Distance,
        MinMagicPoints: s.MagicPoints,
        MaxMagicPoints: s.MagicPoints,
        MinHealthPoints: s.HealthPoints,
        MaxHealthPoints: s.HealthPoints,
      };
      const earlier = expected.get(keyOf(a));
      expected.set(
        keyOf(a),
        earlier
          ? {
              ...earlier,
              Distance: earlier.Distance + a.Distance,
              MinMagicPoints: Math.min(earlier.MinMagicPoints, a.MinMagicPoints),
              MaxMagicPoints: Math.max(earlier.MaxMagicPoints, a.MaxMagicPoints),
              MinHealthPoints: Math.min(earlier.MinHealthPoints, a.MinHealthPoints),
              MaxHealthPoints: Math.max(earlier.MaxHealthPoints, a.MaxHealthPoints),
            }
          : a,
      );
    }
    await settle(
      async () => pipeline.caughtUp(writtenMs),
      (caughtUp) => caughtUp,
      SETTLE_SECONDS,
      'the pipeline to catch up',
    );
    // Caught up means every batch was handled; a retried window's last write may still be on its
    // way on a busy machine: give the table the same time to hold what the raw records add up to
    // (a lost part never arrives, and the assertions below then say which).
    const want = totals(expected.values());
    items = await settle(
      async () => (await scanTable(dynamodb, names.table)) as Aggregate[],
      (scanned) => isDeepStrictEqual(totals(scanned), want),
      SETTLE_SECONDS,
      'the table to hold every window',
    );
    parts = validValues(await readAggregates(kinesis, names.aggregatedStream));
  }, 400_000);
  afterAll(() => {
    kinesis.destroy();
    dynamodb.destroy();
  });

  it('ended windows early and delivered window parts twice', () => {
    // Assess
    const partsPerWindow = new Map<string, Set<string>>();
    for (const p of parts)
      partsPerWindow.set(keyOf(p), (partsPerWindow.get(keyOf(p)) ?? new Set()).add(p.Part ?? ''));
    const distinct = new Set(parts.map((p) => `${keyOf(p)} ${p.Part}`));
    expect([...partsPerWindow.values()].some((ps) => ps.size > 1)).toBe(true);
    expect(parts.length).toBeGreaterThan(distinct.size);
  });

  it('holds exactly one aggregate per unicorn and window, adding up to the raw records’ sum, min and max', () => {
    // Assess
    expect(new Set(items.map(keyOf)).size).toBe(items.length);
    expect(new Set(items.map((i) => i.Name))).toEqual(new Set(UNICORNS));
    expect(totals(items)).toEqual(totals(expected.values()));
  });

  it('holds each window as the merge of its distinct parts on the aggregated stream', () => {
    // Assess
    const merged = new Map(windowAggregates(parts).map((a) => [keyOf(a), numbers(a)]));
    expect(Object.fromEntries(items.map((i) => [keyOf(i), numbers(i)]))).toEqual(Object.fromEntries(merged));
  });
});
