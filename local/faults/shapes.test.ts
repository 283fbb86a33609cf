import { describe, expect, it } from 'vitest';
import { comprehendFaults } from '../comprehend/faults.ts';
import { dynamodbFaults, partialBatchWrite } from '../dynamodb/faults.ts';
import { kinesisFaults, partialPutRecords } from '../kinesis/faults.ts';
import type { GatewayRequest, GatewayResponse } from '../types.ts';
import type { ThrottledService } from './plan.ts';
import { INJECTED, operationOf } from './shapes.ts';

const SHAPES = { kinesis: kinesisFaults, dynamodb: dynamodbFaults, comprehend: comprehendFaults };
const refusedResponse = (req: GatewayRequest, service: ThrottledService, errorType: string) =>
  SHAPES[service].refused(req, errorType);
const entryCount = (req: GatewayRequest, service: ThrottledService) => SHAPES[service].entryCount(req);

const request = (service: string, target: string, body: unknown): GatewayRequest => ({
  service,
  method: 'POST',
  url: '/',
  headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
  body: Buffer.from(JSON.stringify(body)),
});

const bodyOf = (res: GatewayResponse | GatewayRequest | undefined) =>
  JSON.parse(Buffer.from(res?.body ?? '').toString('utf8'));

const ok = (body: unknown, headers: Record<string, string> = {}): GatewayResponse => ({
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.0', ...headers },
  body: JSON.stringify(body),
});

describe('operationOf', () => {
  it.each([
    ['Kinesis_20131202.PutRecords', 'PutRecords'],
    ['DynamoDB_20120810.BatchWriteItem', 'BatchWriteItem'],
    ['', ''],
  ])('reads %j as %j', (target, operation) => {
    // Act
    const name = operationOf({ 'x-amz-target': target });

    // Assess
    expect(name).toBe(operation);
  });
});

describe('refusedResponse', () => {
  it.each([
    [
      'Kinesis PutRecords',
      request('kinesis', 'Kinesis_20131202.PutRecords', { StreamName: 'wildrydes', Records: [] }),
      'kinesis',
      'ProvisionedThroughputExceededException',
      'application/x-amz-json-1.1',
      {
        __type: 'ProvisionedThroughputExceededException',
        message: expect.stringContaining('stream wildrydes'),
      },
    ],
    [
      'Kinesis PutRecords by ARN',
      request('kinesis', 'Kinesis_20131202.PutRecords', {
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/wildrydes-aggregated',
      }),
      'kinesis',
      'ProvisionedThroughputExceededException',
      'application/x-amz-json-1.1',
      { message: expect.stringContaining('stream wildrydes-aggregated under account 000000000000') },
    ],
    [
      'DynamoDB PutItem, provisioned throughput',
      request('dynamodb', 'DynamoDB_20120810.PutItem', { TableName: 'SentimentTable' }),
      'dynamodb',
      'ProvisionedThroughputExceededException',
      'application/x-amz-json-1.0',
      {
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        ThrottlingReasons: [
          {
            reason: 'TableWriteKeyRangeThroughputExceeded',
            resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/SentimentTable',
          },
        ],
      },
    ],
    [
      'DynamoDB Scan, provisioned throughput',
      request('dynamodb', 'DynamoDB_20120810.Scan', { TableName: 'UnicornSensorData' }),
      'dynamodb',
      'ProvisionedThroughputExceededException',
      'application/x-amz-json-1.0',
      { ThrottlingReasons: [expect.objectContaining({ reason: 'TableReadKeyRangeThroughputExceeded' })] },
    ],
    [
      'DynamoDB BatchWriteItem, throttling',
      request('dynamodb', 'DynamoDB_20120810.BatchWriteItem', { RequestItems: { UnicornSensorData: [] } }),
      'dynamodb',
      'ThrottlingException',
      'application/x-amz-json-1.0',
      { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException' },
    ],
    [
      'Comprehend',
      request('comprehend', 'Comprehend_20171127.DetectSentiment', { Text: 'hi' }),
      'comprehend',
      'ThrottlingException',
      'application/x-amz-json-1.1',
      { __type: 'ThrottlingException', message: expect.stringContaining('Rate exceeded') },
    ],
  ] as const)('%s: a 400 with the error type', (_case, req, service, errorType, contentType, expected) => {
    // Act
    const res = refusedResponse(req, service, errorType);

    // Assess
    expect(res.status).toBe(400);
    expect(res.headers?.['content-type']).toBe(contentType);
    expect(bodyOf(res)).toMatchObject(expected);
    expect(bodyOf(res).message).toContain(INJECTED);
  });
});

describe('partialPutRecords', () => {
  const records = ['a', 'b', 'c', 'd'].map((k) => ({
    Data: Buffer.from(k).toString('base64'),
    PartitionKey: k,
  }));
  const req = request('kinesis', 'Kinesis_20131202.PutRecords', {
    StreamName: 'wildrydes',
    Records: records,
  });

  it('forwards only the entries that did not fail, and answers for all, in order', () => {
    // Prepare
    const call = partialPutRecords(req, [1, 3]);

    // Act
    const forwarded = bodyOf(call.forward);
    const answer = call.answer(
      ok({
        FailedRecordCount: 0,
        Records: [
          { SequenceNumber: '1', ShardId: 's' },
          { SequenceNumber: '2', ShardId: 's' },
        ],
      }),
    );

    // Assess
    expect(forwarded).toEqual({ StreamName: 'wildrydes', Records: [records[0], records[2]] });
    expect(answer.status).toBe(200);
    expect(answer.headers?.['content-type']).toBe('application/x-amz-json-1.1');
    expect(bodyOf(answer)).toEqual({
      FailedRecordCount: 2,
      Records: [
        { SequenceNumber: '1', ShardId: 's' },
        {
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage: expect.stringContaining('wildrydes'),
        },
        { SequenceNumber: '2', ShardId: 's' },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: expect.any(String) },
      ],
    });
  });

  it('counts failures of the emulator itself too', () => {
    // Prepare
    const call = partialPutRecords(req, [0]);

    // Act
    const answer = call.answer(
      ok({
        FailedRecordCount: 1,
        Records: [{ SequenceNumber: '1' }, { ErrorCode: 'InternalFailure' }, { SequenceNumber: '3' }],
      }),
    );

    // Assess
    expect(bodyOf(answer).FailedRecordCount).toBe(2);
    expect(bodyOf(answer).Records[2]).toEqual({ ErrorCode: 'InternalFailure' });
  });

  it('forwards nothing when every entry failed', () => {
    // Prepare
    const call = partialPutRecords(req, [0, 1, 2, 3]);

    // Act
    const answer = call.answer(undefined);

    // Assess
    expect(call.forward).toBeUndefined();
    expect(bodyOf(answer).FailedRecordCount).toBe(4);
    expect(bodyOf(answer).Records).toHaveLength(4);
  });

  it("passes the emulator's error on as it is", () => {
    // Prepare
    const call = partialPutRecords(req, [0]);
    const notFound = { status: 400, body: '{"__type":"ResourceNotFoundException"}' };

    // Act
    const answer = call.answer(notFound);

    // Assess
    expect(answer).toBe(notFound);
  });
});

