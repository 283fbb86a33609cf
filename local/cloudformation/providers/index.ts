/** Every resource type the local deployer knows, with the provider that handles it. */
import { dynamodbGlobalTableProvider, dynamodbTableProvider } from '../../dynamodb/provider.ts';
import { eventsRuleProvider } from '../../events/provider.ts';
import { kinesisStreamProvider } from '../../kinesis/provider.ts';
import { eventSourceMappingProvider, lambdaFunctionProvider } from '../../lambda/provider.ts';
import {
  autoDeleteObjectsProvider,
  bucketDeploymentProvider,
  bucketNotificationsProvider,
  s3BucketProvider,
} from '../../s3/provider.ts';
import { snsSubscriptionProvider, snsTopicProvider } from '../../sns/provider.ts';
import { sqsQueueProvider } from '../../sqs/provider.ts';
import { recordedProviders } from './recorded.ts';
import type { ResourceProvider } from './types.ts';

/** Providers by CloudFormation resource type. */
export const PROVIDERS: Readonly<Record<string, ResourceProvider>> = {
  'AWS::DynamoDB::Table': dynamodbTableProvider,
  'AWS::DynamoDB::GlobalTable': dynamodbGlobalTableProvider,
  'AWS::Kinesis::Stream': kinesisStreamProvider,
  'AWS::SQS::Queue': sqsQueueProvider,
  'AWS::S3::Bucket': s3BucketProvider,
  'AWS::SNS::Topic': snsTopicProvider,
  'AWS::SNS::Subscription': snsSubscriptionProvider,
  'AWS::Events::Rule': eventsRuleProvider,
  'AWS::Lambda::Function': lambdaFunctionProvider,
  'AWS::Lambda::EventSourceMapping': eventSourceMappingProvider,
  'Custom::S3BucketNotifications': bucketNotificationsProvider,
  'Custom::S3AutoDeleteObjects': autoDeleteObjectsProvider,
  'Custom::CDKBucketDeployment': bucketDeploymentProvider,
  ...recordedProviders,
};

/** Resource types that are recorded but not created (their `Ref`/`GetAtt` values are made up). */
export const RECORDED_TYPES: ReadonlySet<string> = new Set([
  ...Object.keys(recordedProviders),
  'Custom::S3AutoDeleteObjects',
]);

/** Finds the provider of a resource type; undefined when the local cloud does not support it. */
export type ProviderLookup = (type: string) => ResourceProvider | undefined;

/** The provider of a resource type among the built-in ones. */
export const providerFor: ProviderLookup = (type) =>
  Object.hasOwn(PROVIDERS, type) ? PROVIDERS[type] : undefined;

/**
 * A lookup with `extra` providers in front of the built-in ones: providers bound to a service's
 * store (IAM roles, SSM parameters) replace the recorded-only ones.
 */
export function providerLookup(extra: Readonly<Record<string, ResourceProvider>> = {}): ProviderLookup {
  return (type) => (Object.hasOwn(extra, type) ? extra[type] : providerFor(type));
}

/** Custom resources whose job the deployer does itself; their handler functions are not run. */
export const isKnownCustomResource = (type: string, lookup: ProviderLookup = providerFor): boolean =>
  type.startsWith('Custom::') && lookup(type) !== undefined;
