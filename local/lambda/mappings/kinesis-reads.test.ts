import { describe, expect, it } from 'vitest';
import type { GatewayRequest, GatewayResponse } from '../../types.ts';
import { getRecordsPage, kinesisRequest } from './kinesis-reads.ts';

const answering = (status: number, body: string) => {
  const sent: GatewayRequest[] = [];
  const send = async (req: GatewayRequest): Promise<GatewayResponse> => {
    sent.push(req);
    return { status, body: Buffer.from(body) };
  };
  return { sent, send };
};

describe('GetRecords in Kinesis’s JSON', () => {
  it('asks for the page as the SDK would, signed for kinesis', async () => {
    // Prepare
    const { sent, send } = answering(200, '{"Records":[],"NextShardIterator":"next"}');

    // Act
    await getRecordsPage(send, 'iter-1', 250);

    // Assess
    const [req] = sent;
    expect(req?.headers['x-amz-target']).toBe('Kinesis_20131202.GetRecords');
    expect(req?.headers.authorization).toMatch(/Credential=[^/]+\/\d{8}\/us-east-1\/kinesis\/aws4_request/);
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({ ShardIterator: 'iter-1', Limit: 250 });
  });

  it('keeps each record’s data in base64 and its arrival in milliseconds', async () => {
    // Prepare
    const body = {
      Records: [
        {
          SequenceNumber: '4959',
          PartitionKey: 'Shadowfax',
          Data: 'eyJhIjoxfQ==',
          ApproximateArrivalTimestamp: 1796236243.885,
        },
      ],
      NextShardIterator: 'next',
    };
    const { send } = answering(200, JSON.stringify(body));

    // Act
    const page = await getRecordsPage(send, 'iter-1', 100);

    // Assess
    expect(page).toEqual({
      records: [
        { sequenceNumber: '4959', partitionKey: 'Shadowfax', data: 'eyJhIjoxfQ==', arrivalMs: 1796236243885 },
      ],
      nextIterator: 'next',
    });
  });

  it('has no next iterator for a closed shard read to its end', async () => {
    // Prepare
    const { send } = answering(200, '{"Records":[]}');

    // Act
    const page = await getRecordsPage(send, 'iter-1', 100);

    // Assess
    expect(page.nextIterator).toBeUndefined();
  });

  it.each([
    ['ExpiredIteratorException', '{"__type":"ExpiredIteratorException","message":"Iterator expired"}'],
    [
      'ResourceNotFoundException',
      '{"__type":"com.amazonaws.kinesis#ResourceNotFoundException","message":"gone"}',
    ],
  ])('throws an error named %s, as the SDK would', async (name, body) => {
    // Prepare
    const { send } = answering(400, body);

    // Act
    const read = getRecordsPage(send, 'iter-1', 100);

    // Assess
    await expect(read).rejects.toMatchObject({ name });
  });

  it('says what came back when the answer is not JSON', async () => {
    // Prepare
    const { send } = answering(502, 'Bad Gateway');

    // Act
    const read = getRecordsPage(send, 'iter-1', 100);

    // Assess
    await expect(read).rejects.toThrow('Kinesis answered GetRecords with HTTP 502 and no JSON');
  });

  it('builds requests the local cloud routes to Kinesis', () => {
    // Act
    const req = kinesisRequest('ListShards', { StreamName: 'wildrydes' });

    // Assess
    expect(req).toMatchObject({ service: 'kinesis', method: 'POST', url: '/' });
    expect(req.headers['content-type']).toBe('application/x-amz-json-1.1');
  });
});
