import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';
import { installEvents } from './index.ts';
import type { LocalEventBridge } from './service.ts';

const queueArn = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;

describe('local EventBridge', () => {
  const cloud = useLocalCloud();
  let events: LocalEventBridge;
  let s3: S3Client;
  let sqs: SQSClient;

  /** Calls the EventBridge API as the SDK would (JSON 1.1); the gateway routes by X-Amz-Target. */
  const api = async (operation: string, input: unknown) => {
    const res = await fetch(cloud().endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${operation}` },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const queue = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';

  const receive = (url: string) =>
    eventually(
      async () => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
        return Messages?.[0]?.Body ? JSON.parse(Messages[0].Body) : undefined;
      },
      10_000,
      `a message on ${url}`,
    );

  beforeAll(() => {
    events = installEvents(cloud());
    s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
    sqs = new SQSClient(clientConfig(cloud()));
  });

  it('delivers S3 "Object Created" events for .md keys to the rule\'s queues', async () => {
    // Prepare
    const [conversion, sentiment] = [await queue('conversion'), await queue('sentiment')];
    await s3.send(new CreateBucketCommand({ Bucket: 'notes-in' }));
    events.enableBucket('notes-in');
    await events.putRule({
      name: 'MarkdownUploaded',
      state: 'ENABLED',
      eventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: ['notes-in'] }, object: { key: [{ suffix: '.md' }] } },
      },
      targets: [
        { id: 'Target0', arn: queueArn('conversion') },
        { id: 'Target1', arn: queueArn('sentiment') },
      ],
    });

    // Act
    await s3.send(new PutObjectCommand({ Bucket: 'notes-in', Key: 'ignored.txt', Body: 'not markdown' }));
    await s3.send(new PutObjectCommand({ Bucket: 'notes-in', Key: 'dir/red flower.md', Body: '# Hello' }));

    // Assess
    for (const url of [conversion, sentiment]) {
      const event = await receive(url);
      expect(event).toMatchObject({
        version: '0',
        source: 'aws.s3',
        'detail-type': 'Object Created',
        account: LOCAL_ACCOUNT,
        region: LOCAL_REGION,
        resources: ['arn:aws:s3:::notes-in'],
        detail: {
          version: '0',
          bucket: { name: 'notes-in' },
          object: { key: 'dir/red+flower.md', size: 7, etag: expect.stringMatching(/^[0-9a-f]{32}$/) },
          reason: 'PutObject',
          requester: LOCAL_ACCOUNT,
        },
      });
      expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(event.detail.object.sequencer).toMatch(/^[0-9A-F]+$/);
    }
    await events.idle();
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: conversion, WaitTimeSeconds: 1 }),
    );
    expect(Messages ?? []).toEqual([]);
  });

  it('turns a bucket on through PutBucketNotificationConfiguration, as CDK does', async () => {
    // Prepare
    const url = await queue('any-object');
    await s3.send(new CreateBucketCommand({ Bucket: 'via-api' }));
    await api('PutRule', {
      Name: 'AnyObject',
      EventPattern: JSON.stringify({ source: ['aws.s3'], detail: { bucket: { name: ['via-api'] } } }),
    });
    await api('PutTargets', { Rule: 'AnyObject', Targets: [{ Id: 'q', Arn: queueArn('any-object') }] });

    // Act
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'via-api',
        NotificationConfiguration: { EventBridgeConfiguration: {} },
      }),
    );
    await eventually(async () => (events.eventBridgeBuckets().includes('via-api') ? true : undefined));
    await s3.send(new PutObjectCommand({ Bucket: 'via-api', Key: 'x.md', Body: 'x' }));

    // Assess
    expect((await receive(url)).detail.object.key).toBe('x.md');
  });

  it('sends nothing for a bucket whose notifications are off', async () => {
    // Prepare
    const url = await queue('silent');
    await s3.send(new CreateBucketCommand({ Bucket: 'quiet-bucket' }));
    await events.putRule({
      name: 'Quiet',
      state: 'ENABLED',
      eventPattern: { source: ['aws.s3'], detail: { bucket: { name: ['quiet-bucket'] } } },
      targets: [{ id: 'q', arn: queueArn('silent') }],
    });

    // Act
    await s3.send(new PutObjectCommand({ Bucket: 'quiet-bucket', Key: 'x.md', Body: 'x' }));
    await new Promise((r) => setTimeout(r, 300));
    await events.idle();

    // Assess
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    expect(Messages ?? []).toEqual([]);
  });

  it('accepts PutEvents and delivers matching events', async () => {
    // Prepare
    const url = await queue('custom');
    await api('PutRule', { Name: 'Custom', EventPattern: JSON.stringify({ source: ['wildrydes.test'] }) });
    await api('PutTargets', { Rule: 'Custom', Targets: [{ Id: 'q', Arn: queueArn('custom') }] });

    // Act
    const { status, body } = await api('PutEvents', {
      Entries: [{ Source: 'wildrydes.test', DetailType: 'Ping', Detail: JSON.stringify({ n: 1 }) }],
    });

    // Assess
    expect(status).toBe(200);
    expect(body).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    expect(await receive(url)).toMatchObject({
      source: 'wildrydes.test',
      'detail-type': 'Ping',
      detail: { n: 1 },
    });
  });

  it.each([
    ['a null entry', { Entries: [null] }, 'ValidationException'],
    ['a null body', null, 'SerializationException'],
    [
      'entries over 256 KB (the gateway takes the request, EventBridge refuses it)',
      {
        Entries: [
          { Source: 'wildrydes.test', DetailType: 'Big', Detail: JSON.stringify({ x: 'a'.repeat(300_000) }) },
        ],
      },
      'ValidationException',
    ],
  ])('answers %s with a 400 the SDK does not retry', async (_what, input, code) => {
    // Act
    const { status, body } = await api('PutEvents', input);

    // Assess
    expect(status).toBe(400);
    expect(body.__type).toBe(code);
  });

  it('lists rules and refuses bad patterns the way EventBridge does', async () => {
    // Act
    const list = await api('ListRules', { NamePrefix: 'Custom' });
    const bad = await api('PutRule', { Name: 'Bad', EventPattern: '{"source": "aws.s3"}' });
    const unknown = await api('DescribeRule', { Name: 'Nope' });

    // Assess
    expect(list.body.Rules).toEqual([expect.objectContaining({ Name: 'Custom', State: 'ENABLED' })]);
    expect(bad.status).toBe(400);
    expect(bad.body.__type).toBe('InvalidEventPatternException');
    expect(unknown.body.__type).toBe('ResourceNotFoundException');
  });
});
