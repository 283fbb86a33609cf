/** `AWS::SNS::Topic` and `AWS::SNS::Subscription` on fauxqs. */
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  SetTopicAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { deepEqual } from '../cloudformation/diff.ts';
import { NAME_RULES, physicalName } from '../cloudformation/names.ts';
import type { ResourceProvider, ValidateContext } from '../cloudformation/providers/types.ts';
import {
  isAwsError,
  isRecord,
  jsonText,
  optArray,
  optBoolean,
  optString,
  type Props,
  reqString,
} from '../cloudformation/providers/values.ts';

const isFifo = (props: Props, ctx: ValidateContext) => optBoolean(props, 'FifoTopic', ctx.at) === true;

const topicName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'TopicName', ctx.at) ??
  physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.snsTopic, isFifo(props, ctx) ? '.fifo' : '');

/** A subscription as recorded: what the local outbox needs to deliver email. */
export interface SubscriptionData {
  topicArn: string;
  protocol: string;
  endpoint: string;
  subscriptionArn: string;
}

/** Subscription attributes the SNS API takes, from the CloudFormation properties. */
export function subscriptionAttributes(props: Props): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const key of ['RawMessageDelivery', 'FilterPolicyScope'] as const) {
    if (props[key] !== undefined) attributes[key] = String(props[key]);
  }
  for (const key of ['FilterPolicy', 'RedrivePolicy', 'DeliveryPolicy'] as const) {
    if (props[key] !== undefined) attributes[key] = jsonText(props[key]);
  }
  return attributes;
}

async function subscribe(sns: SNSClient, topicArn: string, protocol: string, endpoint: string, props: Props) {
  const attributes = subscriptionAttributes(props);
  const out = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: protocol,
      Endpoint: endpoint,
      Attributes: Object.keys(attributes).length ? attributes : undefined,
      ReturnSubscriptionArn: true,
    }),
  );
  return out.SubscriptionArn ?? `${topicArn}:${protocol}:${endpoint}`;
}

async function unsubscribe(sns: SNSClient, subscriptionArn: string) {
  try {
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  } catch (err) {
    if (!isAwsError(err, 'NotFound', 'NotFoundException', 'InvalidParameter')) throw err;
  }
}

/** The inline `Subscription` list of a topic. */
const inlineSubscriptions = (props: Props) =>
  optArray(props, 'Subscription')
    .filter(isRecord)
    .map((s) => ({ protocol: String(s.Protocol), endpoint: String(s.Endpoint) }));

/** Topics: name, FIFO, display name, inline subscriptions; policies and tags are recorded only. */
export const snsTopicProvider: ResourceProvider = {
  attributes: ['TopicArn', 'TopicName'],
  replaceOn: ['TopicName', 'FifoTopic'],
  nameOf: topicName,
  async create(props, ctx) {
    const { sns } = ctx.clients;
    const name = topicName(props, ctx);
    const attributes: Record<string, string> = {};
    if (props.DisplayName !== undefined) attributes.DisplayName = String(props.DisplayName);
    if (isFifo(props, ctx)) attributes.FifoTopic = 'true';
    if (props.ContentBasedDeduplication !== undefined) {
      attributes.ContentBasedDeduplication = String(props.ContentBasedDeduplication);
    }
    const out = await sns.send(
      new CreateTopicCommand({
        Name: name,
        Attributes: Object.keys(attributes).length ? attributes : undefined,
      }),
    );
    const arn = out.TopicArn ?? `arn:aws:sns:us-east-1:000000000000:${name}`;
    const subscriptions: SubscriptionData[] = [];
    for (const s of inlineSubscriptions(props)) {
      const subscriptionArn = await subscribe(sns, arn, s.protocol, s.endpoint, {});
      subscriptions.push({ topicArn: arn, ...s, subscriptionArn });
    }
    return {
      physicalId: arn,
      ref: arn,
      attributes: { TopicArn: arn, TopicName: name },
      data: { subscriptions },
    };
  },
  async update(props, previous, changed, ctx) {
    const { sns } = ctx.clients;
    const arn = previous.physicalId;
    if (changed.includes('DisplayName')) {
      await sns.send(
        new SetTopicAttributesCommand({
          TopicArn: arn,
          AttributeName: 'DisplayName',
          AttributeValue: optString(props, 'DisplayName', ctx.at) ?? '',
        }),
      );
    }
    const before = (previous.data?.subscriptions ?? []) as SubscriptionData[];
    const wanted = inlineSubscriptions(props);
    const kept = before.filter((b) =>
      wanted.some((w) => deepEqual(w, { protocol: b.protocol, endpoint: b.endpoint })),
    );
    for (const gone of before.filter((b) => !kept.includes(b))) await unsubscribe(sns, gone.subscriptionArn);
    const subscriptions = [...kept];
    for (const s of wanted.filter(
      (w) => !kept.some((k) => k.protocol === w.protocol && k.endpoint === w.endpoint),
    )) {
      subscriptions.push({
        topicArn: arn,
        ...s,
        subscriptionArn: await subscribe(sns, arn, s.protocol, s.endpoint, {}),
      });
    }
    return { physicalId: arn, ref: arn, attributes: previous.attributes, data: { subscriptions } };
  },
  async delete(previous, ctx) {
    try {
      await ctx.clients.sns.send(new DeleteTopicCommand({ TopicArn: previous.physicalId }));
    } catch (err) {
      if (!isAwsError(err, 'NotFound', 'NotFoundException')) throw err;
    }
  },
};

/**
 * Subscriptions, every protocol subscribed in fauxqs (so ListSubscriptionsByTopic shows them as on
 * AWS); fauxqs delivers `sqs`, and `email`/`email-json` ones are what the local outbox reads.
 */
export const snsSubscriptionProvider: ResourceProvider = {
  attributes: ['Arn'],
  // Attribute changes could be applied in place; re-subscribing is as good locally and simpler.
  replaceOn: '*',
  async create(props, ctx) {
    const topicArn = reqString(props, 'TopicArn', ctx.at);
    const protocol = reqString(props, 'Protocol', ctx.at);
    const endpoint = reqString(props, 'Endpoint', ctx.at);
    const subscriptionArn = await subscribe(ctx.clients.sns, topicArn, protocol, endpoint, props);
    const data: SubscriptionData = { topicArn, protocol, endpoint, subscriptionArn };
    return {
      physicalId: subscriptionArn,
      ref: subscriptionArn,
      attributes: { Arn: subscriptionArn },
      data: { ...data },
    };
  },
  async delete(previous, ctx) {
    await unsubscribe(ctx.clients.sns, previous.physicalId);
  },
};
