import { describe, expect, it } from 'vitest';
import type { EventSourceMappingDefinition } from '../../types.ts';
import { mappingConfiguration } from '../api/shapes.ts';
import { parseEventSourceArn, parseFunctionName } from '../arn.ts';
import { logTail } from '../runtime/logs.ts';
import { discardRecord, finalWindowEvent, streamEvent } from './kinesis-events.ts';
import { mappingProblem } from './mapping-settings.ts';
import { messagesToDelete, sqsRecord } from './sqs-events.ts';
import type { InvocationOutcome } from './stream-batch.ts';

const STREAM = 'arn:aws:kinesis:us-east-1:000000000000:stream/wildrydes';
const origin = {
  streamArn: STREAM,
  shardId: 'shardId-000000000001',
  roleArn: 'arn:aws:iam::000000000000:role/r',
};
const arrival = Date.parse('2026-11-22T09:17:08.189Z');
const records = [
  { sequenceNumber: '4959001', partitionKey: 'Shadowfax', data: 'eyJhIjoxfQ==', arrivalMs: arrival },
  { sequenceNumber: '4959002', partitionKey: 'Rocinante', data: 'eyJhIjoyfQ==', arrivalMs: arrival + 500 },
];

describe('parseEventSourceArn', () => {
  it.each([
    [STREAM, { kind: 'kinesis', streamName: 'wildrydes' }],
    [`${STREAM}/consumer/c:1`, { kind: 'kinesis', streamName: 'wildrydes' }],
    ['arn:aws:sqs:us-east-1:000000000000:UploadQueue', { kind: 'sqs', queueName: 'UploadQueue' }],
    ['arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026', undefined],
    ['not an arn', undefined],
  ])('reads %s', (arn, expected) => {
    // Act & Assess
    expect(parseEventSourceArn(arn)).toEqual(expected && { ...expected, arn });
  });
});

describe('parseFunctionName', () => {
  it.each([
    ['wildrydes-aggregate', { name: 'wildrydes-aggregate' }],
    ['wildrydes-aggregate:$LATEST', { name: 'wildrydes-aggregate', qualifier: '$LATEST' }],
    ['000000000000:function:wildrydes-aggregate', { name: 'wildrydes-aggregate' }],
    ['arn:aws:lambda:us-east-1:000000000000:function:wildrydes-aggregate', { name: 'wildrydes-aggregate' }],
    ['arn:aws:lambda:us-east-1:000000000000:function:f:prod', { name: 'f', qualifier: 'prod' }],
  ])('reads %s', (value, expected) => {
    // Act & Assess
    expect(parseFunctionName(value)).toEqual(expected);
  });
});

describe('Kinesis events', () => {
  it('delivers records in the documented KinesisStreamEvent shape', () => {
    // Act
    const event = streamEvent(records, origin);

    // Assess
    expect(event).toEqual({
      Records: [
        {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: 'Shadowfax',
            sequenceNumber: '4959001',
            data: 'eyJhIjoxfQ==',
            approximateArrivalTimestamp: 1795339028.189,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: 'shardId-000000000001:4959001',
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: origin.roleArn,
          awsRegion: 'us-east-1',
          eventSourceARN: STREAM,
        },
        expect.objectContaining({ eventID: 'shardId-000000000001:4959002' }),
      ],
    });
  });

  it('adds the tumbling-window fields, and a final invocation has no records', () => {
    // Prepare
    const window = { startMs: Date.parse('2026-11-22T09:17:00Z'), endMs: Date.parse('2026-11-22T09:18:00Z') };

    // Act
    const event = finalWindowEvent({ ...window, state: { sum: 3 } }, origin);

    // Assess
    expect(event).toEqual({
      Records: [],
      window: { start: '2026-11-22T09:17:00Z', end: '2026-11-22T09:18:00Z' },
      state: { sum: 3 },
      shardId: 'shardId-000000000001',
      eventSourceARN: STREAM,
      isFinalInvokeForWindow: true,
      isWindowTerminatedEarly: false,
    });
  });

  it.each([
    ['after failed invocations', { requestId: 'r-1', functionError: true }, true],
    ['before any invocation (too old)', undefined, false],
  ])('describes discarded records %s with KinesisBatchInfo', (_, last, hasResponse) => {
    // Act
    const document = discardRecord({
      records,
      origin,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      condition: last ? 'RetryAttemptsExhausted' : 'RecordAgeExceeded',
      invocations: last ? 4 : 0,
      last,
      now: new Date('2026-11-22T09:20:00.000Z'),
      requestId: 'r-new',
    });

    // Assess
    expect(document).toMatchObject({
      requestContext: {
        requestId: last ? 'r-1' : 'r-new',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        condition: last ? 'RetryAttemptsExhausted' : 'RecordAgeExceeded',
        approximateInvokeCount: last ? 4 : 0,
      },
      version: '1.0',
      timestamp: '2026-11-22T09:20:00.000Z',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000001',
        startSequenceNumber: '4959001',
        endSequenceNumber: '4959002',
        approximateArrivalOfFirstRecord: '2026-11-22T09:17:08.189Z',
        approximateArrivalOfLastRecord: '2026-11-22T09:17:08.689Z',
        batchSize: 2,
        streamArn: STREAM,
      },
    });
    expect('responseContext' in document).toBe(hasResponse);
    if (hasResponse) {
      expect(document.responseContext).toEqual({
        statusCode: 200,
        executedVersion: '$LATEST',
        functionError: 'Unhandled',
      });
    }
  });
});

