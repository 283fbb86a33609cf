import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { FunctionDefinition } from '../local/types.ts';
import { eventually } from './local-cloud.ts';

/** Test helpers for the Lambda service's tests: fixture functions and what they wrote. */

/** The directory of the fixture handlers (plain .mjs files). */
export const FIXTURES = fileURLToPath(new URL('../local/lambda/fixtures/', import.meta.url));

/** A function definition for a fixture handler; `overrides` make it the case under test. */
export function fixture(handler: string, overrides: Partial<FunctionDefinition> = {}): FunctionDefinition {
  return {
    name: `fn-${handler.split('.')[0]?.replaceAll('/', '-')}`,
    handler,
    codeDir: FIXTURES,
    runtime: 'nodejs22.x',
    timeoutSeconds: 10,
    memorySizeMb: 256,
    environment: {},
    ...overrides,
  };
}

/** An invocation's payload, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary handler answers.
export const parse = (payload: string) => JSON.parse(payload) as Record<string, any>;

/** The JSON lines a fixture appended to a file (none when it does not exist yet). */
export async function jsonLines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

/** Creates a stream and waits until it is ACTIVE; returns its ARN. */
export async function createStream(kinesis: KinesisClient, name: string, shards = 1): Promise<string> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  return eventually(async () => {
    const { StreamDescriptionSummary: s } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    return s?.StreamStatus === 'ACTIVE' ? s.StreamARN : undefined;
  });
}

/** Puts text records in one PutRecords call; returns their sequence numbers. */
export async function putTexts(
  kinesis: KinesisClient,
  stream: string,
  texts: string[],
  key = (i: number) => `k${i}`,
) {
  const out = await kinesis.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: texts.map((t, i) => ({ Data: Buffer.from(t), PartitionKey: key(i) })),
    }),
  );
  return (out.Records ?? []).map((r) => r.SequenceNumber ?? '');
}

/** Creates a queue; returns its URL and ARN. */
export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string }> {
  const { QueueUrl: url = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: out.Attributes?.QueueArn ?? '' };
}

/** Waits for a message on a queue, deletes it and returns its body. */
export async function nextBody(sqs: SQSClient, url: string, timeoutMs = 20_000): Promise<string> {
  return eventually(async () => {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    const message = Messages?.[0];
    if (!message) return undefined;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    return message.Body ?? '';
  }, timeoutMs);
}

/** Waits for a message on a queue, deletes it and returns its body parsed. */
export async function nextMessage<T = Record<string, unknown>>(sqs: SQSClient, url: string): Promise<T> {
  return JSON.parse(await nextBody(sqs, url)) as T;
}
