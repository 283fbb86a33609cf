/**
 * AWS managed policies the local IAM knows, so that templates and scripts can attach them by ARN
 * (`arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`). Documents of the small
 * ones are AWS's; the broad ones (`…FullAccess`) grant their service's actions, abridged.
 */

/** An AWS managed policy: its path and name make its ARN. */
export interface AwsManagedPolicy {
  name: string;
  path: string;
  description: string;
  /** The default version's statements. */
  statement: { Effect: 'Allow'; Action: string | string[]; Resource: string }[];
}

const LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

const allow = (Action: string | string[]) => [{ Effect: 'Allow' as const, Action, Resource: '*' }];

/** When AWS published the managed policies (AdministratorAccess' creation date). */
export const AWS_MANAGED_CREATED = new Date('2015-02-06T18:39:46Z');

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    statement: allow('*'),
  },
  {
    name: 'AWSLambdaBasicExecutionRole',
    path: '/service-role/',
    description: 'Provides write permissions to CloudWatch Logs.',
    statement: allow(LOGS),
  },
  {
    name: 'AWSLambdaKinesisExecutionRole',
    path: '/service-role/',
    description: 'Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.',
    statement: allow([
      'kinesis:DescribeStream',
      'kinesis:DescribeStreamSummary',
      'kinesis:GetRecords',
      'kinesis:GetShardIterator',
      'kinesis:ListShards',
      'kinesis:ListStreams',
      'kinesis:SubscribeToShard',
      ...LOGS,
    ]),
  },
  {
    name: 'AWSLambdaSQSQueueExecutionRole',
    path: '/service-role/',
    description:
      'Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.',
    statement: allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS]),
  },
  {
    name: 'AWSLambdaDynamoDBExecutionRole',
    path: '/service-role/',
    description:
      'Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.',
    statement: allow([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      ...LOGS,
    ]),
  },
  {
    name: 'AWSLambdaRole',
    path: '/service-role/',
    description: 'Default policy for AWS Lambda service role.',
    statement: allow('lambda:InvokeFunction'),
  },
  {
    name: 'AmazonDynamoDBFullAccess',
    path: '/',
    description: 'Provides full access to Amazon DynamoDB via the AWS Management Console.',
    statement: allow(['dynamodb:*', 'dax:*', 'application-autoscaling:*', 'cloudwatch:*']),
  },
  {
    name: 'AmazonKinesisFullAccess',
    path: '/',
    description: 'Provides full access to all streams via the AWS Management Console.',
    statement: allow('kinesis:*'),
  },
  {
    name: 'AmazonS3FullAccess',
    path: '/',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    statement: allow(['s3:*', 's3-object-lambda:*']),
  },
  {
    // The CDK bootstrap template's deployment action role attaches it.
    name: 'AWSCloudFormationReadOnlyAccess',
    path: '/',
    description: 'Provides access to AWS CloudFormation via the AWS Management Console.',
    statement: allow(['cloudformation:Describe*', 'cloudformation:Get*', 'cloudformation:List*']),
  },
  {
    // The CDK bootstrap template's lookup role attaches it (abridged: AWS's lists every service).
    name: 'ReadOnlyAccess',
    path: '/',
    description: 'Provides read-only access to AWS services and resources.',
    statement: allow(['*:Describe*', '*:Get*', '*:List*']),
  },
  {
    name: 'AmazonS3ReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    statement: allow([
      's3:Get*',
      's3:List*',
      's3:Describe*',
      's3-object-lambda:Get*',
      's3-object-lambda:List*',
    ]),
  },
  {
    name: 'AmazonSQSFullAccess',
    path: '/',
    description: 'Provides full access to Amazon SQS via the AWS Management Console.',
    statement: allow('sqs:*'),
  },
  {
    name: 'AmazonSNSFullAccess',
    path: '/',
    description: 'Provides full access to Amazon SNS via the AWS Management Console.',
    statement: allow('sns:*'),
  },
  {
    name: 'CloudWatchLogsFullAccess',
    path: '/',
    description: 'Provides full access to CloudWatch Logs',
    statement: allow(['logs:*', 'cloudwatch:GenerateQuery']),
  },
];
