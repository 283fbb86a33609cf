import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { itemFindings } from '../checks/module4.ts';
import { readStatuses, readWholeStream, scanTable, validValues } from '../checks/streams.ts';
import { names } from '../contracts/names.ts';
import { putAllRecords } from '../contracts/put-records.ts';
import type { UnicornStatus } from '../contracts/telemetry.ts';
import type { FaultPlan } from '../local/faults/index.ts';
import { functionArn } from '../local/lambda/arn.ts';
import { drainQueue, onFailureQueueUrl, settle } from '../testing/conservation.ts';
import { clientConfig, eventually } from '../testing/local-cloud.ts';
import { all, produce, useDeployedPipeline } from '../testing/streaming-pipeline.ts';

// Modules 2-4 (the solutions) under 10% throttling of Kinesis and DynamoDB and 10% crashed
// invocations, with poison records on both streams: every good record's Distance is counted once
// in UnicornSensorData, the poison ends in the on-failure destination, nothing else is lost.
// The seed makes early invocations of both functions crash, some just before they answer, after
// their writes (see local/faults/decide.ts).

const FAULTS: FaultPlan = { throttle: { kinesis: 0.1, dynamodb: 0.1 }, crash: 0.1, timeout: 0, seed: 111 };
const UNICORNS = ['Shadowfax', 'Rocinante', 'Bucephalus'];
/** Records per unicorn: 20 a second for 8 s, four 2-s windows at least. */
const COUNT = 160;
/** Raw telemetry that is not telemetry: the aggregation skips it (it can never become valid). */
const RAW_POISON = [
  '{"Name":"Shadowfax","Distance":1000}',
  'not JSON at all',
  '{"Name":"Rocinante","StatusTime":"2026-11-22 09:17:08.189","Latitude":42.2,"Longitude":-71.9,"Distance":"175","MagicPoints":110,"HealthPoints":150}',
];
/** Aggregated records that are not aggregated records: the persist function reports them. */
const AGGREGATED_POISON = [
  '{"Name":"Shadowfax","StatusTime":"2026-11-22 09:17:00.000","Distance":999999}',
  '{"Name":"Bucephalus","StatusTime":"2026-11-22 09:17:08.189","Latitude":42.2,"Longitude":-71.9,"Distance":175,"MagicPoints":110,"HealthPoints":150}',
];
/** How long the pipeline may take to settle after the producer is done; generous, never asserted. */
const SETTLE_SECONDS = 150;

