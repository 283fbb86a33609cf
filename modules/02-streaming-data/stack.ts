import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type IStream, Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import type { Construct } from 'constructs';
import { namesFor } from '../../contracts/attendee.ts';

export interface StreamingStackProps extends StackProps {
  /** Shards of the stream (CDK context `shards`, 1 by default). */
  shards?: number;
  /** Prefixes every name for one attendee of a shared account (CDK context `attendee`). */
  attendee?: string;
}

/**
 * Module 2: the `wildrydes` stream the producer writes unicorn telemetry to. No function: the
 * attendee reads the stream with `npm run consumer`.
 */
export class StreamingStack extends Stack {
  /** The raw telemetry stream, read by modules 3 and 5. */
  readonly stream: IStream;

  constructor(scope: Construct, id: string, props: StreamingStackProps = {}) {
    super(scope, id, props);
    const stream = new Stream(this, 'Telemetry', {
      streamName: namesFor(props.attendee).rawStream,
      // One provisioned shard (1 MB/s, 1,000 records/s in) carries hundreds of unicorns at one
      // record a second, and is the cheapest stream for a workshop; more unicorns, more shards.
      streamMode: StreamMode.PROVISIONED,
      shardCount: props.shards ?? 1,
      retentionPeriod: Duration.hours(24),
      // The AWS managed key (aws/kinesis): encrypted at rest, no key fee.
      encryption: StreamEncryption.MANAGED,
      // Nothing left behind that bills after `npm run cleanup`.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stream = stream;
    new CfnOutput(this, 'StreamName', { value: stream.streamName, description: 'the raw telemetry stream' });
  }
}
