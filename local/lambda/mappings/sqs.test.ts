import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, fixture, jsonLines, nextBody } from '../../../testing/lambda.ts';
import { clientConfig, eventually, useLocalCloud } from '../../../testing/local-cloud.ts';
import type { EventSourceMappingDefinition } from '../../types.ts';
import { LambdaService } from '../service.ts';

describe.concurrent('SQS event source mappings', () => {
  const cloud = useLocalCloud();
  let service: LambdaService;
  let sqs: SQSClient;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lambda-sqs-'));
    service = new LambdaService({ endpoint: cloud().endpoint });
    sqs = new SQSClient(clientConfig(cloud()));
  });
  afterAll(async () => {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A queue with a dead-letter queue (maxReceiveCount 2, visibility 1 s), a fixture function, a mapping. */
  async function deploy(name: string, handler: string, mapping: Partial<EventSourceMappingDefinition> = {}) {
    const events = join(dir, `${name}.jsonl`);
    const dlq = await createQueue(sqs, `${name}-dlq`);
    const queue = await createQueue(sqs, name, {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    await service.putFunction(fixture(handler, { name, environment: { EVENTS_FILE: events } }));
    await service.putEventSourceMapping({ functionName: name, eventSourceArn: queue.arn, ...mapping });
    return { events, queue, dlq };
  }

  const send = (url: string, bodies: string[]) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: bodies.map((body, i) => ({
          Id: String(i),
          MessageBody: body,
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
        })),
      }),
    );

  const inQueue = async (url: string) => {
    const { Attributes: a } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(a?.ApproximateNumberOfMessages) + Number(a?.ApproximateNumberOfMessagesNotVisible);
  };

  it('delivers messages in batches of BatchSize and deletes them when the function succeeds', async () => {
    // Prepare
    const { events, queue } = await deploy('q-success', 'record.handler', { batchSize: 2 });

    // Act
    await send(queue.url, ['m1', 'm2', 'm3', 'm4', 'm5']);
    const batches = await eventually(async () => {
      const lines = await jsonLines<{ event: SQSEvent }>(events);
      return lines.flatMap((l) => l.event.Records).length >= 5 ? lines.map((l) => l.event) : undefined;
    });

    // Assess
    const records = batches.flatMap((b) => b.Records);
    expect(records.map((r) => r.body).sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(Math.max(...batches.map((b) => b.Records.length))).toBeLessThanOrEqual(2);
    expect(records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { kind: { stringValue: 'test', dataType: 'String' } },
    });
    expect(records[0]?.messageId).toBeTruthy();
    expect(records[0]?.receiptHandle).toBeTruthy();
    expect(records[0]?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    await eventually(async () => ((await inQueue(queue.url)) === 0 ? true : undefined));
  });

  it('returns a failed message after the visibility timeout and moves it to the DLQ after maxReceiveCount', async () => {
    // Prepare
    const { events, queue, dlq } = await deploy('q-fail', 'fail.handler');

    // Act
    await send(queue.url, ['doomed']);
    const deadLetter = await nextBody(sqs, dlq.url);

    // Assess
    expect(deadLetter).toBe('doomed');
    const received = (await jsonLines<{ body: string; receiveCount: string }[]>(events)).flat();
    expect(received).toEqual([
      { body: 'doomed', receiveCount: '1' },
      { body: 'doomed', receiveCount: '2' },
    ]);
  });

  it('deletes only the messages that succeeded with ReportBatchItemFailures', async () => {
    // Prepare
    const { events, queue, dlq } = await deploy('q-partial', 'partial.handler', {
      functionResponseTypes: ['ReportBatchItemFailures'],
    });

    // Act
    await send(queue.url, ['good1', 'fail-once', 'bad', 'good2']);
    const deadLetter = await nextBody(sqs, dlq.url);

    // Assess
    expect(deadLetter).toBe('bad');
    const received = (await jsonLines<{ text: string; receiveCount: string }[]>(events)).flat();
    const receipts = (body: string) => received.filter((r) => r.text === body).map((r) => r.receiveCount);
    expect(receipts('good1')).toEqual(['1']);
    expect(receipts('good2')).toEqual(['1']);
    expect(receipts('fail-once')).toEqual(['1', '2']);
    expect(receipts('bad')).toEqual(['1', '2']);
    await eventually(async () => ((await inQueue(queue.url)) === 0 ? true : undefined));
  });
});
