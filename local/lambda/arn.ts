import { LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';

/** The ARN AWS gives a function: `arn:aws:lambda:us-east-1:000000000000:function:NAME`. */
export const functionArn = (name: string): string =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

/** A Kinesis stream's ARN: `arn:aws:kinesis:us-east-1:000000000000:stream/NAME`. */
export const streamArn = (name: string): string =>
  `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${name}`;

/** The role events name as `invokeIdentityArn` when the template gives the function none. */
export const DEFAULT_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/lambda-role`;

/** What an event source ARN points at, as far as the local Lambda can read from it. */
export type EventSource =
  | { kind: 'kinesis'; arn: string; streamName: string }
  | { kind: 'sqs'; arn: string; queueName: string };

/**
 * Parses an event source ARN: a Kinesis stream (or one of its consumers, read as the stream
 * itself) or an SQS queue; anything else is `undefined`.
 */
export function parseEventSourceArn(arn: string): EventSource | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const service = parts[2];
  const resource = parts.slice(5).join(':');
  if (service === 'kinesis' && resource.startsWith('stream/')) {
    const streamName = resource.slice('stream/'.length).split('/')[0] ?? '';
    return streamName ? { kind: 'kinesis', arn, streamName } : undefined;
  }
  if (service === 'sqs' && resource && !resource.includes('/'))
    return { kind: 'sqs', arn, queueName: resource };
  return undefined;
}

/** An SNS topic ARN (`arn:aws:sns:…:topic`) rather than an SQS queue ARN. */
export const isTopicArn = (arn: string): boolean => arn.startsWith('arn:aws:sns:');

/**
 * The function name in what the Lambda API accepts as `FunctionName`: a name, a partial ARN
 * (`000000000000:function:NAME`) or a full ARN, each optionally with a `:$LATEST` qualifier.
 * Returns the name and the qualifier, if any.
 */
export function parseFunctionName(value: string): { name: string; qualifier?: string } {
  const parts = value.split(':');
  let rest = parts;
  if (parts[0] === 'arn') rest = parts.slice(5);
  else if (parts.length >= 3 && parts[1] === 'function') rest = parts.slice(1);
  if (rest[0] === 'function') rest = rest.slice(1);
  const [name = '', qualifier] = rest;
  return qualifier === undefined ? { name } : { name, qualifier };
}
