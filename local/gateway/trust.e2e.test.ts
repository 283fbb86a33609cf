import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson, awsCliTitle, findAwsCli, runAwsCli } from '../../testing/aws-cli.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { type LocalCloud, startLocalCloud } from '../cloud.ts';
import { LOCAL_REGION } from '../types.ts';

const EVIL = 'https://evil.example';
/** SigV4 scopes in a query string: how a web form names a service without an Authorization header. */
const scope = (service: string) =>
  `X-Amz-Credential=${encodeURIComponent(`x/20261202/us-east-1/${service}/aws4_request`)}`;

/** A raw HTTP/1.1 request with the headers given, `Host` included (fetch will not forge it). */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the local cloud refuses web pages and rebound hosts', () => {
  const cloud = useLocalCloud();
  let destroys = 0;
  let queueUrl = '';
  let topicArn = '';
  const reached: string[] = [];

  beforeAll(async () => {
    cloud().control('destroy', async () => {
      destroys++;
      return { status: 200, body: '{}' };
    });
    for (const service of ['sqs', 'sns'])
      cloud().observe(service, (req) => void reached.push(`${service} ${req.url}`));
    const sqs = new SQSClient(clientConfig(cloud()));
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'trust' }))).QueueUrl ?? '';
    topicArn =
      (await new SNSClient(clientConfig(cloud())).send(new CreateTopicCommand({ Name: 'trust' }))).TopicArn ??
      '';
    reached.length = 0;
  });

  it("refuses the red team's POST to /_wildrydes/destroy with a foreign Origin", async () => {
    // Act
    const res = await fetch(`${cloud().endpoint}/_wildrydes/destroy`, {
      method: 'POST',
      headers: { origin: EVIL },
    });

    // Assess
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(await res.json()).toMatchObject({
      message: expect.stringMatching(/refuses requests from web pages/),
    });
    expect(destroys).toBe(0);
  });

  it.each([
    ['sqs', () => `Action=SendMessage&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=pwned`],
    ['sns', () => `Action=Publish&TopicArn=${encodeURIComponent(topicArn)}&Message=pwned`],
  ])('refuses a form-encoded %s post from a foreign Origin, in the query protocol', async (service, form) => {
    // Act
    const res = await fetch(`${cloud().endpoint}/?${scope(service)}`, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
      body: form(),
    });

    // Assess
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/<Code>AccessDenied<\/Code>/);
    expect(reached).toEqual([]);
  });

  it('refuses a request for another host: a page that rebinds its domain to 127.0.0.1', async () => {
    // Act
    const res = await raw(`${cloud().endpoint}/_wildrydes/destroy`, {
      method: 'POST',
      headers: { host: `rebind.evil.example:${cloud().port}` },
    });

    // Assess
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/only requests for a loopback host/);
    expect(destroys).toBe(0);
  });

  it('refuses a cross-site request that carries no Origin (an <img> GET of a query-protocol URL)', async () => {
    // Act
    const res = await raw(`${cloud().endpoint}/?${scope('sqs')}&Action=SendMessage&MessageBody=x`, {
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
    });

    // Assess
    expect(res.status).toBe(403);
    expect(reached).toEqual([]);
  });

  it.each(['127.0.0.1', 'localhost'])('serves the SDK at %s, as before', async (host) => {
    // Prepare
    const endpoint = `http://${host}:${cloud().port}`;
    const sqs = new SQSClient({ ...clientConfig(cloud()), endpoint });

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }),
    );

    // Assess
    expect(Messages?.map((m) => m.Body)).toEqual(['hello']);
  });

  it('serves a browser opening the health page itself (no Origin, Sec-Fetch-Site: none)', async () => {
    // Act
    const res = await raw(`${cloud().endpoint}/_wildrydes/health`, { headers: { 'sec-fetch-site': 'none' } });

    // Assess
    expect(res.status).toBe(200);
  });
});

/** A non-loopback IPv4 address of this machine, if it has one. */
const OWN_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;

