/**
 * Module 1, sentiment: each Markdown file uploaded to the input bucket is scored by Amazon
 * Comprehend and the result is stored in `SentimentTable`. Triggered by SQS messages that carry
 * EventBridge "Object Created" events; one bad file fails alone (partial batch response).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  ComprehendClient,
  DetectSentimentCommand,
  type DetectSentimentResponse,
} from '@aws-sdk/client-comprehend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type ObjectRef, objectOfMessage } from '../shared/object-event.ts';
import { readMarkdown } from '../shared/read-object.ts';

const s3 = new S3Client({});
const comprehend = new ComprehendClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const logger = new Logger({ serviceName: 'sentiment' });
const processor = new BatchProcessor(EventType.SQS);

/** DetectSentiment accepts at most 5,000 bytes of UTF-8 text. */
export const COMPREHEND_MAX_BYTES = 5000;

/** One row of `SentimentTable`. */
export interface SentimentItem {
  /** `s3://bucket/key`: the file the sentiment is about. */
  id: string;
  /** When the file was last written (ISO 8601); a late event for an older version loses. */
  last_modified: string;
  /** POSITIVE, NEGATIVE, NEUTRAL or MIXED. */
  overall_sentiment: string;
  positive: number;
  negative: number;
  neutral: number;
  mixed: number;
}

/**
 * The longest prefix of `text` that fits in `maxBytes` of UTF-8, cut between user-perceived
 * characters (an emoji with its modifiers, a letter with its accents stay whole). A single
 * character longer than `maxBytes` is cut between code points instead, never inside one.
 */
export function truncateUtf8(text: string, _maxBytes: number): string {
  // TODO: Comprehend refuses more than 5,000 bytes of UTF-8 (not 5,000 characters: "é" is 2 bytes,
  // an emoji 4 or more). Return the longest prefix that fits, without cutting a character in two.
  // `Buffer.byteLength(s, 'utf8')` measures; `Intl.Segmenter` splits text into characters.
  return text;
}

/** The table key of a file: `s3://bucket/key`. */
export function itemId(ref: ObjectRef): string {
  return `s3://${ref.bucket}/${ref.key}`;
}

/**
 * The table row for a file from Comprehend's answer. No answer (an empty file, which Comprehend
 * refuses) counts as fully neutral.
 */
export function sentimentItem(
  ref: ObjectRef,
  lastModified: Date,
  _result?: Pick<DetectSentimentResponse, 'Sentiment' | 'SentimentScore'>,
): SentimentItem {
  // TODO: fill the row from Comprehend's answer: `Sentiment` is the label, `SentimentScore` holds
  // Positive, Negative, Neutral and Mixed. With no answer (an empty file) the file is NEUTRAL.
  return {
    id: itemId(ref),
    last_modified: lastModified.toISOString(),
    overall_sentiment: 'TODO',
    positive: 0,
    negative: 0,
    neutral: 0,
    mixed: 0,
  };
}

const tableName = (): string => {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set: the stack passes it to the function');
  return name;
};

async function score(record: SQSRecord): Promise<void> {
  try {
    const ref = objectOfMessage(record.body);
    const { text, lastModified } = await readMarkdown(s3, ref);
    const sample = truncateUtf8(text, COMPREHEND_MAX_BYTES);
    const result =
      sample.trim() === ''
        ? undefined
        : await comprehend.send(new DetectSentimentCommand({ Text: sample, LanguageCode: 'en' }));
    const item = sentimentItem(ref, lastModified, result);
    await table
      .send(
        new PutCommand({
          TableName: tableName(),
          Item: item,
          // Events can arrive out of order: never let an older version overwrite a newer one.
          ConditionExpression: 'attribute_not_exists(id) OR last_modified <= :lm',
          ExpressionAttributeValues: { ':lm': item.last_modified },
        }),
      )
      .catch((err) => {
        if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
        logger.info('a newer version is already scored', { id: item.id });
      });
    logger.info('scored', { id: item.id, sentiment: item.overall_sentiment, truncated: sample !== text });
  } catch (err) {
    logger.error('sentiment failed', { messageId: record.messageId, error: err as Error });
    throw err;
  }
}

/** SQS → Comprehend → DynamoDB, one record at a time; failed records are reported, not the batch. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  return processPartialResponse(event, score, processor, { context });
};
