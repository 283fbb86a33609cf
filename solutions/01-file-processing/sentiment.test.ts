import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { sentimentItemProblems } from '../../checks/module1-verify.ts';
import { installComprehend } from '../../local/comprehend/index.ts';
import { fakeContext, objectCreatedEvent, sqsEvent } from '../../testing/file-processing.ts';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';
import { COMPREHEND_MAX_BYTES, sentimentItem, truncateUtf8 } from './sentiment.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('truncateUtf8', () => {
  it.each([
    ['short ASCII is unchanged', 'hello', 10, 'hello'],
    ['ASCII is cut at the limit', 'abcdef', 4, 'abcd'],
    ['exactly the limit is unchanged', 'abcd', 4, 'abcd'],
    ['a 2-byte letter is not split', 'aé', 2, 'a'],
    ['a 3-byte character is not split', 'a€b', 3, 'a'],
    ['a 4-byte emoji is not split', 'ab🦄', 5, 'ab'],
    ['an emoji with a skin tone stays whole', 'a👍🏽', 5, 'a'],
    ['a family emoji (ZWJ sequence) stays whole', 'x👨‍👩‍👧', 12, 'x'],
    ['a letter with a combining accent stays whole', 'ae\u0301', 2, 'a'],
    ['a flag (two regional indicators) stays whole', 'a🇨🇭', 5, 'a'],
    ['zero bytes gives an empty string', 'abc', 0, ''],
  ])('%s', (_, text, limit, expected) => {
    // Act
    const cut = truncateUtf8(text, limit);

    // Assess
    expect(cut).toBe(expected);
    expect(bytes(cut)).toBeLessThanOrEqual(limit);
  });

  it('falls back to code points when one character is longer than the limit', () => {
    // Prepare: one grapheme of 1 + 100 × 2 bytes
    const text = `a${'\u0301'.repeat(100)}`;

    // Act
    const cut = truncateUtf8(text, 11);

    // Assess
    expect(cut).toBe(`a${'\u0301'.repeat(5)}`);
  });

  it.each([
    ['ASCII', 'x'],
    ['2-byte', 'é'],
    ['3-byte', '€'],
    ['emoji', '🦄'],
  ])('cuts 10,000 %s characters to at most 5,000 bytes of whole characters', (_, unit) => {
    // Prepare
    const text = unit.repeat(10_000);

    // Act
    const cut = truncateUtf8(text, COMPREHEND_MAX_BYTES);

    // Assess
    expect(bytes(cut)).toBeLessThanOrEqual(COMPREHEND_MAX_BYTES);
    expect(bytes(cut)).toBeGreaterThan(COMPREHEND_MAX_BYTES - bytes(unit));
    expect(cut).toBe(unit.repeat(cut.length / unit.length));
  });
});

describe('sentimentItem', () => {
  const ref = { bucket: 'in', key: 'notes/a.md' };
  const lastModified = new Date('2026-11-23T09:00:00Z');

  it('maps a Comprehend answer to a table row', () => {
    // Act
    const item = sentimentItem(ref, lastModified, {
      Sentiment: 'POSITIVE',
      SentimentScore: { Positive: 0.9, Negative: 0.02, Neutral: 0.07, Mixed: 0.01 },
    });

    // Assess
    expect(item).toEqual({
      id: 's3://in/notes/a.md',
      last_modified: '2026-11-23T09:00:00.000Z',
      overall_sentiment: 'POSITIVE',
      positive: 0.9,
      negative: 0.02,
      neutral: 0.07,
      mixed: 0.01,
    });
    expect(sentimentItemProblems({ ...item })).toEqual([]);
  });

  it('counts an empty file as fully neutral', () => {
    // Act
    const item = sentimentItem(ref, lastModified);

    // Assess
    expect(item).toMatchObject({
      overall_sentiment: 'NEUTRAL',
      neutral: 1,
      positive: 0,
      negative: 0,
      mixed: 0,
    });
    expect(sentimentItemProblems({ ...item })).toEqual([]);
  });
});

describe('sentiment handler on a local cloud', () => {
  const cloud = useLocalCloud();
  const input = 'sentiment-test-input';
  const tableName = 'SentimentTestTable';
  let s3: S3Client;
  let table: DynamoDBDocumentClient;
  let handler: typeof import('./sentiment.ts').handler;

  beforeAll(async () => {
    // Prepare: Comprehend, S3 and DynamoDB as a deployed function sees them.
    installComprehend(cloud());
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: cloud().endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      TABLE_NAME: tableName,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    s3 = new S3Client(clientConfig(cloud()));
    const dynamodb = new DynamoDBClient(clientConfig(cloud()));
    table = DynamoDBDocumentClient.from(dynamodb);
    await s3.send(new CreateBucketCommand({ Bucket: input }));
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await eventually(async () => {
      await table.send(new GetCommand({ TableName: tableName, Key: { id: 'probe' } }));
      return true;
    });
    ({ handler } = await import('./sentiment.ts'));
  });

  it('scores each file, long ones by their first 5,000 bytes, and fails only the bad one', async () => {
    // Prepare
    const files: [string, Uint8Array | string][] = [
      ['happy rider.md', 'What a wonderful, smooth ride. I love it!'],
      ['long.md', `${'The unicorn was terrible and rude. '.repeat(200)}🦄`],
      ['empty.md', ''],
      ['binary.md', new Uint8Array([0xff, 0xfe, 0xfd])],
    ];
    for (const [key, body] of files)
      await s3.send(new PutObjectCommand({ Bucket: input, Key: key, Body: body }));
    const event = sqsEvent(files.map(([key]) => JSON.stringify(objectCreatedEvent(input, key))));

    // Act
    const result = await handler(event, fakeContext('sentiment'));

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'message-3' }]);
    const item = async (key: string) =>
      (await table.send(new GetCommand({ TableName: tableName, Key: { id: `s3://${input}/${key}` } })))
        .Item ?? {};
    expect(await item('happy rider.md')).toMatchObject({ overall_sentiment: 'POSITIVE' });
    expect(await item('long.md')).toMatchObject({ overall_sentiment: 'NEGATIVE' });
    expect(await item('empty.md')).toMatchObject({ overall_sentiment: 'NEUTRAL', neutral: 1 });
    for (const key of ['happy rider.md', 'long.md', 'empty.md']) {
      expect(sentimentItemProblems(await item(key))).toEqual([]);
    }
  });
});
