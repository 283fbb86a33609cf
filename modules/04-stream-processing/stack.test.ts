import { App } from 'aws-cdk-lib';
import { Capture, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { HandlerVariant } from '../../infra/constructs/workshop-function.ts';
import { StreamingStack } from '../02-streaming-data/stack.ts';
import { AggregationStack } from '../03-stream-aggregation/stack.ts';
import { ProcessingStack } from './stack.ts';

/** The processing stack wired to the aggregation stack, as infra/app.ts does. */
function synth(variant: HandlerVariant) {
  const app = new App();
  const streaming = new StreamingStack(app, 'WildRydesStreaming');
  const aggregation = new AggregationStack(app, 'WildRydesAggregation', {
    variant,
    source: streaming.stream,
    windowSeconds: 2,
  });
  const stack = new ProcessingStack(app, 'WildRydesProcessing', {
    variant,
    source: aggregation.aggregatedStream,
  });
  return { stack, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

describe.each([['solution' as const], ['starter' as const]])('ProcessingStack (%s)', (variant) => {
  // Prepare
  const { stack, template } = synth(variant);

  it('has UnicornSensorData: Name + StatusTime, on demand, point-in-time recovery', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'UnicornSensorData',
      KeySchema: [
        { AttributeName: 'Name', KeyType: 'HASH' },
        { AttributeName: 'StatusTime', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'Name', AttributeType: 'S' },
        { AttributeName: 'StatusTime', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('deletes the table with the stack', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  it('reads the aggregated stream from the trim horizon, reporting failed records, with bounded retries', () => {
    // Prepare
    const source = new Capture();
    const destination = new Capture();

    // Assess
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: source,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: destination } },
    });
    expect(JSON.stringify(source.asObject())).toMatch(/Fn::ImportValue.*Aggregated/);
    expect(destination.asObject()).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PersistFailures/), 'Arn'],
    });
  });

  it('gives the function the table name, and a fixed function name the check finds', () => {
    // Prepare
    const env = new Capture();

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'wildrydes-persist',
      Environment: { Variables: env },
    });
    expect(env.asObject()).toMatchObject({ TABLE_NAME: { Ref: expect.stringMatching(/^SensorData/) } });
  });

  it('may call exactly dynamodb:BatchGetItem and BatchWriteItem, on the table only', () => {
    // Prepare
    const statements = new Capture();
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: statements } });

    // Act
    const dynamo = (statements.asArray() as Statement[]).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('dynamodb:')),
    );

    // Assess
    expect(dynamo).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SensorData/), 'Arn'] },
      },
    ]);
  });

  it('passes the AWS Solutions checks', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(stack);

    // Assess
    expect(report.violations).toEqual([]);
  });
});
