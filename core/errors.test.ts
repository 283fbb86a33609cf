import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { describeAwsError } from './errors.ts';

const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('describeAwsError', () => {
  it("explains an answer that is not AWS's (the CLIs pointed at the site's port)", async () => {
    // Prepare: a web server like the site's, answering HTML
    const site = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>not here</h1>'),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const config = {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    };

    // Act: DynamoDB over HTTP/1.1 gets the page; Kinesis over HTTP/2 a protocol error
    const http1 = await failure(new DynamoDBClient(config).send(new ListTablesCommand({})));
    const http2 = await failure(new KinesisClient(config).send(new ListStreamsCommand({})));
    site.close();

    // Assess
    expect(describeAwsError(http1, { endpoint })).toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        /answered HTTP 404, but not as an AWS service does: is it the local cloud's port/,
      ),
    });
    expect(describeAwsError(http2, { endpoint })?.message).toMatch(
      /answered, but not as an AWS service does/,
    );
  });
});
