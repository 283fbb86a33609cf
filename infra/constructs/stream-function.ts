import { Duration, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The on-failure destination of a stream's event source mapping: when a batch still fails after
 * its retries, Lambda sends where it was in the stream (shard, sequence numbers) here and moves
 * on, instead of blocking the shard until the records expire.
 */
export function failureQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter destination of a stream event source mapping; a DLQ of a DLQ would only move the same pointers once more.',
  });
  return queue;
}

/**
 * Acknowledges, with reasons, the findings every workshop function has by design (see
 * infra/constructs/workshop-function.ts): the managed basic-execution policy and the pinned runtime.
 */
export function acknowledgeWorkshopFunctionFindings(fn: IFunction): void {
  Validations.of(fn).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'AWSLambdaBasicExecutionRole only lets the function write its own logs; it is the policy AWS recommends for that.',
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned in infra/constructs/workshop-function.ts to a Node.js that the local cloud also runs, so both targets run the same code.',
    },
  );
}
