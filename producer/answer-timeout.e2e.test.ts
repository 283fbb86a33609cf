import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../core/local-cloud.ts';
import { createKinesis, kinesisPutRecords } from './aws.ts';

// A Kinesis endpoint that answers PutRecords late, as a loaded local cloud does: the producer
// must wait for the answer rather than give up and send the records a second time.
const ANSWER_DELAY_MS = 600;
const CONNECT_TIMEOUT_MS = 200;

describe('a PutRecords answered late', () => {
  let server: Http2Server;
  let endpoint: string;
  let calls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls++;
      req.resume();
      req.on('end', () => {
        setTimeout(() => {
          if (res.closed) return;
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(
            JSON.stringify({
              FailedRecordCount: 0,
              Records: [{ SequenceNumber: '1', ShardId: 'shardId-000000000000' }],
            }),
          );
        }, ANSWER_DELAY_MS);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const connection = () => ({
    region: 'us-east-1',
    endpoint,
    credentials: { ...LOCAL_CREDENTIALS },
    where: endpoint,
  });
  const entry = { partitionKey: 'Shadowfax', data: Buffer.from('{}') };

  it('is waited for past the connect timeout: one call, its record stored once', async () => {
    calls = 0;
    const client = createKinesis(connection(), CONNECT_TIMEOUT_MS);

    const outcomes = await kinesisPutRecords(client, 'wildrydes')([entry]);

    expect(outcomes).toEqual([{ errorCode: undefined, errorMessage: undefined }]);
    expect(calls).toBe(1);
    client.destroy();
  });

  it('times out after the answer timeout, whatever the connect timeout', async () => {
    const client = createKinesis(connection(), ANSWER_DELAY_MS * 10);

    const put = kinesisPutRecords(client, 'wildrydes', ANSWER_DELAY_MS / 2)([entry]);

    await expect(put).rejects.toMatchObject({ name: 'TimeoutError' });
    client.destroy();
  });
});
