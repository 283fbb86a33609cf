import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanTable } from '../checks/streams.ts';
import { fileProcessingNames } from '../contracts/file-processing.ts';
import { repoRoot } from '../core/curriculum.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/local-cloud.ts';
import { analyzeSentiment } from '../local/comprehend/index.ts';
import type { FaultPlan } from '../local/faults/index.ts';
import { objectOfMessage } from '../modules/01-file-processing/shared/object-event.ts';
import { htmlDocument, htmlKeyOf, toSafeHtml } from '../solutions/01-file-processing/conversion.ts';
import {
  COMPREHEND_MAX_BYTES,
  sentimentItem,
  truncateUtf8,
} from '../solutions/01-file-processing/sentiment.ts';
import { drainQueue, settle } from '../testing/conservation.ts';
import { useDeployedFileProcessing } from '../testing/file-pipeline.ts';
import { clientConfig } from '../testing/local-cloud.ts';

// Module 1 (the solutions) under 10% throttling of DynamoDB and Comprehend and 10% crashed
// invocations, with poison files: every good file is converted and scored exactly once, the
// poison files end in both dead-letter queues, nothing else does. The seed makes early
// invocations of both functions crash, some just before they answer, after their writes.

const FAULTS: FaultPlan = { throttle: { dynamodb: 0.1, comprehend: 0.1 }, crash: 0.1, timeout: 0, seed: 250 };
const names = fileProcessingNames(LOCAL_ACCOUNT, LOCAL_REGION);
const samples = join(repoRoot, 'modules/01-file-processing/samples');
const MOODS = ['A lovely, wonderful ride.', 'A terrible, awful ride.', 'The ride was on Tuesday.'];
/** Notes that are not UTF-8 (Latin-1 "é"): they can never be converted. */
const POISON: Record<string, Uint8Array> = {
  'poison-latin1.md': new Uint8Array([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
  'poison-bytes.md': new Uint8Array([0xff, 0xfe, 0x00, 0x41]),
};
/** The queues the functions read (their DLQs hold what they gave up). */
const QUEUES = [names.conversionQueue, names.sentimentQueue];
/** Long enough for five receives 12 s apart, and crashed batches; generous, never asserted. */
const SETTLE_SECONDS = 150;

/** Messages on a queue, visible, in flight or delayed. */
async function messagesIn(sqs: SQSClient, queueName: string): Promise<number> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(Attributes).reduce((n, v) => n + Number(v), 0);
}

describe('module 1 under throttling, crashes and poison files', () => {
  const pipeline = useDeployedFileProcessing({ faults: FAULTS });
  let s3: S3Client;
  let sqs: SQSClient;
  let dynamodb: DynamoDBClient;
  const good = new Map<string, string>();

  beforeAll(async () => {
    const config = { ...clientConfig(pipeline.cloud()), maxAttempts: 10 };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sqs = new SQSClient(config);
    dynamodb = new DynamoDBClient(config);
    for (const file of (await readdir(samples)).filter((f) => f.endsWith('.md'))) {
      good.set(file, await readFile(join(samples, file), 'utf8'));
    }
    for (let i = 0; i < 14; i++)
      good.set(`notes/ride-${i}.md`, `# Ride ${i}\n\n${MOODS[i % MOODS.length]}\n`);
    const puts = [
      ...[...good].map(([Key, Body]) => ({ Key, Body: Buffer.from(Body) })),
      ...Object.entries(POISON).map(([Key, Body]) => ({ Key, Body })),
    ];
    // Interleaved, so poison and good notes share batches.
    puts.sort((a, b) => (a.Key.length % 3) - (b.Key.length % 3));
    for (const put of puts) await s3.send(new PutObjectCommand({ Bucket: names.inputBucket, ...put }));
  });

  it.each([
    ['conversion', names.conversionDlq],
    ['sentiment', names.sentimentDlq],
  ])(
    'moves the poison files, and only them, to the %s DLQ',
    async (_fn, queueName) => {
      // Prepare
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl ?? '';
      const arrived: unknown[] = [];

      // Act
      await settle(
        async () => arrived.push(...(await drainQueue<unknown>(sqs, url))),
        () => arrived.length >= Object.keys(POISON).length,
        SETTLE_SECONDS,
        'the poison files in the DLQ',
      );

      // Assess
      const keys = arrived.map((body) => objectOfMessage(JSON.stringify(body)).key).sort();
      expect(keys).toEqual(Object.keys(POISON).sort());
    },
    200_000,
  );

  it('leaves nothing in flight: both queues are empty once the poison is gone', async () => {
    // Act
    const left = await settle(
      async () => (await Promise.all(QUEUES.map((q) => messagesIn(sqs, q)))).reduce((a, b) => a + b, 0),
      (n) => n === 0,
      SETTLE_SECONDS,
      'the queues to empty',
    );

    // Assess
    expect(left).toBe(0);
  }, 200_000);

  it('converts every good file exactly once to its sanitised HTML, and nothing else', async () => {
    // Prepare
    const expected = [...good.keys()].map(htmlKeyOf).sort();

    // Act
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: names.outputBucket }));
    const keys = Contents.map((c) => c.Key ?? '').sort();

    // Assess
    expect(keys).toEqual(expected);
    for (const [key, text] of good) {
      const page = await s3.send(new GetObjectCommand({ Bucket: names.outputBucket, Key: htmlKeyOf(key) }));
      expect(await page.Body?.transformToString()).toBe(htmlDocument(key, toSafeHtml(text)));
    }
  });

  it('scores every good file exactly once in SentimentTable, and nothing else', async () => {
    // Prepare
    const expected = await Promise.all(
      [...good].map(async ([key, text]) => {
        const ref = { bucket: names.inputBucket, key };
        const head = await s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: key }));
        const sample = truncateUtf8(text, COMPREHEND_MAX_BYTES);
        return sentimentItem(ref, head.LastModified ?? new Date(0), analyzeSentiment(sample));
      }),
    );

    // Act
    const items = await scanTable(dynamodb, names.table);

    // Assess
    const byId = (a: { id?: unknown }, b: { id?: unknown }) => String(a.id).localeCompare(String(b.id));
    expect([...items].sort(byId)).toEqual([...expected].sort(byId));
  });

  it('ran under faults: throttled DynamoDB and Comprehend calls, crashed invocations of both functions', () => {
    // Act
    const stats = pipeline.cloud().faults?.stats();

    // Assess
    const refused = Object.keys(stats?.refused ?? {});
    expect(refused.some((k) => k.startsWith('dynamodb.'))).toBe(true);
    expect(refused.some((k) => k.startsWith('comprehend.'))).toBe(true);
    expect(stats?.crashes['wildrydes-conversion']).toBeGreaterThan(0);
    expect(stats?.crashes['wildrydes-sentiment']).toBeGreaterThan(0);
  });
});
