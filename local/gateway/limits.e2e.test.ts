import { connect, type Socket } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { KinesisClient, ListStreamsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';

const MiB = 1024 * 1024;
const SIGNED = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/** A raw connection to the cloud, with what it has received so far and whether it closed. */
function open(port: number): Promise<{ socket: Socket; received: () => string; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    let received = '';
    let closed = false;
    const socket = connect(port, '127.0.0.1', () =>
      resolve({ socket, received: () => received, closed: () => closed }),
    );
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('close', () => {
      closed = true;
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

describe('request bodies are capped at each service’s documented maximum', () => {
  const cloud = useLocalCloud({ gateway: { timeouts: { headersMs: 500, requestMs: 1_500, idleMs: 3_000 } } });

  it('answers an oversized Kinesis PutRecords (HTTP/2) with a 413 the SDK parses', async () => {
    // Prepare: 6 records of 1 MiB, 6 MiB of data in all (the request may carry 5)
    const kinesis = new KinesisClient({ ...clientConfig(cloud()), maxAttempts: 1 });
    const Records = Array.from({ length: 6 }, (_, i) => ({
      PartitionKey: `k${i}`,
      Data: new Uint8Array(MiB),
    }));

    // Act & Assess
    await expect(kinesis.send(new PutRecordsCommand({ StreamName: 's', Records }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
      message: 'Records size exceeds 5 MB limit',
      $metadata: { httpStatusCode: 413 },
    });
    await kinesis.send(new ListStreamsCommand({}));
  });

  it('answers an oversized DynamoDB request (HTTP/1.1) with ValidationException', async () => {
    // Prepare
    const dynamodb = new DynamoDBClient({ ...clientConfig(cloud()), maxAttempts: 1 });
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'big',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );

    // Act & Assess
    await expect(
      dynamodb.send(
        new PutItemCommand({ TableName: 'big', Item: { id: { S: 'x' }, v: { S: 'a'.repeat(17 * MiB) } } }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 413 } });
    await dynamodb.send(new ListTablesCommand({}));
  });

  it('refuses a 1 GiB body from its content-length, before a byte of it arrives', async () => {
    // Prepare
    const conn = await open(cloud().port);

    // Act: headers only; the body never comes
    conn.socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${SIGNED('kinesis')}\r\nContent-Length: ${1024 * MiB}\r\n\r\n`,
    );
    await eventually(async () => conn.received().includes('\r\n\r\n{') || undefined, 10_000, 'the answer');

    // Assess
    expect(conn.received()).toMatch(/^HTTP\/1\.1 413/);
    expect(conn.received()).toMatch(/"__type":"InvalidArgumentException"/);
    conn.socket.destroy();
  });

  it('refuses a chunked body as soon as it passes the cap, without keeping it', async () => {
    // Prepare
    const conn = await open(cloud().port);
    conn.socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${SIGNED('sqs')}\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const chunk = Buffer.alloc(MiB, 'a');

    // Act: 1 MiB chunks until the answer comes (SQS takes 2 MiB at most)
    for (let sent = 0; sent < 64 && !conn.received(); sent++) {
      conn.socket.write(`${chunk.length.toString(16)}\r\n`);
      conn.socket.write(chunk);
      conn.socket.write('\r\n');
      await new Promise((r) => setTimeout(r, 20));
    }
    await eventually(async () => conn.received() || undefined, 10_000, 'the answer');

    // Assess
    expect(conn.received()).toMatch(/^HTTP\/1\.1 413/);
    expect(conn.received()).toMatch(/BatchRequestTooLong/);
    conn.socket.destroy();
  });
});

describe('connections have deadlines and a bound', () => {
  const cloud = useLocalCloud({
    gateway: { timeouts: { headersMs: 500, requestMs: 1_500, idleMs: 3_000 }, maxConnections: 20 },
  });

  it.each([
    ['sends nothing', ''],
    ['sends half its headers', 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '],
  ])('closes a connection that %s', async (_what, bytes) => {
    // Prepare
    const conn = await open(cloud().port);

    // Act
    if (bytes) conn.socket.write(bytes);

    // Assess
    await eventually(async () => conn.closed() || undefined, 20_000, 'the connection to close');
  });

  it('answers 408 to a request whose body stops halfway, and closes it', async () => {
    // Prepare
    const conn = await open(cloud().port);

    // Act
    conn.socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${SIGNED('dynamodb')}\r\nContent-Length: 100\r\n\r\n{"half":`,
    );

    // Assess
    await eventually(async () => conn.closed() || undefined, 20_000, 'the connection to close');
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps the connection of a request whose answer takes longer than the idle deadline (a deploy)', async () => {
    // Prepare: a control endpoint that answers after 4 s, past the 3-s idle deadline
    cloud().control('slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"stacks":[]}' };
    });

    // Act
    const res = await fetch(`${cloud().endpoint}/_wildrydes/slow`, { method: 'POST', body: '{}' });

    // Assess
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stacks: [] });
  });

  it('keeps serving the SDK with 3 times its bound of slow connections open', async () => {
    // Prepare
    const slow = await Promise.all(Array.from({ length: 60 }, () => open(cloud().port)));
    for (const conn of slow) conn.socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n');

    // Act
    const { StreamNames } = await new KinesisClient(clientConfig(cloud())).send(new ListStreamsCommand({}));

    // Assess
    expect(StreamNames).toEqual([]);
    expect(cloud().connections()).toBeLessThanOrEqual(20);
    expect(slow.filter((c) => c.closed()).length).toBeGreaterThanOrEqual(40);
    for (const conn of slow) conn.socket.destroy();
  });
});
