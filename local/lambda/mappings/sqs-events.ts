import type { Message } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { LOCAL_REGION } from '../../types.ts';
import type { InvocationOutcome } from './stream-batch.ts';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** One received message as Lambda delivers it (`SQSRecord`). */
export function sqsRecord(message: Message, queueArn: string): SQSRecord {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, a] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(a.StringValue !== undefined && { stringValue: a.StringValue }),
      ...(a.BinaryValue !== undefined && { binaryValue: base64(a.BinaryValue) }),
      stringListValues: a.StringListValues ?? [],
      binaryListValues: (a.BinaryListValues ?? []).map(base64),
      dataType: a.DataType ?? 'String',
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: (message.Attributes ?? {}) as unknown as SQSRecordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes && { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The message ids Lambda deletes after an invocation: none after a function error; all after a
 * success; with `ReportBatchItemFailures`, all but the reported ones — unless one of them is not
 * a message id of the batch (empty, null, unknown), which fails the whole batch, as on AWS.
 */
export function messagesToDelete(
  messageIds: readonly string[],
  outcome: InvocationOutcome,
  reportBatchItemFailures: boolean,
): string[] {
  if (outcome.functionError) return [];
  const response = outcome.response;
  if (!reportBatchItemFailures || !isObject(response)) return [...messageIds];
  const failures = response.batchItemFailures;
  if (failures === undefined || failures === null) return [...messageIds];
  if (!Array.isArray(failures)) return [];
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = isObject(failure) ? failure.itemIdentifier : undefined;
    if (typeof id !== 'string' || !messageIds.includes(id)) return [];
    failed.add(id);
  }
  return messageIds.filter((id) => !failed.has(id));
}
