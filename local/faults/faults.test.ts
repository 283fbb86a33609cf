import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComprehendClient, DetectSentimentCommand } from '@aws-sdk/client-comprehend';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, createStream, fixture, jsonLines, nextMessage, parse } from '../../testing/lambda.ts';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';
import { installComprehend } from '../comprehend/index.ts';
import type { EmulatorAddress } from '../emulators.ts';
import { FunctionHost } from '../lambda/runtime/host.ts';
import { FunctionLog } from '../lambda/runtime/logs.ts';
import { LambdaService } from '../lambda/service.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../types.ts';
import { INJECTED } from './shapes.ts';

/** A client for an emulator itself, behind the gateway: the ground truth of what was written. */
const direct = (address: EmulatorAddress) => ({
  endpoint: `http://${address.host}:${address.port}`,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
  // kinesalite speaks HTTP/1.1 only; the Kinesis client would use HTTP/2.
  requestHandler: new NodeHttpHandler(),
});

/** The first answer of `send` that `wanted` accepts (each call is throttled its own way). */
async function firstAnswer<T>(send: () => Promise<T>, wanted: (out: T) => boolean): Promise<T> {
  for (let i = 0; i < 50; i++) {
    try {
      const out = await send();
      if (wanted(out)) return out;
    } catch {
      // A refused call: try again.
    }
  }
  throw new Error('no answer of the wanted kind in 50 calls');
}

describe('fault injection is off by default', () => {
  const cloud = useLocalCloud();

  it('has no injector, and the health endpoint names no faults', async () => {
    // Act
    const health = (await (await fetch(`${cloud().endpoint}/_wildrydes/health`)).json()) as {
      faults?: unknown;
      startedAt: string;
    };

    // Assess
    expect(cloud().faults).toBeUndefined();
    expect(health.faults).toBeUndefined();
    expect(Date.parse(health.startedAt)).toBe(cloud().startedAt.getTime());
  });
});

