import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import {
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { FIXTURE_APP, RecordingControls, tempDir } from '../../testing/cloudformation.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { LocalDeployer } from './deployer.ts';
import { StackInUseError, UnsupportedIntrinsicError, UnsupportedResourceError } from './errors.ts';
import type { DeployProgressEvent } from './progress.ts';
import { emailSubscriptions, eventBridgeBuckets } from './queries.ts';
import { synthesize } from './synth.ts';
import type { CfnTemplate } from './template.ts';

const cloud = useLocalCloud();
const clients = () => {
  const config = clientConfig(cloud());
  return {
    kinesis: new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() }),
    dynamodb: new DynamoDBClient(config),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
};

const queueAttributes = async (sqs: SQSClient, name: string) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  return out.Attributes ?? {};
};

/** Names of everything that exists in the emulators, to show a failed deploy created nothing. */
const inventory = async (c: ReturnType<typeof clients>) => ({
  streams: (await c.kinesis.send(new ListStreamsCommand({}))).StreamNames ?? [],
  tables: (await c.dynamodb.send(new ListTablesCommand({}))).TableNames ?? [],
  queues: (await c.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [],
  topics: (await c.sns.send(new ListTopicsCommand({}))).Topics ?? [],
  buckets: (await c.s3.send(new ListBucketsCommand({}))).Buckets ?? [],
});

describe('LocalDeployer with the fixture CDK app', () => {
  let outdir = '';
  let cleanup = async () => {};
  let controls: RecordingControls;
  let deployer: LocalDeployer;
  let c: ReturnType<typeof clients>;
  const progress: DeployProgressEvent[] = [];

  beforeAll(async () => {
    ({ dir: outdir, cleanup } = await tempDir('deploy'));
    await synthesize({ app: FIXTURE_APP, outdir, context: { batchSize: 100 } });
    controls = new RecordingControls();
    deployer = new LocalDeployer({
      endpoint: cloud().endpoint,
      lambda: controls,
      events: controls,
      stateFile: join(outdir, 'state', 'deployer.json'),
      onProgress: (e) => progress.push(e),
    });
    c = clients();
  }, 120_000);

  afterAll(async () => {
    await deployer?.close();
    await cleanup();
  });

  it('deploys both stacks in dependency order', async () => {
    // Act
    const results = await deployer.deployAssembly(outdir);
    // Assess
    expect(results.map((r) => r.stackName)).toEqual(['FixtureStreams', 'FixtureConsumers']);
    expect(deployer.deployedStacks()).toEqual(['FixtureStreams', 'FixtureConsumers']);
    expect(progress.map(String)).toContain(
      'deploying stack FixtureStreams: CREATE Kinesis::Stream fixture-telemetry',
    );
    expect(String(progress.at(-1))).toMatch(/^deployed stack FixtureConsumers: \d+ created in [\d.]+ s$/);
  });

  it('creates the stream with its shards and retention', async () => {
    // Act
    const { StreamDescriptionSummary: stream } = await c.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: 'fixture-telemetry' }),
    );
    // Assess
    expect(stream?.StreamStatus).toBe('ACTIVE');
    expect(stream?.OpenShardCount).toBe(2);
    expect(stream?.RetentionPeriodHours).toBe(48);
  });

  it('creates the tables with keys, billing mode and index', async () => {
    // Act
    const { Table: readings } = await c.dynamodb.send(
      new DescribeTableCommand({ TableName: 'FixtureStreams-Readings9F99D490' }),
    );
    const { Table: totals } = await c.dynamodb.send(
      new DescribeTableCommand({ TableName: 'fixture-totals' }),
    );
    // Assess
    expect(readings?.TableStatus).toBe('ACTIVE');
    expect(readings?.KeySchema).toEqual([
      { AttributeName: 'Name', KeyType: 'HASH' },
      { AttributeName: 'StatusTime', KeyType: 'RANGE' },
    ]);
    expect(readings?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(readings?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['ByTime']);
    expect(totals?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
  });

  it('creates the queues with their attributes and the DLQ ARN in the redrive policy', async () => {
    // Act
    const dlq = await queueAttributes(c.sqs, 'FixtureStreams-FailuresDlq819D63D9');
    const work = await queueAttributes(c.sqs, 'FixtureStreams-WorkBF636A8B');
    // Assess
    expect(dlq.MessageRetentionPeriod).toBe('1209600');
    expect(work.VisibilityTimeout).toBe('90');
    expect(JSON.parse(work.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: dlq.QueueArn,
      maxReceiveCount: 3,
    });
  });

  it('creates the bucket with EventBridge on and the topic with its subscriptions', async () => {
    // Prepare
    const bucket = deployer.outputs('FixtureStreams').BucketName ?? '';
    const topicArn = deployer.outputs('FixtureStreams').TopicArn ?? '';
    // Act
    await c.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const { Subscriptions } = await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    // Assess
    expect(bucket).toBe('fixturestreams-notes5bb3582f');
    expect(eventBridgeBuckets(deployer.stacks.live())).toEqual([bucket]);
    expect(Subscriptions?.map((s) => s.Protocol).sort()).toEqual(['email', 'sqs']);
    expect(emailSubscriptions(deployer.stacks.live())).toEqual([
      expect.objectContaining({ topicArn, protocol: 'email', endpoint: 'instructor@example.com' }),
    ]);
  });

  it('hands the functions to the Lambda service with their bundled code and resolved environment', () => {
    // Prepare
    const workUrl = deployer.resources('FixtureStreams').find((r) => r.logicalId === 'WorkBF636A8B')?.ref;
    // Act
    const consumer = [...controls.functions.values()].find((f) => f.name.includes('Consumer'));
    const tail = [...controls.functions.values()].find((f) => f.name.includes('Tail'));
    // Assess
    expect(controls.functions.size).toBe(2);
    expect(consumer).toMatchObject({
      name: 'FixtureStreams-Consumer8D6BE417',
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      timeoutSeconds: 20,
      memorySizeMb: 128,
      role: 'arn:aws:iam::000000000000:role/FixtureStreams-ConsumerServiceRoleF0394C51',
      environment: {
        TABLE_NAME: 'FixtureStreams-Readings9F99D490',
        TOTALS_TABLE: 'fixture-totals',
        QUEUE_URL: workUrl,
      },
    });
    expect(existsSync(join(consumer?.codeDir ?? '', 'index.mjs'))).toBe(true);
    expect(tail?.environment).toEqual({ STREAM_NAME: 'fixture-telemetry' });
  });

  it('maps every event source mapping property', () => {
    // Prepare
    const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:FixtureStreams-FailuresDlq819D63D9';
    // Act
    const mappings = [...controls.mappings.values()];
    // Assess
    expect(mappings).toHaveLength(2);
    expect(mappings.find((m) => m.functionName === 'FixtureStreams-Consumer8D6BE417')).toEqual({
      uuid: expect.any(String),
      functionName: 'FixtureStreams-Consumer8D6BE417',
      eventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/fixture-telemetry',
      batchSize: 100,
      maximumBatchingWindowInSeconds: 1,
      startingPosition: 'TRIM_HORIZON',
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 2,
      functionResponseTypes: ['ReportBatchItemFailures'],
      onFailureDestination: dlqArn,
      tumblingWindowInSeconds: 30,
      enabled: true,
    });
  });

  it('puts the rule with the bucket name and the queue ARN resolved', () => {
    // Act
    const [rule] = [...controls.rules.values()];
    // Assess
    expect(rule).toEqual({
      name: 'FixtureStreams-NoteCreated5F5A3526',
      state: 'ENABLED',
      eventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: ['fixturestreams-notes5bb3582f'] } },
      },
      targets: [{ id: 'Target0', arn: 'arn:aws:sqs:us-east-1:000000000000:FixtureStreams-WorkBF636A8B' }],
    });
  });

  it('records IAM, alarms, policies and custom-resource handlers without running them', () => {
    // Act
    const resources = deployer.resources('FixtureStreams');
    const recorded = resources.filter((r) => r.recordedOnly).map((r) => r.type);
    // Assess
    expect(new Set(recorded)).toEqual(
      new Set([
        'AWS::IAM::Role',
        'AWS::IAM::Policy',
        'AWS::SQS::QueuePolicy',
        'AWS::S3::BucketPolicy',
        'AWS::CloudWatch::Alarm',
        'AWS::CDK::Metadata',
        'AWS::Lambda::Function',
      ]),
    );
    expect([...controls.functions.keys()].some((name) => name.includes('CustomS3AutoDelete'))).toBe(false);
  });

  it('re-deploys an unchanged assembly without a single call', async () => {
    // Prepare
    const mark = controls.calls.length;
    // Act
    const results = await deployer.deployAssembly(outdir);
    // Assess
    expect(results.map((r) => r.counts)).toEqual([
      expect.objectContaining({ created: 0, updated: 0, replaced: 0, deleted: 0 }),
      expect.objectContaining({ created: 0, updated: 0, replaced: 0, deleted: 0 }),
    ]);
    expect(controls.since(mark)).toEqual([]);
  });

  it('re-deploys a changed batch size by updating only the mapping', async () => {
    // Prepare
    await synthesize({ app: FIXTURE_APP, outdir, context: { batchSize: 50 } });
    const mark = controls.calls.length;
    const before = [...controls.mappings.keys()];
    // Act
    const results = await deployer.deployAssembly(outdir);
    // Assess
    expect(results.map((r) => [r.stackName, r.counts.updated, r.counts.created, r.counts.replaced])).toEqual([
      ['FixtureStreams', 1, 0, 0],
      ['FixtureConsumers', 0, 0, 0],
    ]);
    const calls = controls.since(mark);
    expect(calls).toEqual([{ op: 'putEventSourceMapping', def: expect.objectContaining({ batchSize: 50 }) }]);
    expect([...controls.mappings.keys()]).toEqual(before);
  }, 60_000);

  it('keeps its state in the state file across deployer instances', async () => {
    // Prepare
    const again = new LocalDeployer({
      endpoint: cloud().endpoint,
      lambda: controls,
      events: controls,
      stateFile: join(outdir, 'state', 'deployer.json'),
    });
    // Act
    await again.ready();
    // Assess
    expect(again.deployedStacks()).toEqual(['FixtureStreams', 'FixtureConsumers']);
    expect(again.outputs('FixtureStreams')).toEqual(deployer.outputs('FixtureStreams'));
    await again.close();
  });

  it('refuses to destroy a stack whose exports another stack imports', async () => {
    // Act
    const act = deployer.destroy('FixtureStreams');
    // Assess
    await expect(act).rejects.toThrow(StackInUseError);
    await expect(deployer.destroy('FixtureStreams')).rejects.toThrow(
      'cannot destroy stack FixtureStreams: FixtureConsumers still imports its exports; destroy that stack first',
    );
  });

  it('destroys everything, dependents first, emptying the bucket', async () => {
    // Prepare
    const bucket = deployer.outputs('FixtureStreams').BucketName ?? '';
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes/a.md', Body: '# hi' }));
    // Act
    const consumers = await deployer.destroy('FixtureConsumers');
    const streams = await deployer.destroy('FixtureStreams');
    // Assess
    expect([consumers, streams]).toEqual([true, true]);
    expect(deployer.deployedStacks()).toEqual([]);
    expect(await inventory(c)).toEqual({ streams: [], tables: [], queues: [], topics: [], buckets: [] });
    expect(controls.functions.size).toBe(0);
    expect(controls.mappings.size).toBe(0);
    expect(controls.rules.size).toBe(0);
    expect(await deployer.destroy('FixtureStreams')).toBe(false);
  });
});