describe('SQS events', () => {
  it('delivers a message in the documented SQSRecord shape', () => {
    // Act
    const record = sqsRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: 'hello',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1795425428189' },
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'note' } },
        MD5OfMessageAttributes: 'md5a',
      },
      'arn:aws:sqs:us-east-1:000000000000:q',
    );

    // Assess
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body: 'hello',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1795425428189' },
      messageAttributes: {
        kind: { stringValue: 'note', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
      md5OfBody: 'md5',
      md5OfMessageAttributes: 'md5a',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });

  const ids = ['m-1', 'm-2', 'm-3'];
  const ok = (response: unknown): InvocationOutcome => ({ functionError: false, response });

  it.each<[string, InvocationOutcome, boolean, string[]]>([
    ['a function error deletes nothing', { functionError: true }, true, []],
    ['success deletes all', ok(null), false, ids],
    [
      'reported failures are ignored without ReportBatchItemFailures',
      ok({ batchItemFailures: [{ itemIdentifier: 'm-2' }] }),
      false,
      ids,
    ],
    ['an empty list deletes all', ok({ batchItemFailures: [] }), true, ids],
    ['reported failures stay', ok({ batchItemFailures: [{ itemIdentifier: 'm-2' }] }), true, ['m-1', 'm-3']],
    ['an unknown id fails the whole batch', ok({ batchItemFailures: [{ itemIdentifier: 'x' }] }), true, []],
    ['an empty id fails the whole batch', ok({ batchItemFailures: [{ itemIdentifier: '' }] }), true, []],
  ])('%s', (_, outcome, reportBatchItemFailures, expected) => {
    // Act & Assess
    expect(messagesToDelete(ids, outcome, reportBatchItemFailures)).toEqual(expected);
  });
});

describe('mappingConfiguration', () => {
  it('reports AWS defaults for what the template left out', () => {
    // Act
    const config = mappingConfiguration({
      def: { uuid: 'u-1', functionName: 'f', eventSourceArn: STREAM, startingPosition: 'TRIM_HORIZON' },
      functionName: 'f',
      source: 'kinesis',
      lastModified: new Date(1_000_000),
      lastProcessingResult: 'No records processed',
    });

    // Assess
    expect(config).toMatchObject({
      UUID: 'u-1',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1,
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      LastModified: 1000,
      State: 'Enabled',
      DestinationConfig: { OnFailure: {} },
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      MaximumRetryAttempts: -1,
      TumblingWindowInSeconds: 0,
      FunctionResponseTypes: [],
    });
  });
});

describe('logTail', () => {
  it('returns the last 4 KB of the log, base64', () => {
    // Prepare
    const lines = ['a'.repeat(5000), 'last line'];

    // Act
    const tail = Buffer.from(logTail(lines), 'base64').toString('utf8');

    // Assess
    expect(tail.length).toBe(4096);
    expect(tail.endsWith('last line\n')).toBe(true);
  });
});

describe('mappingProblem', () => {
  const kinesis = { functionName: 'f', eventSourceArn: STREAM, startingPosition: 'LATEST' as const };
  const sqs = { functionName: 'f', eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' };

  it.each<[string, EventSourceMappingDefinition, 'kinesis' | 'sqs', string | undefined]>([
    ['a Kinesis mapping with defaults', kinesis, 'kinesis', undefined],
    [
      'no StartingPosition',
      { ...kinesis, startingPosition: undefined },
      'kinesis',
      'StartingPosition is required',
    ],
    [
      'AT_TIMESTAMP without a timestamp',
      { ...kinesis, startingPosition: 'AT_TIMESTAMP' },
      'kinesis',
      'StartingPositionTimestamp',
    ],
    ['a batch of 10001', { ...kinesis, batchSize: 10_001 }, 'kinesis', 'BatchSize'],
    [
      'a 901 s tumbling window',
      { ...kinesis, tumblingWindowInSeconds: 901 },
      'kinesis',
      'TumblingWindowInSeconds',
    ],
    [
      'a maximum record age of 10 s',
      { ...kinesis, maximumRecordAgeInSeconds: 10 },
      'kinesis',
      'MaximumRecordAgeInSeconds',
    ],
    ['an SQS mapping with defaults', sqs, 'sqs', undefined],
    [
      'an SQS batch of 11 without a batching window',
      { ...sqs, batchSize: 11 },
      'sqs',
      'Maximum batch window',
    ],
    [
      'an SQS batch of 11 with a batching window',
      { ...sqs, batchSize: 11, maximumBatchingWindowInSeconds: 1 },
      'sqs',
      undefined,
    ],
  ])('%s', (_, def, source, problem) => {
    // Act
    const found = mappingProblem(def, source);

    // Assess
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
