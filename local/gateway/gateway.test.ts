import { networkInterfaces } from 'node:os';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';
import { startLocalCloud } from '../cloud.ts';
import { serviceOf } from './scope.ts';

/** A non-loopback IPv4 address of this machine; all addresses when it has none (a bare container). */
const OWN_ADDRESS =
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a?.family === 'IPv4' && !a.internal)?.address ?? '0.0.0.0';

describe('serviceOf', () => {
  it.each([
    [
      {
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/kinesis/aws4_request, SignedHeaders=host',
      },
      '/',
      'kinesis',
    ],
    [
      { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261123/eu-west-1/s3/aws4_request,Signature=x' },
      '/b/k',
      's3',
    ],
    [
      {},
      '/bucket/key?X-Amz-Credential=test%2F20261123%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=x',
      's3',
    ],
    [{ 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '/', 'dynamodb'],
    [{}, '/', undefined],
  ])('reads the service from %j %s', (headers, url, expected) => {
    // Act & Assess
    expect(serviceOf(headers, url)).toBe(expected);
  });
});

describe('gateway', () => {
  const cloud = useLocalCloud();

  it('serves Kinesis to the SDK client over HTTP/2 and HTTP/1.1', async () => {
    // Prepare
    const http2 = new KinesisClient(clientConfig(cloud()));
    const http1 = new KinesisClient({ ...clientConfig(cloud()), requestHandler: new NodeHttpHandler() });
    await http2.send(new CreateStreamCommand({ StreamName: 'gw-test', ShardCount: 1 }));
    await eventually(async () => {
      const { StreamDescriptionSummary: s } = await http2.send(
        new DescribeStreamSummaryCommand({ StreamName: 'gw-test' }),
      );
      return s?.StreamStatus === 'ACTIVE' || undefined;
    });

    // Act
    const put = await http2.send(
      new PutRecordsCommand({
        StreamName: 'gw-test',
        Records: [1, 2, 3].map((n) => ({ PartitionKey: 'Shadowfax', Data: Buffer.from(`{"n":${n}}`) })),
      }),
    );
    const shards = await http1.send(new ListShardsCommand({ StreamName: 'gw-test' }));
    const iterator = await http1.send(
      new GetShardIteratorCommand({
        StreamName: 'gw-test',
        ShardId: shards.Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const got = await http2.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));

    // Assess
    expect(put.FailedRecordCount).toBe(0);
    expect(got.Records?.map((r) => Buffer.from(r.Data ?? []).toString())).toEqual([
      '{"n":1}',
      '{"n":2}',
      '{"n":3}',
    ]);
  });

  it('serves DynamoDB', async () => {
    // Prepare
    const ddb = new DynamoDBClient(clientConfig(cloud()));
    await ddb.send(
      new CreateTableCommand({
        TableName: 'gw-table',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await eventually(async () => {
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'gw-table' }));
      return Table?.TableStatus === 'ACTIVE' || undefined;
    });

    // Act
    await ddb.send(new PutItemCommand({ TableName: 'gw-table', Item: { id: { S: 'a' }, n: { N: '1' } } }));
    const item = await ddb.send(new GetItemCommand({ TableName: 'gw-table', Key: { id: { S: 'a' } } }));

    // Assess
    expect(item.Item?.n?.N).toBe('1');
  });

  it('serves S3, SQS and SNS', async () => {
    // Prepare
    const s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
    const sqs = new SQSClient(clientConfig(cloud()));
    const sns = new SNSClient(clientConfig(cloud()));

    // Act
    await s3.send(new CreateBucketCommand({ Bucket: 'gw-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'gw-bucket', Key: 'notes/a.md', Body: '# hello' }));
    const object = await s3.send(new GetObjectCommand({ Bucket: 'gw-bucket', Key: 'notes/a.md' }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'gw-queue' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.QueueUrl, MessageBody: 'hi' }));
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, WaitTimeSeconds: 1 }),
    );
    const topic = await sns.send(new CreateTopicCommand({ Name: 'gw-topic' }));
    const topics = await sns.send(new ListTopicsCommand({}));

    // Assess
    expect(await object.Body?.transformToString()).toBe('# hello');
    expect(received.Messages?.[0]?.Body).toBe('hi');
    expect(topics.Topics?.map((t) => t.TopicArn)).toContain(topic.TopicArn);
  });

  it('answers an unknown service with an AWS-shaped error naming it', async () => {
    // Act
    const res = await fetch(cloud().endpoint, {
      method: 'POST',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/glacier/aws4_request, Signature=x',
      },
    });

    // Assess
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownServiceException');
    expect(await res.text()).toContain("'glacier'");
  });

  it('reports each service in its health check', async () => {
    // Act
    const res = await fetch(`${cloud().endpoint}/_wildrydes/health`);
    const health = (await res.json()) as { services: Record<string, { state: string }> };

    // Assess
    expect(health.services.kinesis?.state).toBe('running');
    expect(Object.keys(health.services)).toEqual(
      expect.arrayContaining(['kinesis', 'dynamodb', 's3', 'sqs', 'sns']),
    );
  });

  it('says the port is in use when started twice', async () => {
    // Act & Assess
    await expect(startLocalCloud({ port: cloud().port })).rejects.toThrow(`port ${cloud().port} is in use`);
  });

  it.each(['0.0.0.0', '192.168.1.10', OWN_ADDRESS])(
    'refuses to bind %s without allowRemote',
    async (host) => {
      // Act & Assess
      await expect(startLocalCloud({ host, port: 0 })).rejects.toThrow(/loopback only/);
    },
  );

  it(`binds ${OWN_ADDRESS}, an address of this machine, when allowRemote says so`, async () => {
    // Act
    const remote = await startLocalCloud({ host: OWN_ADDRESS, port: 0, allowRemote: true });
    const reachable = OWN_ADDRESS === '0.0.0.0' ? '127.0.0.1' : OWN_ADDRESS;
    const health = `http://${reachable}:${remote.port}/_wildrydes/health`;
    const res = await fetch(health, { headers: { authorization: `Bearer ${remote.secret}` } }).finally(() =>
      remote.stop(),
    );

    // Assess
    expect(remote.endpoint).toBe(`http://${OWN_ADDRESS}:${remote.port}`);
    expect(res.status).toBe(200);
  });

  it('says so when allowed to bind an address this machine does not have', async () => {
    // Act & Assess: 203.0.113.0/24 is reserved for documentation, never assigned
    await expect(startLocalCloud({ host: '203.0.113.1', port: 0, allowRemote: true })).rejects.toThrow(
      /cannot listen on 203\.0\.113\.1: it is not an address of this machine/,
    );
  });
});