interface DiscardedBatch {
  requestContext: { condition: string; functionArn: string; approximateInvokeCount: number };
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    batchSize: number;
    streamArn: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const perUnicorn = <T extends { Name: unknown }>(xs: readonly T[], f: (x: T[]) => number) =>
  Object.fromEntries(UNICORNS.map((n) => [n, f(xs.filter((x) => x.Name === n))]));
/** The fields of a table item this test adds up. */
type Item = { Name: string; Distance: number; MinMagicPoints: number; MaxHealthPoints: number };
const distances = (items: Item[]) => perUnicorn(items, (xs) => sum(xs.map((i) => i.Distance)));
const covers = (batch: DiscardedBatch, seq: string) =>
  BigInt(batch.KinesisBatchInfo.startSequenceNumber) <= BigInt(seq) &&
  BigInt(seq) <= BigInt(batch.KinesisBatchInfo.endSequenceNumber);

describe('the streaming pipeline under throttling, crashes and poison records', () => {
  const pipeline = useDeployedPipeline(all('solution'), {
    stacks: ['WildRydesStreaming', 'WildRydesAggregation', 'WildRydesProcessing'],
    faults: FAULTS,
    produceOnStart: false,
  });
  let kinesis: KinesisClient;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  let lambda: LambdaClient;
  let good: UnicornStatus[] = [];
  /** When the test stopped writing: whatever arrived before, the pipeline must have processed. */
  let writtenMs = 0;

  /** Puts texts on a stream, retrying what is throttled, as any writer must. */
  const putTexts = (stream: string, texts: string[]) =>
    putAllRecords(
      (entries) => kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: entries })),
      texts.map((t) => ({ Data: Buffer.from(t), PartitionKey: /"Name":"(\w+)"/.exec(t)?.[1] ?? 'poison' })),
      { maxAttempts: 20 },
    );
  const hasRecords = (stream: string) => async () =>
    (await readWholeStream(kinesis, stream)).length > 0 ? true : undefined;

  beforeAll(async () => {
    // The test's own clients retry throttling longer than the SDK's default of 3 attempts.
    const config = { ...clientConfig(pipeline.cloud()), maxAttempts: 10 };
    kinesis = new KinesisClient(config);
    dynamodb = new DynamoDBClient(config);
    sqs = new SQSClient(config);
    lambda = new LambdaClient(config);
    const unicorns = UNICORNS.flatMap((n) => ['--name', n]);
    const producing = produce(pipeline.cloud().endpoint, [
      ...unicorns,
      '--rate',
      '20',
      '--count',
      String(COUNT),
    ]);
    // The poison goes in while telemetry flows, so good records come before and after it.
    await eventually(hasRecords(names.rawStream), 30_000, 'the first telemetry');
    await putTexts(names.rawStream, RAW_POISON);
    await eventually(hasRecords(names.aggregatedStream), 60_000, 'the first aggregated record');
    await putTexts(names.aggregatedStream, AGGREGATED_POISON);
    await producing;
    writtenMs = Date.now();
    good = validValues(await readStatuses(kinesis, names.rawStream));
  }, 180_000);

  it('takes in every record the producer sent, throttled or not', () => {
    // Assess
    expect(perUnicorn(good, (xs) => xs.length)).toEqual(perUnicorn([], () => COUNT));
  });

  it("counts every good record's Distance exactly once in UnicornSensorData, min and max agree", async () => {
    // Prepare
    const expected = {
      distance: perUnicorn(good, (xs) => sum(xs.map((s) => s.Distance))),
      minMagic: perUnicorn(good, (xs) => Math.min(...xs.map((s) => s.MagicPoints))),
      maxHealth: perUnicorn(good, (xs) => Math.max(...xs.map((s) => s.HealthPoints))),
    };

    // Act
    await settle(
      async () => pipeline.caughtUp(writtenMs),
      (caughtUp) => caughtUp,
      SETTLE_SECONDS,
      'the pipeline to catch up',
    );
    const items = await scanTable(dynamodb, names.table);

    // Assess
    const rows = items as Item[];
    expect(distances(rows)).toEqual(expected.distance);
    expect(perUnicorn(rows, (xs) => Math.min(...xs.map((i) => i.MinMagicPoints)))).toEqual(expected.minMagic);
    expect(perUnicorn(rows, (xs) => Math.max(...xs.map((i) => i.MaxHealthPoints)))).toEqual(
      expected.maxHealth,
    );
    expect(itemFindings(items)).toEqual([]);
    expect(new Set(rows.map((i) => i.Name))).toEqual(new Set(UNICORNS));
  }, 200_000);

  it.each(UNICORNS)(
    'passes check:module4 for %s: each aggregated record is in the table once',
    async (name) => {
      // Act
      const { code, output } = await pipeline.check('module4', { name, waitSeconds: 30 });

      // Assess
      expect(output).not.toContain('✖');
      expect(code).toBe(0);
    },
  );

  it("sends the aggregated poison to the persist function's on-failure queue, with its KinesisBatchInfo", async () => {
    // Prepare
    const stream = await readWholeStream(kinesis, names.aggregatedStream);
    const poison = stream.filter((r) => AGGREGATED_POISON.includes(r.text)).map((r) => r.sequenceNumber);
    const url = await onFailureQueueUrl(lambda, sqs, names.persistFunction);
    const discarded: DiscardedBatch[] = [];

    // Act
    await settle(
      async () => discarded.push(...(await drainQueue<DiscardedBatch>(sqs, url))),
      () => poison.every((seq) => discarded.some((b) => covers(b, seq))),
      SETTLE_SECONDS,
      'the poison in the failure queue',
    );

    // Assess
    expect(poison).toHaveLength(AGGREGATED_POISON.length);
    for (const seq of poison) expect(discarded.some((b) => covers(b, seq))).toBe(true);
    for (const batch of discarded) {
      expect(batch).toMatchObject({
        requestContext: {
          condition: 'RetryAttemptsExhausted',
          functionArn: functionArn(names.persistFunction),
          approximateInvokeCount: expect.any(Number),
        },
        KinesisBatchInfo: {
          shardId: 'shardId-000000000000',
          batchSize: expect.any(Number),
          streamArn: expect.stringMatching(/:stream\/wildrydes-aggregated$/),
          approximateArrivalOfFirstRecord: expect.any(String),
          approximateArrivalOfLastRecord: expect.any(String),
        },
      });
      // Nothing but the poison is given up: every discarded batch starts at a poison record.
      expect(poison).toContain(batch.KinesisBatchInfo.startSequenceNumber);
    }
  }, 200_000);

  it('skips the raw poison without giving up any good record', async () => {
    // Prepare
    const url = await onFailureQueueUrl(lambda, sqs, names.aggregateFunction);

    // Act
    const discarded = await drainQueue<DiscardedBatch>(sqs, url);

    // Assess
    expect(discarded).toEqual([]);
    const skipped = pipeline
      .logs(names.aggregateFunction)
      .filter((l) => l.includes('skipping a malformed record'));
    expect(skipped.length).toBeGreaterThanOrEqual(RAW_POISON.length);
  });

  it('ran under faults: throttled Kinesis and DynamoDB calls, crashed invocations of both functions', () => {
    // Act
    const stats = pipeline.cloud().faults?.stats();

    // Assess
    const count = (service: string) =>
      sum(Object.entries(stats?.refused ?? {}).flatMap(([k, n]) => (k.startsWith(service) ? [n] : []))) +
      sum(Object.entries(stats?.partial ?? {}).flatMap(([k, p]) => (k.startsWith(service) ? [p.calls] : [])));
    expect(count('kinesis.')).toBeGreaterThan(0);
    expect(count('dynamodb.')).toBeGreaterThan(0);
    expect(stats?.crashes[names.aggregateFunction]).toBeGreaterThan(0);
    expect(stats?.crashes[names.persistFunction]).toBeGreaterThan(0);
  });
});
