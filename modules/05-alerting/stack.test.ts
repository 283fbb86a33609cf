import { App } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { HandlerVariant } from '../../infra/constructs/workshop-function.ts';
import { StreamingStack } from '../02-streaming-data/stack.ts';
import { AlertingStack } from './stack.ts';

/** The alerting stack wired to the raw stream, as infra/app.ts does. */
function synth(variant: HandlerVariant) {
  const app = new App();
  const streaming = new StreamingStack(app, 'WildRydesStreaming');
  const stack = new AlertingStack(app, 'WildRydesAlerting', {
    variant,
    source: streaming.stream,
    windowSeconds: 2,
    alertEmail: 'instructor@example.com',
  });
  return { stack, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

describe.each([['solution' as const], ['starter' as const]])('AlertingStack (%s)', (variant) => {
  // Prepare
  const { stack, template } = synth(variant);

  it('has an encrypted alerts topic with an email subscription', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'wildrydes-alerts',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'instructor@example.com',
    });
  });

  it('reads the raw stream with a tumbling window whose state de-duplicates alerts', () => {
    // Prepare
    const source = new Capture();
    const destination = new Capture();

    // Assess
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: source,
      TumblingWindowInSeconds: 2,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: destination } },
    });
    expect(JSON.stringify(source.asObject())).toMatch(/Fn::ImportValue.*Telemetry/);
    expect(destination.asObject()).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^AlertFailures/), 'Arn'],
    });
  });

  it('gives the function the topic, and a fixed function name the check finds', () => {
    // Prepare
    const env = new Capture();

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'wildrydes-alert',
      Environment: { Variables: env },
    });
    expect(env.asObject()).toMatchObject({ TOPIC_ARN: { Ref: expect.stringMatching(/^Alerts/) } });
  });

  it('may publish to the alerts topic, and to nothing else', () => {
    // Prepare
    const statements = new Capture();
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: statements } });

    // Act
    const sns = (statements.asArray() as Statement[]).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('sns:')),
    );

    // Assess
    expect(sns).toEqual([
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^Alerts/) } },
    ]);
  });

  it('passes the AWS Solutions checks', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(stack);

    // Assess
    expect(report.violations).toEqual([]);
  });
});
