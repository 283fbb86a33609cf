import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { StreamingStack } from './stack.ts';

describe('StreamingStack', () => {
  // Prepare
  const stack = new StreamingStack(new App(), 'WildRydesStreaming');
  const template = Template.fromStack(stack);

  it('has the wildrydes stream: one provisioned shard, AWS managed encryption, 24 h', () => {
    // Assess
    template.resourceCountIs('AWS::Kinesis::Stream', 1);
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'wildrydes',
      ShardCount: 1,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: 24,
    });
  });

  it('takes its shard count from the CDK context `shards`', () => {
    // Act
    const wide = Template.fromStack(new StreamingStack(new App(), 'Wide', { shards: 10 }));

    // Assess
    wide.hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 10 });
  });

  it('deletes the stream with the stack, so nothing is left that bills', () => {
    // Assess
    template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  it('exposes the stream to the stacks that read it', () => {
    // Assess
    expect(stack.resolve(stack.stream.streamName)).toEqual({ Ref: expect.stringMatching(/^Telemetry/) });
  });

  it('passes the AWS Solutions checks', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(stack);

    // Assess
    expect(report.violations).toEqual([]);
  });
});
