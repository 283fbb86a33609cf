import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileProcessingNames } from '../contracts/file-processing.ts';
import { findModule } from '../core/curriculum.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/local-cloud.ts';
import { createProgress } from '../core/progress-line.ts';
import { targetConfig } from '../core/target.ts';
import { objectCreatedEvent } from '../testing/file-processing.ts';
import { clientConfig, eventually, useLocalCloud } from '../testing/local-cloud.ts';
import { check, type Module1Context } from './module1.ts';
import { runCheck, type StepOutcome } from './report.ts';

const names = fileProcessingNames(LOCAL_ACCOUNT, LOCAL_REGION);
const goodPage = '<!doctype html><html><body><h1>Great ride</h1><p>Loved it.</p></body></html>';
const goodItem = (key: string) => ({
  id: `s3://${names.inputBucket}/${key}`,
  last_modified: new Date(Date.now() + 5000).toISOString(),
  overall_sentiment: 'POSITIVE',
  positive: 0.9,
  negative: 0.02,
  neutral: 0.07,
  mixed: 0.01,
});

// The check's logic against crafted data: each test puts the deployment in one more state, in order.
describe('check:module1', () => {
  const cloud = useLocalCloud();
  let ctx: Module1Context;
  let s3: S3Client;
  let table: DynamoDBDocumentClient;
  let sqs: SQSClient;
  let stateDir: string;

  const step = async (index: number): Promise<StepOutcome> => {
    const s = check.steps[index];
    if (!s) throw new Error(`no step ${index}`);
    try {
      return await s.run(ctx);
    } catch (err) {
      const e = err as { problem?: string; hint?: string };
      return { ok: false, problem: e.problem ?? String(err), hint: e.hint };
    }
  };
  const page = (key: string, body: string) =>
    s3.send(
      new PutObjectCommand({ Bucket: names.outputBucket, Key: key, Body: body, ContentType: 'text/html' }),
    );
  const queueUrl = async (name: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;

  beforeAll(async () => {
    process.env.WILDRYDES_ENDPOINT = cloud().endpoint;
    stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-check1-'));
    process.env.WILDRYDES_STATE_DIR = stateDir;
    ctx = check.context(targetConfig('local'), { name: 'Shadowfax', waitSeconds: 1 });
    ctx.pollMs = 100;
    ctx.progress = createProgress({ quiet: true });
    s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
    table = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(cloud())));
    sqs = new SQSClient(clientConfig(cloud()));
  });

  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('says module 1 is not deployed, and how to deploy it', async () => {
    // Act
    const outcome = await step(0);

    // Assess
    expect(outcome).toMatchObject({ ok: false, problem: `the bucket ${names.inputBucket} does not exist` });
    expect(outcome.ok || outcome.hint).toContain('npm run deploy -- 1');
  });

  it('finds the deployed resources', async () => {
    // Prepare: what the stack creates, made directly
    for (const bucket of [names.inputBucket, names.outputBucket])
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const dynamodb = new DynamoDBClient(clientConfig(cloud()));
    await dynamodb.send(
      new CreateTableCommand({
        TableName: names.table,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const queue of [
      names.conversionQueue,
      names.conversionDlq,
      names.sentimentQueue,
      names.sentimentDlq,
    ]) {
      await sqs.send(new CreateQueueCommand({ QueueName: queue }));
    }

    // Act
    const outcome = await eventually(async () => {
      const result = await step(0);
      return result.ok ? result : undefined;
    });

    // Assess
    expect(outcome).toMatchObject({ ok: true });
  });

  it('asks for uploads when the input bucket is empty', async () => {
    // Act
    const outcome = await step(1);

    // Assess
    expect(outcome).toMatchObject({ ok: false, problem: expect.stringContaining('no Markdown notes') });
    expect(outcome.ok || outcome.hint).toContain('npm run upload -- modules/01-file-processing/samples');
  });

  it('finds the uploaded notes', async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket: names.inputBucket, Key: 'ana.md', Body: '# Great ride' }));
    await s3.send(new PutObjectCommand({ Bucket: names.inputBucket, Key: 'ignored.txt', Body: 'x' }));

    // Act
    const outcome = await step(1);

    // Assess
    expect(outcome).toEqual({ ok: true, detail: '1 note' });
  });

  it('waits, then reports a page that was never written', async () => {
    // Act
    const started = Date.now();
    const outcome = await step(2);

    // Assess
    expect(outcome).toMatchObject({
      ok: false,
      problem: `s3://${names.outputBucket}/ana.html was not written within 1 s of waiting`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it.each([
    [
      'a script',
      '<html><body><h1>x</h1><script>alert(1)</script></body></html>',
      /not sanitised: <script> tag/,
    ],
    [
      'an event handler',
      '<html><body><img src="x" onerror="alert(1)"></body></html>',
      /onerror= event-handler/,
    ],
    [
      'a javascript: link',
      '<html><body><a href="javascript:alert(1)">x</a></body></html>',
      /runs code \(javascript:\)/,
    ],
    [
      'an empty page',
      '<!doctype html><html><head><title>ana.md</title></head><body></body></html>',
      /has no text/,
    ],
    ['plain text', '<html><body># Great ride</body></html>', /plain text, not HTML/],
  ])('reports a page with %s', async (_, html, problem) => {
    // Prepare
    await page('ana.html', html);

    // Act
    const outcome = await step(2);

    // Assess
    expect(outcome).toMatchObject({ ok: false, problem: expect.stringMatching(problem) });
    expect(outcome.ok || outcome.hint).toBe(findModule(1)?.hints[0]);
  });

  it('passes a sanitised page', async () => {
    // Prepare
    await page('ana.html', goodPage);

    // Act
    const outcome = await step(2);

    // Assess
    expect(outcome).toMatchObject({ ok: true });
  });

  it('passes an empty page when the note is all markup the sanitiser drops', async () => {
    // Prepare: the red team's note, and the empty page a correct conversion writes for it
    const hostile = '<noscript><p title="</noscript><img src=x onerror=alert(1)>">';
    await s3.send(new PutObjectCommand({ Bucket: names.inputBucket, Key: 'ana.md', Body: hostile }));
    await page('ana.html', '<!doctype html><html><head><title>ana.md</title></head><body></body></html>');

    // Act
    const outcome = await step(2);

    // Assess
    expect(outcome).toMatchObject({ ok: true });
    await s3.send(new PutObjectCommand({ Bucket: names.inputBucket, Key: 'ana.md', Body: '# Great ride' }));
    await page('ana.html', goodPage);
  });

  it('reports an empty table', async () => {
    // Act
    const outcome = await step(3);

    // Assess
    expect(outcome).toMatchObject({
      ok: false,
      problem: expect.stringContaining(`SentimentTable has no row for s3://${names.inputBucket}/ana.md`),
    });
  });

  it.each([
    ['scores that do not add up to 1', { positive: 0.9, negative: 0.9 }, /add up to 1\.880, not 1/],
    ['an unknown label', { overall_sentiment: 'TODO' }, /overall_sentiment is "TODO"/],
    ['a missing score', { mixed: undefined }, /mixed is undefined, not a number/],
  ])('reports a row with %s', async (_, change, problem) => {
    // Prepare
    await table.send(new PutCommand({ TableName: names.table, Item: { ...goodItem('ana.md'), ...change } }));

    // Act
    const outcome = await step(3);

    // Assess
    expect(outcome).toMatchObject({ ok: false, problem: expect.stringMatching(problem) });
    expect(outcome.ok || outcome.hint).toBe(findModule(1)?.hints[1]);
  });

  it('passes a valid row', async () => {
    // Prepare
    await table.send(new PutCommand({ TableName: names.table, Item: goodItem('ana.md') }));

    // Act
    const outcome = await step(3);

    // Assess
    expect(outcome).toEqual({ ok: true, detail: '1 POSITIVE' });
  });

  it('names a note in a dead-letter queue and why it is there, without removing it', async () => {
    // Prepare: a file that is not UTF-8, whose event ended in the conversion DLQ
    await s3.send(
      new PutObjectCommand({
        Bucket: names.inputBucket,
        Key: 'bad file.md',
        Body: new Uint8Array([0xff, 0xfe]),
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: await queueUrl(names.conversionDlq),
        MessageBody: JSON.stringify(objectCreatedEvent(names.inputBucket, 'bad file.md')),
      }),
    );

    // Act
    const first = await step(4);
    const again = await step(4);

    // Assess
    expect(first).toMatchObject({
      ok: false,
      problem: expect.stringMatching(
        /^wildrydes-conversion-dlq holds a message — bad file\.md: .*not valid UTF-8/,
      ),
      hint: expect.stringContaining('aws sqs purge-queue'),
    });
    expect(again).toEqual(first);
  });

  it('fails a note at once when its message is in the DLQ, instead of waiting', async () => {
    // Prepare: the notes step sees the poison file too
    await step(1);
    ctx.waitSeconds = 30;

    // Act
    const started = Date.now();
    const outcome = await step(2);

    // Assess
    expect(outcome).toMatchObject({
      ok: false,
      problem: expect.stringContaining(
        'bad file.md was not processed: its message is in the conversion dead-letter queue',
      ),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    ctx.waitSeconds = 1;
  });

  it('passes the whole check once the poison file is gone', async () => {
    // Prepare
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    await s3.send(new DeleteObjectCommand({ Bucket: names.inputBucket, Key: 'bad file.md' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: await queueUrl(names.conversionDlq) }));
    const lines: string[] = [];
    const module = findModule(1);
    if (!module) throw new Error('no module 1');

    // Act
    const code = await runCheck({
      module,
      target: ctx.target,
      steps: check.steps,
      ctx,
      out: (l) => lines.push(l),
    });

    // Assess
    expect(lines.join('\n')).not.toContain('✖');
    expect(code).toBe(0);
    expect(lines.at(-1)).toContain('Module 1 is done');
  });
});