describe('partialBatchWrite', () => {
  const put = (n: number) => ({ PutRequest: { Item: { Name: { S: `u${n}` } } } });
  const req = request('dynamodb', 'DynamoDB_20120810.BatchWriteItem', {
    RequestItems: { A: [put(0), put(1)], B: [put(2)] },
    ReturnConsumedCapacity: 'TOTAL',
  });

  it('forwards the processed requests and returns the others in UnprocessedItems', () => {
    // Prepare
    const call = partialBatchWrite(req, [1, 2]);

    // Act
    const forwarded = bodyOf(call.forward);
    const answer = call.answer(ok({ UnprocessedItems: {} }, { 'x-amz-crc32': '123' }));

    // Assess
    expect(forwarded).toEqual({ RequestItems: { A: [put(0)] }, ReturnConsumedCapacity: 'TOTAL' });
    expect(answer.status).toBe(200);
    expect(answer.headers?.['x-amz-crc32']).toBeUndefined();
    expect(bodyOf(answer)).toEqual({ UnprocessedItems: { A: [put(1)], B: [put(2)] } });
  });

  it('keeps what the emulator left unprocessed itself', () => {
    // Prepare
    const call = partialBatchWrite(req, [0]);

    // Act
    const answer = call.answer(ok({ UnprocessedItems: { B: [put(2)] } }));

    // Assess
    expect(bodyOf(answer).UnprocessedItems).toEqual({ B: [put(2)], A: [put(0)] });
  });

  it('forwards nothing when no request is left', () => {
    // Prepare
    const call = partialBatchWrite(req, [0, 1, 2]);

    // Act
    const answer = call.answer(undefined);

    // Assess
    expect(call.forward).toBeUndefined();
    expect(bodyOf(answer)).toEqual({ UnprocessedItems: { A: [put(0), put(1)], B: [put(2)] } });
  });
});

describe('entryCount', () => {
  it.each([
    ['kinesis', { Records: [{}, {}, {}] }, 3],
    ['dynamodb', { RequestItems: { A: [{}, {}], B: [{}] } }, 3],
    ['kinesis', 'not json', 0],
    ['comprehend', { Text: 'x' }, 0],
  ] as const)('%s %j: %d', (service, body, expected) => {
    // Prepare
    const req = request(service, 'x', body);
    if (typeof body === 'string') req.body = Buffer.from(body);

    // Act
    const count = entryCount(req, service);

    // Assess
    expect(count).toBe(expected);
  });
});
