import { App, Duration } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { HandlerVariant } from '../../infra/constructs/workshop-function.ts';
import { FileProcessingStack, type FileProcessingStackProps } from './stack.ts';

function synth(variant: HandlerVariant, props: Partial<FileProcessingStackProps> = {}) {
  const app = new App();
  const stack = new FileProcessingStack(app, 'WildRydesFileProcessing', { variant, ...props });
  return { stack, template: Template.fromStack(stack) };
}

/** IAM actions granted to a function's role, from its default policy. */
function actionsOf(template: Template, rolePrefix: string): string[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${rolePrefix}ServiceRole`) }] },
  });
  return Object.values(policies).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    ),
  );
}

describe.each([['solution' as const], ['starter' as const]])('FileProcessingStack (%s)', (variant) => {
  // Prepare
  const { stack, template } = synth(variant);

  it('routes Object Created events for .md keys of the input bucket to both queues', () => {
    // Prepare
    const pattern = new Capture();
    const targets = new Capture();

    // Assess
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: pattern,
      Targets: targets,
      State: 'ENABLED',
    });
    expect(pattern.asObject()).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ Ref: expect.stringMatching(/^InputBucket/) }] },
        object: { key: [{ suffix: '.md' }] },
      },
    });
    expect(targets.asArray().map((t: { Arn: unknown }) => t.Arn)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^ConversionQueue/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^SentimentQueue/), 'Arn'] },
    ]);
  });

  it('turns on EventBridge notifications for the input bucket only', () => {
    // Prepare
    const config = new Capture();

    // Assess
    template.resourceCountIs('Custom::S3BucketNotifications', 1);
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: Match.stringLikeRegexp('^InputBucket') },
      NotificationConfiguration: config,
    });
    expect(config.asObject()).toEqual({ EventBridgeConfiguration: {} });
  });

  it.each([
    ['Conversion', 'wildrydes-conversion'],
    ['Sentiment', 'wildrydes-sentiment'],
  ])('gives the %s queue a DLQ after 5 receives and 6× the function timeout', (id, name) => {
    // Prepare
    const redrive = new Capture();

    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: name,
      VisibilityTimeout: 180,
      SqsManagedSseEnabled: true,
      RedrivePolicy: redrive,
    });
    expect(redrive.asObject()).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${id}Dlq`)), 'Arn'] },
      maxReceiveCount: 5,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `${name}-dlq`,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('scales the visibility timeout with the function timeout', () => {
    // Act
    const short = synth(variant, { functionTimeout: Duration.seconds(2), maxReceiveCount: 7 }).template;

    // Assess
    short.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'wildrydes-conversion',
      VisibilityTimeout: 12,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 7 }),
    });
    short.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'wildrydes-conversion',
      Timeout: 2,
    });
  });

  it.each([
    ['wildrydes-conversion', 'ConversionQueue'],
    ['wildrydes-sentiment', 'SentimentQueue'],
  ])('has %s poll its queue with partial batch responses', (functionName, queue) => {
    // Prepare
    const fn = new Capture();

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${queue}`), 'Arn'] },
      FunctionName: { Ref: fn },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: functionName,
      Handler: 'index.handler',
      Timeout: 30,
    });
    expect(fn.asString()).toMatch(functionName === 'wildrydes-conversion' ? /^Conversion/ : /^Sentiment/);
  });

  it('grants each function only what it needs', () => {
    // Assess
    expect(actionsOf(template, 'Conversion').sort()).toEqual(
      [
        's3:GetObject',
        's3:PutObject',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    expect(actionsOf(template, 'Sentiment').sort()).toEqual(
      [
        'comprehend:DetectSentiment',
        'dynamodb:PutItem',
        's3:GetObject',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
  });

  it('passes the table and output bucket to the functions', () => {
    // Prepare
    const conversionEnv = new Capture();
    const sentimentEnv = new Capture();

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'wildrydes-conversion',
      Environment: { Variables: conversionEnv },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'wildrydes-sentiment',
      Environment: { Variables: sentimentEnv },
    });
    expect(conversionEnv.asObject()).toMatchObject({
      OUTPUT_BUCKET: { Ref: expect.stringMatching(/^OutputBucket/) },
    });
    expect(sentimentEnv.asObject()).toMatchObject({
      TABLE_NAME: { Ref: expect.stringMatching(/^SentimentTable/) },
    });
  });

  it('keeps buckets private, encrypted, TLS-only, and deletes them with the stack', () => {
    // Assess
    template.resourceCountIs('AWS::S3::Bucket', 2);
    const buckets = template.findResources('AWS::S3::Bucket');
    for (const bucket of Object.values(buckets)) {
      expect(bucket.DeletionPolicy).toBe('Delete');
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
      });
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('has SentimentTable keyed by id, deleted with the stack', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        TableName: 'SentimentTable',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    });
  });

  it('alarms on DLQs, queue age and depth, and error rates, to an SNS topic emailed to the instructor', () => {
    // Prepare
    const actions = new Capture();

    // Assess
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'wildrydes-conversion-dlq-not-empty',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: actions,
    });
    expect(actions.asArray()).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'wildrydes-sentiment-error-rate',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('errors / invocations') }),
      ]),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'instructor@example.com',
    });
  });

  it('sends alarms to the address it is given', () => {
    // Act
    const other = synth(variant, { alarmEmail: 'ops@wildrydes.example' }).template;

    // Assess
    other.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@wildrydes.example',
    });
  });

  it('exports the names the CLI and the check look for', () => {
    // Assess
    for (const name of ['InputBucketName', 'OutputBucketName', 'SentimentTableName', 'AlarmTopicArn']) {
      template.hasOutput(name, {});
    }
  });

  it('passes the AWS Solutions checks, every exception acknowledged with a reason', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(stack);

    // Assess
    expect(report.violations).toEqual([]);
  });
});
