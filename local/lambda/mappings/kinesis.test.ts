import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueue,
  createStream,
  fixture,
  jsonLines,
  nextMessage,
  putTexts,
} from '../../../testing/lambda.ts';
import { clientConfig, eventually, useLocalCloud } from '../../../testing/local-cloud.ts';
import type { EventSourceMappingDefinition } from '../../types.ts';
import { LambdaService } from '../service.ts';

const text = (data: string) => Buffer.from(data, 'base64').toString('utf8');

describe.concurrent('Kinesis event source mappings', () => {
  const cloud = useLocalCloud();
  let service: LambdaService;
  let kinesis: KinesisClient;
  let sqs: SQSClient;
  let sns: SNSClient;
  let dir: string;
  const notes: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lambda-kinesis-'));
    service = new LambdaService({ endpoint: cloud().endpoint, log: (line) => notes.push(line) });
    cloud().register('lambda', service.handle);
    kinesis = new KinesisClient(clientConfig(cloud()));
    sqs = new SQSClient(clientConfig(cloud()));
    sns = new SNSClient(clientConfig(cloud()));
  });
  afterAll(async () => {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A stream, a fixture function writing to its own events file, and a mapping between them. */
  async function deploy(
    name: string,
    handler: string,
    mapping: Partial<EventSourceMappingDefinition>,
    opts: { shards?: number; environment?: Record<string, string> } = {},
  ) {
    const events = join(dir, `${name}.jsonl`);
    const streamArn = await createStream(kinesis, name, opts.shards);
    await service.putFunction(
      fixture(handler, { name, environment: { EVENTS_FILE: events, ...opts.environment } }),
    );
    const { uuid } = await service.putEventSourceMapping({
      functionName: name,
      eventSourceArn: streamArn,
      startingPosition: 'TRIM_HORIZON',
      ...mapping,
    });
    return { events, streamArn, uuid };
  }

  it('delivers every record once, in order within each shard, one batch at a time', async () => {
    // Prepare
    const { events, streamArn } = await deploy('k-order', 'record.handler', { batchSize: 7 }, { shards: 2 });
    const sent: string[] = [];
    for (let round = 0; round < 4; round++) {
      const texts = Array.from({ length: 10 }, (_, i) => `r${round * 10 + i}`);
      await putTexts(kinesis, 'k-order', texts, (i) => `unicorn-${i}`);
      sent.push(...texts);
    }

    // Act
    const batches = await eventually(async () => {
      const lines = await jsonLines<{ event: KinesisStreamEvent }>(events);
      return lines.flatMap((l) => l.event.Records).length >= sent.length
        ? lines.map((l) => l.event)
        : undefined;
    });

    // Assess
    const records = batches.flatMap((b) => b.Records);
    expect(records.map((r) => text(r.kinesis.data)).sort()).toEqual([...sent].sort());
    expect(Math.max(...batches.map((b) => b.Records.length))).toBeLessThanOrEqual(7);
    const shards = new Set(records.map((r) => r.eventID.split(':')[0]));
    expect(shards.size).toBe(2);
    for (const shard of shards) {
      const sequence = records
        .filter((r) => r.eventID.startsWith(`${shard}:`))
        .map((r) => BigInt(r.kinesis.sequenceNumber));
      expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    for (const batch of batches) {
      expect(new Set(batch.Records.map((r) => r.eventID.split(':')[0])).size).toBe(1);
    }
    expect(records[0]).toMatchObject({
      eventSource: 'aws:kinesis',
      eventName: 'aws:kinesis:record',
      eventVersion: '1.0',
      eventSourceARN: streamArn,
      awsRegion: 'us-east-1',
      kinesis: { kinesisSchemaVersion: '1.0' },
    });
  });

  it('blocks the shard on a function error and retries the same batch until it succeeds', async () => {
    // Prepare
    const { events } = await deploy('k-retry', 'flaky.handler', {}, { environment: { FAIL_TIMES: '3' } });

    // Act
    await putTexts(kinesis, 'k-retry', ['a', 'b']);
    await eventually(async () =>
      (await jsonLines<{ ok: boolean }>(events)).some((l) => l.ok) ? true : undefined,
    );
    await putTexts(kinesis, 'k-retry', ['c']);
    const attempts = await eventually(async () => {
      const lines = await jsonLines<{ attempt: number; ok: boolean; records: string[] }>(events);
      return lines.some((l) => l.records.includes('c')) ? lines : undefined;
    });

    // Assess
    expect(attempts).toEqual([
      { attempt: 1, ok: false, records: ['a', 'b'] },
      { attempt: 2, ok: false, records: ['a', 'b'] },
      { attempt: 3, ok: false, records: ['a', 'b'] },
      { attempt: 4, ok: true, records: ['a', 'b'] },
      { attempt: 5, ok: true, records: ['c'] },
    ]);
  });

  it('bisects a failing batch to isolate a poison record, gives it up after its retries, and moves on', async () => {
    // Prepare
    const failures = await createQueue(sqs, 'k-bisect-failures');
    const { events, streamArn } = await deploy('k-bisect', 'poison.handler', {
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 1,
      onFailureDestination: failures.arn,
    });

    // Act
    const seqs = await putTexts(
      kinesis,
      'k-bisect',
      ['r0', 'r1', 'r2', 'r3', 'r4', 'poison', 'r6', 'r7'],
      () => 'one',
    );
    const discarded = await nextMessage(sqs, failures.url);

    // Assess
    expect(discarded).toMatchObject({
      requestContext: {
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:k-bisect',
        condition: 'RetryAttemptsExhausted',
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: seqs[5],
        endSequenceNumber: seqs[5],
        batchSize: 1,
        streamArn,
      },
    });
    const processed = await eventually(async () => {
      const batches = await jsonLines<string[]>(events);
      return batches.flat().includes('r7') ? batches.flat() : undefined;
    });
    expect(processed).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r6', 'r7']);
  });

  it.each(['sqs', 'sns'] as const)(
    'sends a whole batch to an on-failure destination (%s) when its retries are exhausted, then moves on',
    async (kind) => {
      // Prepare
      const name = `k-exhausted-${kind}`;
      const failures = await createQueue(sqs, `${name}-failures`);
      let destination = failures.arn;
      if (kind === 'sns') {
        const { TopicArn = '' } = await sns.send(new CreateTopicCommand({ Name: `${name}-topic` }));
        await sns.send(
          new SubscribeCommand({
            TopicArn,
            Protocol: 'sqs',
            Endpoint: failures.arn,
            Attributes: { RawMessageDelivery: 'true' },
          }),
        );
        destination = TopicArn;
      }
      const { events } = await deploy(name, 'poison.handler', {
        maximumRetryAttempts: 2,
        onFailureDestination: destination,
      });

      // Act
      const seqs = await putTexts(kinesis, name, ['poison', 'x', 'y'], () => 'one');
      const discarded = await nextMessage<{
        requestContext: object;
        KinesisBatchInfo: Record<string, unknown>;
      }>(sqs, failures.url);
      await putTexts(kinesis, name, ['z']);

      // Assess
      expect(discarded.requestContext).toMatchObject({ approximateInvokeCount: 3 });
      expect(discarded.KinesisBatchInfo).toMatchObject({
        startSequenceNumber: seqs[0],
        endSequenceNumber: seqs[2],
        batchSize: 3,
      });
      expect(typeof discarded.KinesisBatchInfo.approximateArrivalOfFirstRecord).toBe('string');
      const processed = await eventually(async () => {
        const batches = await jsonLines<string[]>(events);
        return batches.length > 0 ? batches : undefined;
      });
      expect(processed).toEqual([['z']]);
    },
  );

  it('checkpoints at the failed record of batchItemFailures and redelivers exactly from there', async () => {
    // Prepare
    const { events } = await deploy('k-partial', 'partial.handler', {
      functionResponseTypes: ['ReportBatchItemFailures'],
    });

    // Act
    await putTexts(kinesis, 'k-partial', ['r1', 'r2', 'fail-once', 'r4', 'r5'], () => 'one');
    const invocations = await eventually(async () => {
      const lines = await jsonLines<{ text: string }[]>(events);
      return lines.length >= 2 ? lines : undefined;
    });

    // Assess
    expect(invocations.map((records) => records.map((r) => r.text))).toEqual([
      ['r1', 'r2', 'fail-once', 'r4', 'r5'],
      ['fail-once', 'r4', 'r5'],
    ]);
  });

  it('carries state through a 2 s tumbling window and closes each window with exactly one final invocation', async () => {
    // Prepare
    const { events, streamArn } = await deploy('k-window', 'window-sum.handler', {
      tumblingWindowInSeconds: 2,
    });
    let total = 0;

    // Act
    for (let round = 0; round < 5; round++) {
      const numbers = [1, 2, 3].map((n) => n + round * 3);
      total += numbers.reduce((a, b) => a + b, 0);
      await putTexts(kinesis, 'k-window', numbers.map(String));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    type Invocation = {
      window: { start: string; end: string };
      final: boolean;
      early: boolean;
      shardId: string;
      eventSourceARN: string;
      stateIn: { sum?: number };
      numbers: number[];
      state: { sum: number };
    };
    const invocations = await eventually(async () => {
      const lines = await jsonLines<Invocation>(events);
      const closed = lines.filter((l) => l.final).reduce((sum, l) => sum + l.state.sum, 0);
      return closed === total ? lines : undefined;
    });

    // Assess
    const finals = invocations.filter((i) => i.final);
    expect(new Set(finals.map((f) => f.window.start)).size).toBe(finals.length);
    expect(finals.length).toBeGreaterThanOrEqual(2);
    for (const final of finals) {
      expect(final.numbers).toEqual([]);
      expect(final.early).toBe(false);
      expect(Date.parse(final.window.end) - Date.parse(final.window.start)).toBe(2000);
      expect(Date.parse(final.window.start) % 2000).toBe(0);
      const batches = invocations.filter((i) => !i.final && i.window.start === final.window.start);
      expect(final.stateIn.sum).toBe(batches.flatMap((b) => b.numbers).reduce((a, b) => a + b, 0));
    }
    expect(invocations.some((i) => !i.final && (i.stateIn.sum ?? 0) > 0)).toBe(true);
    expect(invocations[0]).toMatchObject({ shardId: 'shardId-000000000000', eventSourceARN: streamArn });
  });

  it('ends a window early when its state outgrows 1 MB, and goes on in the same window with a fresh state', async () => {
    // Prepare
    const { events } = await deploy(
      'k-window-early',
      'window-sum.handler',
      { tumblingWindowInSeconds: 2 },
      { environment: { PAD_BYTES: String(1024 * 1024) } },
    );

    // Act
    await putTexts(kinesis, 'k-window-early', ['1', '2', '3']);
    type Invocation = {
      window: { start: string };
      final: boolean;
      early: boolean;
      stateIn: { sum?: number; pad?: number };
    };
    const finals = await eventually(async () => {
      const lines = (await jsonLines<Invocation>(events)).filter((l) => l.final);
      return lines.length >= 2 ? lines : undefined;
    });

    // Assess
    const [early, closing] = finals;
    expect(early).toMatchObject({ early: true, stateIn: { sum: 6, pad: 1024 * 1024 } });
    expect(closing).toMatchObject({ early: false, window: { start: early?.window.start }, stateIn: {} });
    expect(closing?.stateIn.sum).toBeUndefined();
  });

  it('goes on from where it was when its mapping is updated, without losing or repeating records', async () => {
    // Prepare
    const { events, streamArn, uuid } = await deploy('k-update', 'record.handler', { batchSize: 5 });
    const sent = Array.from({ length: 30 }, (_, i) => `r${i}`);
    await putTexts(kinesis, 'k-update', sent, () => 'one');

    // Act
    await service.putEventSourceMapping({
      uuid,
      functionName: 'k-update',
      eventSourceArn: streamArn,
      startingPosition: 'TRIM_HORIZON',
      batchSize: 3,
    });
    const seen = await eventually(async () => {
      const lines = await jsonLines<{ event: KinesisStreamEvent }>(events);
      const texts = lines.flatMap((l) => l.event.Records.map((r) => text(r.kinesis.data)));
      return texts.length >= sent.length ? texts : undefined;
    });

    // Assess
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = (await jsonLines<{ event: KinesisStreamEvent }>(events)).flatMap((l) =>
      l.event.Records.map((r) => text(r.kinesis.data)),
    );
    expect(seen).toEqual(sent);
    expect(all).toEqual(sent);
  });

  it.each(['LATEST', 'AT_TIMESTAMP'] as const)('starts a mapping at %s', async (position) => {
    // Prepare
    const name = `k-start-${position.toLowerCase()}`;
    const events = join(dir, `${name}.jsonl`);
    const streamArn = await createStream(kinesis, name);
    await service.putFunction(fixture('record.handler', { name, environment: { EVENTS_FILE: events } }));
    await putTexts(kinesis, name, ['before']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const between = Date.now() / 1000;

    // Act
    await service.putEventSourceMapping({
      functionName: name,
      eventSourceArn: streamArn,
      startingPosition: position,
      ...(position === 'AT_TIMESTAMP' && { startingPositionTimestamp: between }),
    });
    await putTexts(kinesis, name, ['after']);
    const seen = await eventually(async () => {
      const lines = await jsonLines<{ event: KinesisStreamEvent }>(events);
      return lines.length > 0
        ? lines.flatMap((l) => l.event.Records.map((r) => text(r.kinesis.data)))
        : undefined;
    });

    // Assess
    expect(seen).toEqual(['after']);
  });
});
