/** `AWS::SQS::Queue` on fauxqs. */
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { NAME_RULES, physicalName } from '../cloudformation/names.ts';
import type {
  ProviderContext,
  ResourceProvider,
  ValidateContext,
} from '../cloudformation/providers/types.ts';
import {
  isAwsError,
  jsonText,
  optBoolean,
  optString,
  type Props,
} from '../cloudformation/providers/values.ts';

/** CloudFormation properties that are queue attributes of the same name. */
const ATTRIBUTE_PROPERTIES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
] as const;

/** What a queue attribute goes back to when the template stops setting it (SQS's defaults). */
const DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  RedrivePolicy: '',
};

const isFifo = (props: Props, ctx: ValidateContext) =>
  optBoolean(props, 'FifoQueue', ctx.at) === true ||
  optString(props, 'QueueName', ctx.at)?.endsWith('.fifo') === true;

const queueName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'QueueName', ctx.at) ??
  physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.sqsQueue, isFifo(props, ctx) ? '.fifo' : '');

/** Queue attributes for the SQS API from the CloudFormation properties (RedrivePolicy as JSON text). */
export function queueAttributes(props: Props): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const key of ATTRIBUTE_PROPERTIES) {
    const value = props[key];
    if (value !== undefined && value !== null)
      attributes[key] = typeof value === 'object' ? jsonText(value) : String(value);
  }
  if (props.FifoQueue === true || props.FifoQueue === 'true') attributes.FifoQueue = 'true';
  return attributes;
}

async function result(sqs: SQSClient, url: string, name: string) {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = out.Attributes?.QueueArn ?? `arn:aws:sqs:us-east-1:000000000000:${name}`;
  return { physicalId: url, ref: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url } };
}

async function setAttributes(sqs: SQSClient, url: string, attributes: Record<string, string>) {
  // FifoQueue cannot be changed after creation; a change of it replaces the queue instead.
  const { FifoQueue: _fifo, ...settable } = attributes;
  if (Object.keys(settable).length > 0) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: settable }));
  }
}

/**
 * Queues: every attribute the template sets (visibility timeout, retention, redrive policy with
 * the DLQ's ARN resolved, FIFO); `SqsManagedSseEnabled` and tags are recorded only.
 */
export const sqsQueueProvider: ResourceProvider = {
  attributes: ['Arn', 'QueueName', 'QueueUrl'],
  replaceOn: ['QueueName', 'FifoQueue'],
  nameOf: queueName,
  async create(props, ctx: ProviderContext) {
    const { sqs } = ctx.clients;
    const name = queueName(props, ctx);
    const attributes = queueAttributes(props);
    let url: string | undefined;
    try {
      url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
    } catch (err) {
      // A queue of that name with other settings outlived the deployer's memory: adopt it.
      if (!isAwsError(err, 'QueueNameExists', 'QueueAlreadyExists')) throw err;
      url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
      if (url) await setAttributes(sqs, url, attributes);
    }
    if (!url) throw new Error(`CreateQueue returned no URL for ${name}`);
    return result(sqs, url, name);
  },
  async update(props, previous, _changed, ctx) {
    const { sqs } = ctx.clients;
    const before = queueAttributes(previous.properties);
    const after = queueAttributes(props);
    const changes: Record<string, string> = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const value = after[key] ?? DEFAULTS[key];
      if (value !== undefined && value !== before[key]) changes[key] = value;
    }
    await setAttributes(sqs, previous.physicalId, changes);
    return result(sqs, previous.physicalId, previous.attributes.QueueName ?? queueName(props, ctx));
  },
  async delete(previous, ctx) {
    try {
      await ctx.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: previous.physicalId }));
    } catch (err) {
      if (!isAwsError(err, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) throw err;
    }
  },
};