describe('throttling in the gateway, as the SDK sees it', () => {
  const cloud = useLocalCloud({
    faults: { throttle: { kinesis: 1, dynamodb: 1, comprehend: 1 }, crash: 0, timeout: 0, seed: 3 },
  });
  let kinesis: KinesisClient;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    installComprehend(cloud());
    kinesis = new KinesisClient({ ...clientConfig(cloud()), maxAttempts: 1 });
    dynamodb = new DynamoDBClient({ ...clientConfig(cloud()), maxAttempts: 1 });
    // Control-plane calls are never throttled, so the resources can be made through the gateway.
    await createStream(kinesis, 'faults');
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Faults',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await eventually(async () => {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'Faults' }));
      return Table?.TableStatus === 'ACTIVE' ? true : undefined;
    });
  });

  /** One call of each service, with a client that tries twice. */
  type Call = (config: ReturnType<typeof clientConfig> & { maxAttempts: number }) => Promise<unknown>;
  const getRecords: Call = async (config) => {
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'faults',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    return new KinesisClient(config).send(new GetRecordsCommand({ ShardIterator }));
  };
  const scan: Call = (config) => new DynamoDBClient(config).send(new ScanCommand({ TableName: 'Faults' }));
  const detectSentiment: Call = (config) =>
    new ComprehendClient(config).send(
      new DetectSentimentCommand({ Text: 'A lovely ride', LanguageCode: 'en' }),
    );

  it.each([
    ['Kinesis GetRecords', getRecords, /^ProvisionedThroughputExceededException$/],
    ['DynamoDB Scan', scan, /^(ProvisionedThroughputExceededException|ThrottlingException)$/],
    ['Comprehend DetectSentiment', detectSentiment, /^ThrottlingException$/],
  ])('refuses %s with a 400 the SDK retries as throttling', async (_call, call, errorName) => {
    // Act
    const error = await call({ ...clientConfig(cloud()), maxAttempts: 2 }).then(
      () => undefined,
      (err: unknown) => err as Error & { $metadata: { httpStatusCode?: number; attempts?: number } },
    );

    // Assess
    expect(error?.name).toMatch(errorName);
    expect(error?.message).toContain(INJECTED);
    expect(error?.$metadata.httpStatusCode).toBe(400);
    expect(error?.$metadata.attempts).toBe(2);
  });

  it('fails some PutRecords entries in a 200, and writes only the others', async () => {
    // Prepare
    const texts = Array.from({ length: 10 }, (_, i) => `entry-${i}`);
    const put = () =>
      kinesis.send(
        new PutRecordsCommand({
          StreamName: 'faults',
          Records: texts.map((t) => ({ Data: Buffer.from(t), PartitionKey: t })),
        }),
      );

    // Act
    const out: PutRecordsCommandOutput = await firstAnswer(put, (o) => (o.FailedRecordCount ?? 0) > 0);

    // Assess
    const results = out.Records ?? [];
    const accepted = texts.filter((_, i) => !results[i]?.ErrorCode);
    expect(results).toHaveLength(texts.length);
    expect(out.FailedRecordCount).toBe(texts.length - accepted.length);
    expect(results.filter((r) => r.ErrorCode).map((r) => r.ErrorCode)).toEqual(
      Array(out.FailedRecordCount).fill('ProvisionedThroughputExceededException'),
    );
    const emulator = new KinesisClient(direct(cloud().emulators.kinesis));
    const { ShardIterator } = await emulator.send(
      new GetShardIteratorCommand({
        StreamName: 'faults',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const stored = await emulator.send(new GetRecordsCommand({ ShardIterator }));
    expect((stored.Records ?? []).map((r) => Buffer.from(r.Data ?? []).toString())).toEqual(accepted);
  });

  it('leaves some BatchWriteItem requests in UnprocessedItems, and writes only the others', async () => {
    // Prepare
    const ids = Array.from({ length: 10 }, (_, i) => `item-${i}`);
    const write = () =>
      dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { Faults: ids.map((id) => ({ PutRequest: { Item: { id: { S: id } } } })) },
        }),
      );

    // Act
    const out = await firstAnswer(write, (o) => (o.UnprocessedItems?.Faults ?? []).length > 0);

    // Assess
    const unprocessed = (out.UnprocessedItems?.Faults ?? []).map((r) => r.PutRequest?.Item?.id?.S);
    expect(unprocessed.length).toBeLessThan(ids.length);
    const emulator = new DynamoDBClient(direct(cloud().emulators.dynamodb));
    const { Items = [] } = await emulator.send(new ScanCommand({ TableName: 'Faults' }));
    expect(Items.map((i) => i.id?.S).sort()).toEqual(ids.filter((id) => !unprocessed.includes(id)).sort());
  });

  it('counts what it injected', () => {
    // Act
    const stats = cloud().faults?.stats();

    // Assess
    expect(stats?.refused['kinesis.GetRecords']).toBeGreaterThan(0);
    expect(stats?.refused['comprehend.DetectSentiment']).toBeGreaterThan(0);
    expect(stats?.partial['kinesis.PutRecords']?.entries).toBeGreaterThan(0);
    expect(stats?.partial['dynamodb.BatchWriteItem']?.calls).toBeGreaterThan(0);
  });
});

