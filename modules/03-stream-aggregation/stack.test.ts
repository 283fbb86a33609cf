import { App } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { HandlerVariant } from '../../infra/constructs/workshop-function.ts';
import { StreamingStack } from '../02-streaming-data/stack.ts';
import { AggregationStack } from './stack.ts';

/** The aggregation stack wired to the streaming stack, as infra/app.ts does. */
function synth(variant: HandlerVariant, windowSeconds: number) {
  const app = new App();
  const streaming = new StreamingStack(app, 'WildRydesStreaming');
  const stack = new AggregationStack(app, 'WildRydesAggregation', {
    variant,
    source: streaming.stream,
    windowSeconds,
  });
  return { stack, template: Template.fromStack(stack) };
}

describe.each([['solution' as const], ['starter' as const]])('AggregationStack (%s)', (variant) => {
  // Prepare
  const { stack, template } = synth(variant, 2);

  it('has the wildrydes-aggregated stream: one provisioned shard, AWS managed encryption', () => {
    // Assess
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'wildrydes-aggregated',
      ShardCount: 1,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete' });
  });

  it('reads the raw stream with a tumbling window, from the trim horizon, with bounded retries', () => {
    // Prepare
    const source = new Capture();
    const destination = new Capture();

    // Assess
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: source,
      TumblingWindowInSeconds: 2,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1000,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: destination } },
    });
    expect(JSON.stringify(source.asObject())).toContain('Fn::ImportValue');
    expect(destination.asObject()).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^AggregateFailures/), 'Arn'],
    });
  });

  it('takes the window from the props', () => {
    // Act
    const other = synth(variant, 60);

    // Assess
    other.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      TumblingWindowInSeconds: 60,
    });
  });

  it(`deploys the ${variant} handler as an ES module named wildrydes-aggregate`, () => {
    // Prepare
    const env = new Capture();

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'wildrydes-aggregate',
      Handler: 'index.handler',
      Environment: { Variables: env },
    });
    expect(env.asObject()).toMatchObject({
      AGGREGATED_STREAM_NAME: { Ref: expect.stringMatching(/^Aggregated/) },
    });
  });

  it('may put records on the aggregated stream, and nothing more on it', () => {
    // Prepare
    const statements = new Capture();

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: statements } });
    const onAggregated = (statements.asArray() as { Action: unknown; Resource: unknown }[]).filter((s) =>
      JSON.stringify(s.Resource).includes('"Aggregated'),
    );
    expect(onAggregated).toEqual([
      expect.objectContaining({
        Action: 'kinesis:PutRecords',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Aggregated/), 'Arn'] },
      }),
    ]);
  });

  it('keeps failed batches in an encrypted queue for 14 days', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('passes the AWS Solutions checks', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(stack);

    // Assess
    expect(report.violations).toEqual([]);
  });
});
