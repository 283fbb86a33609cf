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

/** The provider of a resource type, or undefined when the local cloud does not support it. */
export const providerFor = (type: string): ResourceProvider | undefined =>
  Object.hasOwn(PROVIDERS, type) ? PROVIDERS[type] : undefined;

/** Custom resources whose job the deployer does itself; their handler functions are not run. */
export const isKnownCustomResource = (type: string): boolean =>
  type.startsWith('Custom::') && providerFor(type) !== undefined;
