/** Views of deployed stacks: their resources, bucket notification settings, email subscriptions. Pure. */
import type { SubscriptionData } from '../sns/provider.ts';
import type { StackRecord } from './state.ts';

/** A deployed resource, as `resourcesOf(stack)` lists it. */
export interface DeployedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  ref: string;
  attributes: Record<string, string>;
  /** True for accepted-but-not-enforced types (IAM, alarms, CDK metadata…): nothing was created. */
  recordedOnly: boolean;
}

/** A bucket's notification settings, from the bucket or CDK's `Custom::S3BucketNotifications`. */
export interface BucketNotification {
  bucket: string;
  /** "Send events to EventBridge" is on: S3 events of this bucket go to the default bus. */
  eventBridge: boolean;
  /** The NotificationConfiguration as the template gave it (queue/topic/function configurations are not delivered locally). */
  configuration: unknown;
  stack: string;
  logicalId: string;
}

/** An `email` or `email-json` subscription: what the local outbox delivers to. */
export interface EmailSubscription {
  topicArn: string;
  protocol: 'email' | 'email-json';
  endpoint: string;
  subscriptionArn: string;
  stack: string;
  logicalId: string;
}

const EMAIL_PROTOCOLS = new Set(['email', 'email-json']);

/** The resources of a stack (none when it is absent). */
export function resourcesOf(stack: StackRecord | undefined): DeployedResource[] {
  return Object.entries(stack?.resources ?? {}).map(([logicalId, r]) => ({
    logicalId,
    type: r.type,
    physicalId: r.physicalId,
    ref: r.ref,
    attributes: { ...r.attributes },
    recordedOnly: r.data?.recordedOnly === true,
  }));
}

/** Notification settings of the buckets of `stacks` (the local EventBridge reads `eventBridge`). */
export function bucketNotifications(stacks: readonly StackRecord[]): BucketNotification[] {
  const found: BucketNotification[] = [];
  for (const stack of stacks) {
    for (const [logicalId, r] of Object.entries(stack.resources)) {
      if (r.type !== 'AWS::S3::Bucket' && r.type !== 'Custom::S3BucketNotifications') continue;
      const bucket = r.type === 'AWS::S3::Bucket' ? r.physicalId : r.data?.bucket;
      if (typeof bucket !== 'string') continue;
      found.push({
        bucket,
        eventBridge: r.data?.eventBridge === true,
        configuration: r.data?.notificationConfiguration ?? null,
        stack: stack.stackName,
        logicalId,
      });
    }
  }
  return found;
}

/** Buckets of `stacks` whose events go to EventBridge. */
export const eventBridgeBuckets = (stacks: readonly StackRecord[]): string[] => [
  ...new Set(
    bucketNotifications(stacks)
      .filter((n) => n.eventBridge)
      .map((n) => n.bucket),
  ),
];

/** `email` and `email-json` subscriptions of the topics of `stacks`, for the local outbox. */
export function emailSubscriptions(stacks: readonly StackRecord[]): EmailSubscription[] {
  const found: EmailSubscription[] = [];
  for (const stack of stacks) {
    for (const [logicalId, r] of Object.entries(stack.resources)) {
      const subscriptions: SubscriptionData[] =
        r.type === 'AWS::SNS::Subscription'
          ? [r.data as unknown as SubscriptionData]
          : r.type === 'AWS::SNS::Topic'
            ? ((r.data?.subscriptions ?? []) as SubscriptionData[])
            : [];
      for (const s of subscriptions) {
        if (!s || !EMAIL_PROTOCOLS.has(s.protocol)) continue;
        found.push({
          topicArn: s.topicArn,
          protocol: s.protocol as EmailSubscription['protocol'],
          endpoint: s.endpoint,
          subscriptionArn: s.subscriptionArn,
          stack: stack.stackName,
          logicalId,
        });
      }
    }
  }
  return found;
}