describe('LocalDeployer with hand-written templates', () => {
  let controls: RecordingControls;
  let deployer: LocalDeployer;
  let c: ReturnType<typeof clients>;

  beforeAll(() => {
    controls = new RecordingControls();
    deployer = new LocalDeployer({ endpoint: cloud().endpoint, lambda: controls, events: controls });
    c = clients();
  });
  afterAll(() => deployer?.close());

  const queueStack = (visibility: number, extra: CfnTemplate['Resources'] = {}): CfnTemplate => ({
    Resources: {
      Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs', VisibilityTimeout: visibility } },
      ...extra,
    },
    Outputs: { JobsArn: { Value: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
  });

  it.each([
    [
      'an unsupported resource type',
      { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      UnsupportedResourceError,
      'the local cloud does not support resource type AWS::EC2::VPC (resource Vpc of stack Broken)',
    ],
    [
      'an unsupported intrinsic',
      { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] } } },
      UnsupportedIntrinsicError,
      'the local cloud does not support the intrinsic function Fn::Cidr (resource Vpc of stack Broken (at Properties.TopicName))',
    ],
  ])('fails on %s before creating anything', async (_name, resource, errorClass, message) => {
    // Prepare
    const before = await inventory(c);
    const template = queueStack(30, { Vpc: resource });
    // Act
    const act = deployer.deployStack({ stackName: 'Broken', template });
    // Assess
    await expect(act).rejects.toThrow(errorClass);
    await expect(act).rejects.toThrow(message);
    expect(await inventory(c)).toEqual(before);
    expect(deployer.deployedStacks()).not.toContain('Broken');
  });

  it('updates a queue attribute in place, and deletes what left the template', async () => {
    // Prepare
    await deployer.deployStack({
      stackName: 'Queues',
      template: queueStack(30, { Extra: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'extra' } } }),
    });
    const arn = deployer.outputs('Queues').JobsArn;
    // Act
    const result = await deployer.deployStack({ stackName: 'Queues', template: queueStack(45) });
    // Assess
    expect(result.counts).toEqual({ created: 0, updated: 1, replaced: 0, deleted: 1, unchanged: 0 });
    expect((await queueAttributes(c.sqs, 'jobs')).VisibilityTimeout).toBe('45');
    expect(deployer.outputs('Queues').JobsArn).toBe(arn);
    await expect(c.sqs.send(new GetQueueUrlCommand({ QueueName: 'extra' }))).rejects.toThrow();
    await deployer.destroy('Queues');
  });

  it('creates a FIFO queue under a generated .fifo name', async () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        Orders: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, ContentBasedDeduplication: true } },
      },
    };
    // Act
    await deployer.deployStack({ stackName: 'Fifo', template });
    // Assess
    const attributes = await queueAttributes(c.sqs, 'Fifo-Orders.fifo');
    expect(attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await deployer.destroy('Fifo');
  });

  it('copies a bucket deployment asset into its bucket without running CDK handlers', async () => {
    // Prepare
    const { dir, cleanup } = await tempDir('bucket-deployment');
    onTestFinished(cleanup);
    await mkdir(join(dir, 'asset.abc', 'notes'), { recursive: true });
    await writeFile(join(dir, 'asset.abc', 'notes', 'a.md'), '# A');
    const template: CfnTemplate = {
      Resources: {
        Site: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'site' } },
        Layer: {
          Type: 'AWS::Lambda::LayerVersion',
          Properties: { Content: { S3Bucket: 'b', S3Key: 'layer.zip' } },
        },
        Handler: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'python3.13', Layers: [{ Ref: 'Layer' }], Code: { ZipFile: 'pass' } },
        },
        Deploy: {
          Type: 'Custom::CDKBucketDeployment',
          Properties: {
            ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] },
            SourceBucketNames: ['cdk-assets'],
            SourceObjectKeys: ['abc.zip'],
            DestinationBucketName: { Ref: 'Site' },
            DestinationBucketKeyPrefix: 'samples/',
            RetainOnDelete: false,
          },
        },
      },
    };
    // Act
    await deployer.deployStack({
      stackName: 'Deploys',
      template,
      assemblyDir: dir,
      assets: { 'abc.zip': join(dir, 'asset.abc') },
    });
    // Assess
    const listed = await c.s3.send(new ListObjectsV2Command({ Bucket: 'site' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['samples/notes/a.md']);
    expect(controls.functions.size).toBe(0);
    await deployer.destroy('Deploys');
  });

  it('replaces a stream whose shard count changed, and the mapping that reads it', async () => {
    // Prepare
    const template = (shards: number): CfnTemplate => ({
      Resources: {
        S: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'replaced', ShardCount: shards } },
        M: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { FunctionName: 'fn', EventSourceArn: { 'Fn::GetAtt': ['S', 'Arn'] }, BatchSize: 5 },
        },
      },
    });
    await deployer.deployStack({ stackName: 'Replace', template: template(1) });
    const mark = controls.calls.length;
    // Act
    const result = await deployer.deployStack({ stackName: 'Replace', template: template(3) });
    // Assess
    expect(result.counts).toMatchObject({ replaced: 2, updated: 0 });
    const { StreamDescriptionSummary } = await c.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: 'replaced' }),
    );
    expect(StreamDescriptionSummary?.OpenShardCount).toBe(3);
    expect(controls.since(mark).map((call) => call.op)).toEqual([
      'deleteEventSourceMapping',
      'putEventSourceMapping',
    ]);
    await deployer.destroy('Replace');
  });
});