describe.skipIf(!OWN_ADDRESS)(`--allow-remote: other machines (${OWN_ADDRESS}) prove the secret`, () => {
  let cloud: LocalCloud;
  let remote = '';
  let secret = '';
  const cli = findAwsCli();

  beforeAll(async () => {
    // No address counts as this machine's: a call to its own external address stands for another machine's.
    cloud = await startLocalCloud({
      host: '0.0.0.0',
      port: 0,
      allowRemote: true,
      gateway: { ownAddresses: new Set() },
    });
    remote = `http://${OWN_ADDRESS}:${cloud.port}`;
    secret = cloud.secret ?? '';
  });
  afterAll(() => cloud?.stop());

  const signed = (key: string) => ({
    endpoint: remote,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'attendee', secretAccessKey: key },
  });

  it('generates a secret of its own', () => {
    // Assess
    expect(secret).toMatch(/^[\w-]{32}$/);
  });

  it('refuses an unsigned request and a control call without the token', async () => {
    // Act
    const unsigned = await fetch(`${remote}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'Kinesis_20131202.ListStreams' },
    });
    const control = await fetch(`${remote}/_wildrydes/health`);
    const wrong = await fetch(`${remote}/_wildrydes/health`, { headers: { authorization: 'Bearer nope' } });

    // Assess
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect([control.status, wrong.status]).toEqual([403, 403]);
    expect(await control.text()).toMatch(/WILDRYDES_TOKEN/);
  });

  it('serves a control call with the token', async () => {
    // Act
    const res = await fetch(`${remote}/_wildrydes/health`, {
      headers: { authorization: `Bearer ${secret}` },
    });

    // Assess
    expect(res.status).toBe(200);
  });

  it('refuses the SDK signing with the dummy secret, with AWS error code', async () => {
    // Act & Assess
    await expect(new KinesisClient(signed('test')).send(new ListStreamsCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    await expect(
      new S3Client({ ...signed('test'), forcePathStyle: true }).send(
        new CreateBucketCommand({ Bucket: 'nope' }),
      ),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  it('serves the SDK signing with the secret: Kinesis over HTTP/2, DynamoDB, S3, SQS, SNS', async () => {
    // Prepare
    const config = signed(secret);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const sqs = new SQSClient(config);
    const sns = new SNSClient(config);

    // Act
    await new KinesisClient(config).send(new ListStreamsCommand({}));
    await new DynamoDBClient(config).send(new ListTablesCommand({}));
    await s3.send(new CreateBucketCommand({ Bucket: 'remote' }));
    await s3.send(new PutObjectCommand({ Bucket: 'remote', Key: 'a b/ü.md', Body: 'note' }));
    const object = await s3.send(new GetObjectCommand({ Bucket: 'remote', Key: 'a b/ü.md' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'remote' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hi' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'remote' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'hi', Subject: 'hello' }));

    // Assess
    expect(await object.Body?.transformToString()).toBe('note');
  });

  it('still serves this machine without the secret (functions, mappings, the CLIs)', async () => {
    // Act & Assess
    await new KinesisClient({ ...clientConfig(cloud), endpoint: `http://127.0.0.1:${cloud.port}` }).send(
      new ListStreamsCommand({}),
    );
  });

  it('serves a program of this machine calling its own external address', async () => {
    // Prepare
    const own = await startLocalCloud({ host: OWN_ADDRESS, port: 0, allowRemote: true });

    // Act
    const res = await fetch(`${own.endpoint}/_wildrydes/health`).finally(() => own.stop());

    // Assess
    expect(res.status).toBe(200);
  });

  it(awsCliTitle('serves the aws CLI signing with the secret, refuses it without', cli), async () => {
    if (!cli) return;
    // Act
    const refused = await runAwsCli(cli, remote, ['sqs', 'list-queues']);
    const served = await awsCliJson(cli, remote, ['sqs', 'list-queues'], { AWS_SECRET_ACCESS_KEY: secret });

    // Assess
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/InvalidSignature|signature/i);
    expect(served).toBeDefined();
  });
});
