import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  CreateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, createStream, putTexts } from '../../../testing/lambda.ts';
import { clientConfig, eventually, useLocalCloud } from '../../../testing/local-cloud.ts';
import { answering, createItemsTable, DYNAMODB_WRITER, zipOf } from '../fixtures/zips.ts';
import { LambdaService } from '../service.ts';

const ROLE = 'arn:aws:iam::000000000000:role/x';
const TABLE = 'esm-items';

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

/** The error a call fails with (the test fails if it succeeds). */
const failure = (call: Promise<unknown>): Promise<AwsError> =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: AwsError) => err,
  );

describe('Create/Update/Delete/Get/ListEventSourceMappings through @aws-sdk/client-lambda', () => {
  const cloud = useLocalCloud();
  let service: LambdaService;
  let lambda: LambdaClient;
  let kinesis: KinesisClient;
  let dynamodb: DynamoDBClient;
  let codeRoot: string;
  let streamArn: string;
  let queueArn: string;

  const createFunction = (name: string, source: string, variables: Record<string, string> = {}) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Timeout: 10,
        Code: { ZipFile: zipOf({ 'index.js': source }) },
        Environment: { Variables: variables },
      }),
    );
  const createMapping = (input: Partial<CreateEventSourceMappingCommandInput>) =>
    lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-writer', ...input }));

  beforeAll(async () => {
    codeRoot = await mkdtemp(join(tmpdir(), 'lambda-code-'));
    service = new LambdaService({ endpoint: cloud().endpoint, codeRoot });
    cloud().register('lambda', service.handle);
    lambda = new LambdaClient(clientConfig(cloud()));
    kinesis = new KinesisClient(clientConfig(cloud()));
    dynamodb = new DynamoDBClient(clientConfig(cloud()));
    await createItemsTable(dynamodb, TABLE);
    streamArn = await createStream(kinesis, 'esm-stream');
    ({ arn: queueArn } = await createQueue(new SQSClient(clientConfig(cloud())), 'esm-queue'));
    await createFunction('esm-writer', DYNAMODB_WRITER, { TABLE_NAME: TABLE });
    await createFunction('esm-queue-reader', answering('ok'));
  });
  afterAll(async () => {
    await service.stop();
    await rm(codeRoot, { recursive: true, force: true });
  });

  it('maps a Kinesis stream from LATEST: a record put afterwards is written to DynamoDB by the function', async () => {
    // Act
    const created = await createMapping({
      EventSourceArn: streamArn,
      StartingPosition: 'LATEST',
      BatchSize: 10,
    });
    const [sequenceNumber = ''] = await putTexts(kinesis, 'esm-stream', ['unicorn ride 1']);

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(202);
    expect(created).toMatchObject({
      EventSourceArn: streamArn,
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:esm-writer',
      StartingPosition: 'LATEST',
      BatchSize: 10,
      State: 'Creating',
    });
    const item = await eventually(async () => {
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: TABLE, Key: { id: { S: sequenceNumber } } }),
      );
      return Item;
    });
    expect(item.data?.S).toBe('unicorn ride 1');
    // The item is written during the invocation; the mapping records its result just after it returns.
    const mapping = await eventually(
      async () => {
        const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
        return got.LastProcessingResult === 'No records processed' ? undefined : got;
      },
      20_000,
      'the mapping to record the batch',
    );
    expect(mapping).toMatchObject({ State: 'Enabled', LastProcessingResult: 'OK' });
  });

  it('refuses a second mapping of the same source to the same function', async () => {
    // Act
    const error = await failure(
      createMapping({ EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' }),
    );

    // Assess
    expect(error.name).toBe('ResourceConflictException');
    expect(error.$metadata?.httpStatusCode).toBe(409);
    expect(error.message).toMatch(
      /provided mapping already exists\. Please update or delete the existing mapping/,
    );
  });

  it.each<[string, () => Partial<CreateEventSourceMappingCommandInput>, string, RegExp]>([
    [
      'a Kinesis source without StartingPosition',
      () => ({ EventSourceArn: streamArn }),
      'InvalidParameterValueException',
      /Value null at 'startingPosition' failed to satisfy constraint: Member must not be null/,
    ],
    [
      'an unknown StartingPosition',
      () => ({ EventSourceArn: streamArn, StartingPosition: 'EARLIEST' as 'LATEST' }),
      'ValidationException',
      /Value 'EARLIEST' at 'startingPosition'.*enum value set: \[LATEST, AT_TIMESTAMP, TRIM_HORIZON\]/,
    ],
    [
      'a timestamp without AT_TIMESTAMP',
      () => ({
        EventSourceArn: streamArn,
        StartingPosition: 'LATEST',
        StartingPositionTimestamp: new Date(),
      }),
      'InvalidParameterValueException',
      /^Timestamp only valid with StartingPosition AT_TIMESTAMP$/,
    ],
    [
      'BatchSize 0',
      () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', BatchSize: 0 }),
      'ValidationException',
      /'batchSize'.*greater than or equal to 1$/,
    ],
    [
      'BatchSize 10001',
      () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', BatchSize: 10_001 }),
      'ValidationException',
      /'batchSize'.*less than or equal to 10000$/,
    ],
    [
      'a StartingPosition for an SQS queue',
      () => ({ FunctionName: 'esm-queue-reader', EventSourceArn: queueArn, StartingPosition: 'LATEST' }),
      'InvalidParameterValueException',
      /^StartingPosition is not valid for SQS event sources\.$/,
    ],
    [
      'more than 10 SQS messages a batch without a batching window',
      () => ({ FunctionName: 'esm-queue-reader', EventSourceArn: queueArn, BatchSize: 11 }),
      'InvalidParameterValueException',
      /^Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10$/,
    ],
    [
      'a function that does not exist',
      () => ({ FunctionName: 'esm-nobody', EventSourceArn: queueArn }),
      'InvalidParameterValueException',
      /^Function does not exist$/,
    ],
    [
      'a DynamoDB stream (the local cloud reads Kinesis and SQS)',
      () => ({
        EventSourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
        StartingPosition: 'LATEST',
      }),
      'InvalidParameterValueException',
      /reads Kinesis streams and SQS queues/,
    ],
    [
      'FilterCriteria (the local cloud does not filter)',
      () => ({
        FunctionName: 'esm-queue-reader',
        EventSourceArn: queueArn,
        FilterCriteria: { Filters: [{ Pattern: '{"body":{"a":[1]}}' }] },
      }),
      'InvalidParameterValueException',
      /FilterCriteria/,
    ],
  ])('refuses %s', async (_, input, name, message) => {
    // Act
    const error = await failure(createMapping(input()));

    // Assess
    expect(error.name).toBe(name);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('updates a mapping in place, then disables it', async () => {
    // Prepare
    const { UUID } = await createMapping({ FunctionName: 'esm-queue-reader', EventSourceArn: queueArn });

    // Act
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 5 }));
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));

    // Assess
    expect(updated.$metadata.httpStatusCode).toBe(202);
    expect(updated).toMatchObject({ UUID, BatchSize: 5, State: 'Updating' });
    const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID }));
    expect(mapping).toMatchObject({ UUID, BatchSize: 5, State: 'Disabled', EventSourceArn: queueArn });
  });

  it.each<[string, () => { FunctionName?: string; EventSourceArn?: string }, number]>([
    ['FunctionName', () => ({ FunctionName: 'esm-writer' }), 1],
    [
      'a function ARN',
      () => ({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:esm-writer' }),
      1,
    ],
    ['EventSourceArn', () => ({ EventSourceArn: queueArn }), 1],
    ['both, not matching', () => ({ FunctionName: 'esm-writer', EventSourceArn: queueArn }), 0],
    ['nothing', () => ({}), 2],
  ])('lists the mappings filtered by %s', async (_, filter, count) => {
    // Act
    const { EventSourceMappings } = await lambda.send(new ListEventSourceMappingsCommand(filter()));

    // Assess
    expect(EventSourceMappings).toHaveLength(count);
  });

  it('deletes a mapping with 202 and its last state, Deleting', async () => {
    // Prepare
    const [{ UUID } = {}] =
      (await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn })))
        .EventSourceMappings ?? [];

    // Act
    const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(202);
    expect(deleted).toMatchObject({ UUID, State: 'Deleting' });
    const error = await failure(lambda.send(new GetEventSourceMappingCommand({ UUID })));
    expect(error.name).toBe('ResourceNotFoundException');
    const again = await failure(lambda.send(new DeleteEventSourceMappingCommand({ UUID })));
    expect(again.name).toBe('ResourceNotFoundException');
  });
});
