import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type IStream, Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { namesFor } from '../../contracts/attendee.ts';
import { acknowledgeWorkshopFunctionFindings, failureQueue } from '../../infra/constructs/stream-function.ts';
import { type WorkshopStackProps, workshopFunction } from '../../infra/constructs/workshop-function.ts';

export interface AggregationStackProps extends WorkshopStackProps {
  /** The raw telemetry stream (module 2). */
  source: IStream;
  /** Tumbling window, in seconds (CDK context `windowSeconds`: 60; tests use 2). */
  windowSeconds: number;
  /** Shards of the aggregated stream (CDK context `shards`, 1 by default). */
  shards?: number;
  /** Prefixes every name for one attendee of a shared account (CDK context `attendee`). */
  attendee?: string;
}

/**
 * Module 3: a function on `wildrydes` with a tumbling window that puts one record per unicorn per
 * window on the `wildrydes-aggregated` stream.
 */
export class AggregationStack extends Stack {
  /** One record per unicorn per window, read by module 4. */
  readonly aggregatedStream: IStream;

  constructor(scope: Construct, id: string, props: AggregationStackProps) {
    super(scope, id, props);
    const names = namesFor(props.attendee);
    const aggregated = new Stream(this, 'Aggregated', {
      streamName: names.aggregatedStream,
      streamMode: StreamMode.PROVISIONED,
      shardCount: props.shards ?? 1,
      retentionPeriod: Duration.hours(24),
      // The AWS managed key (aws/kinesis): encrypted at rest, no key fee.
      encryption: StreamEncryption.MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const fn = workshopFunction(this, 'Aggregate', {
      moduleId: 3,
      file: 'aggregate.ts',
      variant: props.variant,
      functionName: names.aggregateFunction,
      description: 'Wild Rydes module 3: per-unicorn, per-window aggregation of the telemetry',
      environment: { AGGREGATED_STREAM_NAME: aggregated.streamName },
    });
    // Only what the handler calls; grantWrite would add PutRecord and ListShards as well.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['kinesis:PutRecords'], resources: [aggregated.streamArn] }),
    );
    fn.addEventSource(
      new KinesisEventSource(props.source, {
        // Everything still in the stream, so telemetry sent before the deploy is aggregated too.
        startingPosition: StartingPosition.TRIM_HORIZON,
        // Every invocation carries the window's whole state in and out: the bigger the batch,
        // the fewer times the tallies travel (1,000 unicorns on a shard are ~120 KB of state).
        batchSize: 1000,
        tumblingWindow: Duration.seconds(props.windowSeconds),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 3,
        onFailure: new SqsDlq(failureQueue(this, 'AggregateFailures')),
      }),
    );
    acknowledgeWorkshopFunctionFindings(fn);

    this.aggregatedStream = aggregated;
    new CfnOutput(this, 'AggregatedStreamName', { value: aggregated.streamName });
    new CfnOutput(this, 'FunctionName', { value: fn.functionName });
  }
}