describe('crashes and timeouts of a function, mid-batch', () => {
  let dir: string;
  let host: FunctionHost | undefined;
  const log = new FunctionLog('fn-faults');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-faults-'));
  });
  afterAll(async () => {
    await host?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  const start = (handler: string, timeoutSeconds = 10) => {
    const events = join(dir, `${handler}-${Math.random()}.jsonl`);
    host = new FunctionHost(fixture(handler, { timeoutSeconds, environment: { EVENTS_FILE: events } }), {
      endpoint: 'http://127.0.0.1:1',
      log,
    });
    return { host, events };
  };

  it.each([
    ['crash', 'just before the answer', undefined, 'Runtime.ExitError', 'the function process crashes'],
    [
      'crash',
      'due after 5 s, the handler done sooner',
      5_000,
      'Runtime.ExitError',
      'the function process crashes',
    ],
    ['timeout', 'just before the answer', undefined, 'Sandbox.Timedout', 'the function stops answering'],
  ] as const)(
    "a %s %s fails the invocation; the handler's writes stay",
    async (kind, _when, afterMs, errorType, line) => {
      // Prepare
      const { host, events } = start('record.handler', 1);

      // Act
      const result = await host.invoke(JSON.stringify({ Records: [] }), { fault: { kind, afterMs } });

      // Assess
      expect(result.functionError).toBe('Unhandled');
      expect(parse(result.payload).errorType).toBe(errorType);
      expect(result.logs.join('\n')).toContain(`[fault injection] ${line}`);
      expect(result.logs.join('\n')).toContain('after the handler finished');
      expect(await jsonLines(events)).toHaveLength(1);
    },
  );

  it('a crash mid-run stops the handler; the next invocation gets a new process', async () => {
    // Prepare
    const { host } = start('sleep.handler');

    // Act
    const crashed = await host.invoke(JSON.stringify({ ms: 5_000 }), {
      fault: { kind: 'crash', afterMs: 20 },
    });
    const next = await host.invoke(JSON.stringify({ ms: 1 }));

    // Assess
    expect(parse(crashed.payload)).toMatchObject({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringContaining('exit status 1'),
    });
    expect(crashed.logs.join('\n')).toMatch(/crashes \d+ ms into the invocation/);
    expect(crashed.logs.join('\n')).not.toContain('after the handler finished');
    expect(next.functionError).toBeUndefined();
    expect(parse(next.payload)).toEqual({ slept: 1 });
  });
});

describe('invocation faults in the Lambda service', () => {
  const cloud = useLocalCloud({ faults: { throttle: {}, crash: 1, timeout: 0, seed: 1 } });
  let service: LambdaService;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-faults-service-'));
    service = new LambdaService({ endpoint: cloud().endpoint, faults: cloud().faults });
    cloud().register('lambda', service.handle);
  });
  afterAll(async () => {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('crashes invocations by a mapping, each retry too, until the batch goes to the on-failure destination', async () => {
    // Prepare
    const kinesis = new KinesisClient(clientConfig(cloud()));
    const sqs = new SQSClient(clientConfig(cloud()));
    const events = join(dir, 'crash.jsonl');
    const streamArn = await createStream(kinesis, 'crashes');
    const failures = await createQueue(sqs, 'crashes-failures');
    await service.putFunction(
      fixture('record.handler', { name: 'fn-crash', environment: { EVENTS_FILE: events } }),
    );
    await service.putEventSourceMapping({
      functionName: 'fn-crash',
      eventSourceArn: streamArn,
      startingPosition: 'TRIM_HORIZON',
      maximumRetryAttempts: 1,
      onFailureDestination: failures.arn,
    });

    // Act
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'crashes',
        Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }],
      }),
    );
    const discarded = await nextMessage<{ KinesisBatchInfo: { batchSize: number } }>(sqs, failures.url);

    // Assess
    expect(discarded.KinesisBatchInfo.batchSize).toBe(1);
    expect(await jsonLines(events)).toHaveLength(2);
    expect(cloud().faults?.stats().crashes['fn-crash']).toBe(2);
  });

  it('leaves a direct Invoke alone', async () => {
    // Prepare
    await service.putFunction(fixture('sleep.handler', { name: 'fn-direct' }));

    // Act
    const result = await service.invoke('fn-direct', { ms: 1 });

    // Assess
    expect(result.functionError).toBeUndefined();
    expect(cloud().faults?.stats().crashes['fn-direct']).toBeUndefined();
  });
});
