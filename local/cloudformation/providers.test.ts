import { describe, expect, it } from 'vitest';
import { globalTableInput, tableInput } from '../dynamodb/provider.ts';
import { ruleDefinition } from '../events/provider.ts';
import { codeDirOf, functionDefinition, mappingDefinition } from '../lambda/provider.ts';
import { eventBridgeEnabled } from '../s3/provider.ts';
import { subscriptionAttributes } from '../sns/provider.ts';
import { queueAttributes } from '../sqs/provider.ts';
import { UnsupportedPropertyError } from './errors.ts';
import type { ValidateContext } from './providers/types.ts';

const ctx = (overrides: Partial<ValidateContext> = {}): ValidateContext => ({
  stackName: 'Demo',
  logicalId: 'Thing1234',
  assemblyDir: '/out',
  assets: { 'abc.zip': '/out/asset.abc' },
  customResourceProvider: false,
  at: { stack: 'Demo', logicalId: 'Thing1234' },
  ...overrides,
});

describe('queueAttributes', () => {
  it.each([
    [{}, {}],
    [
      { VisibilityTimeout: 90, MessageRetentionPeriod: '1209600', DelaySeconds: 0 },
      { VisibilityTimeout: '90', MessageRetentionPeriod: '1209600', DelaySeconds: '0' },
    ],
    [
      { RedrivePolicy: { deadLetterTargetArn: 'arn:dlq', maxReceiveCount: 3 } },
      { RedrivePolicy: '{"deadLetterTargetArn":"arn:dlq","maxReceiveCount":3}' },
    ],
    [
      { FifoQueue: true, ContentBasedDeduplication: true, QueueName: 'q.fifo', SqsManagedSseEnabled: true },
      { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    ],
  ])('%j', (props, expected) => {
    // Act / Assess
    expect(queueAttributes(props)).toEqual(expected);
  });
});

describe('tableInput', () => {
  it('defaults to provisioned throughput, as CloudFormation does', () => {
    // Prepare
    const props = {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: '2', WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'g',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    };
    // Act
    const input = tableInput(props, ctx());
    // Assess
    expect(input).toMatchObject({
      TableName: 'Demo-Thing1234',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'g',
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('takes a GlobalTable capacity from the local replica and write auto scaling', () => {
    // Prepare
    const props = {
      TableName: 't',
      BillingMode: 'PROVISIONED',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      WriteProvisionedThroughputSettings: {
        WriteCapacityAutoScalingSettings: { MinCapacity: 4, MaxCapacity: 10 },
      },
      Replicas: [
        { Region: 'eu-west-1', ReadProvisionedThroughputSettings: { ReadCapacityUnits: 9 } },
        { Region: 'us-east-1', ReadProvisionedThroughputSettings: { ReadCapacityUnits: 7 } },
      ],
    };
    // Act
    const input = globalTableInput(props, ctx());
    // Assess
    expect(input.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 7, WriteCapacityUnits: 4 });
    expect(
      globalTableInput({ ...props, BillingMode: 'PAY_PER_REQUEST' }, ctx()).ProvisionedThroughput,
    ).toBeUndefined();
  });
});

describe('functionDefinition', () => {
  it.each([
    ['the asset path metadata', { Metadata: { 'aws:asset:path': 'asset.xyz' } }, {}, '/out/asset.xyz'],
    [
      'the S3 key of a CDK asset',
      { Metadata: {} },
      { Code: { S3Bucket: 'b', S3Key: 'abc.zip' } },
      '/out/asset.abc',
    ],
    ['neither', { Metadata: {} }, { Code: { S3Bucket: 'b', S3Key: 'other.zip' } }, undefined],
  ])('finds the code directory from %s', (_name, resource, props, expected) => {
    // Act / Assess
    expect(codeDirOf(props, ctx({ resource: { Type: 'AWS::Lambda::Function', ...resource } }))).toBe(
      expected,
    );
  });

  it("applies AWS's defaults and stringifies the environment", () => {
    // Prepare
    const props = { Role: 'arn:aws:iam::000000000000:role/r', Environment: { Variables: { A: 'x', N: 3 } } };
    // Act
    const def = functionDefinition(
      props,
      ctx({ resource: { Type: 'AWS::Lambda::Function', Metadata: { 'aws:asset:path': '/abs/dir' } } }),
    );
    // Assess
    expect(def).toEqual({
      name: 'Demo-Thing1234',
      handler: 'index.handler',
      codeDir: '/abs/dir',
      runtime: 'nodejs22.x',
      timeoutSeconds: 3,
      memorySizeMb: 128,
      environment: { A: 'x', N: '3' },
      role: 'arn:aws:iam::000000000000:role/r',
    });
  });
});

describe('mappingDefinition', () => {
  it('maps every CloudFormation property to the Lambda API field', () => {
    // Prepare
    const props = {
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
      EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
      BatchSize: '25',
      MaximumBatchingWindowInSeconds: 2,
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: 1700000000,
      BisectBatchOnFunctionError: 'true',
      MaximumRetryAttempts: 4,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } },
      TumblingWindowInSeconds: 60,
      ParallelizationFactor: 2,
      Enabled: false,
    };
    // Act
    const def = mappingDefinition(props, ctx(), 'uuid-1');
    // Assess
    expect(def).toEqual({
      uuid: 'uuid-1',
      functionName: 'fn',
      eventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
      batchSize: 25,
      maximumBatchingWindowInSeconds: 2,
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: 1700000000,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 4,
      maximumRecordAgeInSeconds: 3600,
      functionResponseTypes: ['ReportBatchItemFailures'],
      onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:dlq',
      tumblingWindowInSeconds: 60,
      parallelizationFactor: 2,
      enabled: false,
    });
  });

  it('leaves out what the template leaves out, so the service applies its defaults', () => {
    // Act
    const def = mappingDefinition(
      { FunctionName: 'fn', EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' },
      ctx(),
    );
    // Assess
    expect(def).toEqual({
      functionName: 'fn',
      eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q',
      enabled: true,
    });
  });

  it('refuses an unknown starting position', () => {
    // Act
    const act = () =>
      mappingDefinition({ FunctionName: 'f', EventSourceArn: 'a', StartingPosition: 'EARLIEST' }, ctx());
    // Assess
    expect(act).toThrow(UnsupportedPropertyError);
  });
});

describe('ruleDefinition', () => {
  it('takes the pattern, state and targets', () => {
    // Prepare
    const props = {
      EventPattern: '{"source":["aws.s3"]}',
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      Targets: [{ Id: 'T0', Arn: 'arn:q', InputPath: '$.detail' }],
    };
    // Act / Assess
    expect(ruleDefinition(props, ctx())).toEqual({
      name: 'Demo-Thing1234',
      eventPattern: { source: ['aws.s3'] },
      state: 'ENABLED',
      targets: [{ id: 'T0', arn: 'arn:q' }],
    });
  });
});

describe('eventBridgeEnabled', () => {
  it.each([
    [undefined, false],
    [{}, false],
    [{ EventBridgeConfiguration: {} }, true],
    [{ EventBridgeConfiguration: { EventBridgeEnabled: true } }, true],
    [{ EventBridgeConfiguration: { EventBridgeEnabled: 'false' } }, false],
    [{ QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: 'arn:q' }] }, false],
  ])('%j → %s', (configuration, expected) => {
    // Act / Assess
    expect(eventBridgeEnabled(configuration)).toBe(expected);
  });
});

describe('subscriptionAttributes', () => {
  it('passes delivery settings and JSON policies as the SNS API wants them', () => {
    // Act
    const attributes = subscriptionAttributes({
      RawMessageDelivery: true,
      FilterPolicy: { MagicPoints: [{ numeric: ['<', 50] }] },
      Protocol: 'sqs',
    });
    // Assess
    expect(attributes).toEqual({
      RawMessageDelivery: 'true',
      FilterPolicy: '{"MagicPoints":[{"numeric":["<",50]}]}',
    });
  });
});
