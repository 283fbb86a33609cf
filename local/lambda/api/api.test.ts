import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, jsonLines, parse } from '../../../testing/lambda.ts';
import { clientConfig, eventually, useLocalCloud } from '../../../testing/local-cloud.ts';
import { LambdaService } from '../service.ts';

const ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

describe('the Lambda API through @aws-sdk/client-lambda', () => {
  const cloud = useLocalCloud();
  let service: LambdaService;
  let lambda: LambdaClient;
  let dir: string;
  let queueArn: string;
  let uuid: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lambda-api-'));
    service = new LambdaService({ endpoint: cloud().endpoint });
    cloud().register('lambda', service.handle);
    lambda = new LambdaClient(clientConfig(cloud()));
    const sqs = new SQSClient(clientConfig(cloud()));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'api-test-queue' }));
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    queueArn = attributes.Attributes?.QueueArn ?? '';
    await service.putFunction(
      fixture('inspect.handler', {
        name: 'api-inspect',
        timeoutSeconds: 7,
        memorySizeMb: 512,
        environment: { TABLE_NAME: 'UnicornSensorData' },
      }),
    );
    await service.putFunction(
      fixture('record.handler', { name: 'api-record', environment: { EVENTS_FILE: join(dir, 'events') } }),
    );
    ({ uuid } = await service.putEventSourceMapping({
      functionName: 'api-record',
      eventSourceArn: queueArn,
      batchSize: 5,
      functionResponseTypes: ['ReportBatchItemFailures'],
    }));
  });
  afterAll(async () => {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists functions with their configuration', async () => {
    // Act
    const { Functions } = await lambda.send(new ListFunctionsCommand({}));

    // Assess
    expect(Functions?.map((f) => f.FunctionName).sort()).toEqual(['api-inspect', 'api-record']);
    expect(Functions?.find((f) => f.FunctionName === 'api-inspect')).toMatchObject({
      FunctionArn: ARN('api-inspect'),
      Runtime: 'nodejs22.x',
      Handler: 'inspect.handler',
      Timeout: 7,
      MemorySize: 512,
      Environment: { Variables: { TABLE_NAME: 'UnicornSensorData' } },
      State: 'Active',
      Version: '$LATEST',
    });
  });

  it.each([['api-inspect'], [ARN('api-inspect')], ['api-inspect:$LATEST']])(
    'gets a function by %s',
    async (name) => {
      // Act
      const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));

      // Assess
      expect(fn.Configuration?.FunctionArn).toBe(ARN('api-inspect'));
      expect(fn.Code?.Location).toMatch(/^file:\/\//);
      expect(config.Environment?.Variables).toEqual({ TABLE_NAME: 'UnicornSensorData' });
      expect(config.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    },
  );

  it.each([
    ['GetFunction', () => new GetFunctionCommand({ FunctionName: 'no-such-function' })],
    ['Invoke', () => new InvokeCommand({ FunctionName: 'no-such-function' })],
    ['GetEventSourceMapping', () => new GetEventSourceMappingCommand({ UUID: 'no-such-uuid' })],
  ])('throws ResourceNotFoundException from %s for what does not exist', async (_, command) => {
    // Act
    const error = await lambda.send(command() as GetFunctionCommand).catch((err: Error) => err);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ResourceNotFoundException');
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(404);
  });

  it.each([
    ['FunctionName', () => ({ FunctionName: 'api-record' }), 1],
    ['a function ARN', () => ({ FunctionName: ARN('api-record') }), 1],
    ['EventSourceArn', () => ({ EventSourceArn: queueArn }), 1],
    ['another function', () => ({ FunctionName: 'api-inspect' }), 0],
  ])('lists event source mappings filtered by %s', async (_, filter, count) => {
    // Act
    const { EventSourceMappings } = await lambda.send(new ListEventSourceMappingsCommand(filter()));

    // Assess
    expect(EventSourceMappings).toHaveLength(count);
  });

  it('gets an event source mapping with its settings', async () => {
    // Act
    const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));

    // Assess
    expect(mapping).toMatchObject({
      UUID: uuid,
      EventSourceArn: queueArn,
      FunctionArn: ARN('api-record'),
      BatchSize: 5,
      State: 'Enabled',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(mapping.LastModified).toBeInstanceOf(Date);
  });

  it('invokes a function and returns its result', async () => {
    // Act
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'api-inspect', Payload: JSON.stringify({ hello: 'unicorn' }) }),
    );

    // Assess
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(parse(Buffer.from(out.Payload ?? []).toString()).event).toEqual({ hello: 'unicorn' });
  });

  it('reports a handler error as Unhandled with the error payload and the log tail', async () => {
    // Act
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'api-inspect',
        Payload: JSON.stringify({ throw: 'no magic left', log: 'about to fail' }),
        LogType: 'Tail',
      }),
    );

    // Assess
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(parse(Buffer.from(out.Payload ?? []).toString())).toMatchObject({
      errorType: 'CustomError',
      errorMessage: 'no magic left',
    });
    const tail = Buffer.from(out.LogResult ?? '', 'base64').toString();
    expect(tail).toContain('INFO\tabout to fail');
    expect(tail).toMatch(/REPORT RequestId: \S+\tDuration: /);
  });

  it('accepts an Event invocation with 202 and runs it in the background', async () => {
    // Act
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'api-record',
        InvocationType: 'Event',
        Payload: JSON.stringify({ n: 42 }),
      }),
    );

    // Assess
    expect(out.StatusCode).toBe(202);
    const recorded = await eventually(async () => {
      const lines = await jsonLines<{ event: { n?: number } }>(join(dir, 'events'));
      return lines.find((l) => l.event.n === 42);
    });
    expect(recorded.event).toEqual({ n: 42 });
  });

  it('refuses a payload that is not JSON', async () => {
    // Act
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'api-inspect', Payload: Buffer.from('{not json') }))
      .catch((err: Error) => err);

    // Assess
    expect((error as Error).name).toBe('InvalidRequestContentException');
  });
});
