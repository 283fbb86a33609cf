import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { namesFor } from '../../contracts/attendee.ts';
import { acknowledgeWorkshopFunctionFindings, failureQueue } from '../../infra/constructs/stream-function.ts';
import { type WorkshopStackProps, workshopFunction } from '../../infra/constructs/workshop-function.ts';

export interface AlertingStackProps extends WorkshopStackProps {
  /** The raw telemetry stream (module 2): alerts do not wait for modules 3 and 4. */
  source: IStream;
  /** Tumbling window, in seconds: at most one alert per unicorn per window. */
  windowSeconds: number;
  /** Who receives the alerts (an email subscription to confirm on AWS). */
  alertEmail: string;
  /** Prefixes every name for one attendee of a shared account (CDK context `attendee`). */
  attendee?: string;
}

/** Extra credit: an SNS email alert when a unicorn's magic points fall below 50, once per window. */
export class AlertingStack extends Stack {
  /** The alerts topic. */
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlertingStackProps) {
    super(scope, id, props);
    const names = namesFor(props.attendee);
    const topic = new Topic(this, 'Alerts', {
      topicName: names.alertTopic,
      displayName: 'Wild Rydes alerts',
      // The AWS managed key: encrypted at rest at no key fee; publishers in the account may use it.
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    topic.addSubscription(new EmailSubscription(props.alertEmail));

    const fn = workshopFunction(this, 'Alert', {
      moduleId: 5,
      file: 'alert.ts',
      variant: props.variant,
      functionName: names.alertFunction,
      description: 'Wild Rydes extra credit: one alert per unicorn per window when magic falls below 50',
      environment: { TOPIC_ARN: topic.topicArn },
    });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    fn.addEventSource(
      new KinesisEventSource(props.source, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // The window's state remembers who was alerted: one alert per unicorn per window.
        tumblingWindow: Duration.seconds(props.windowSeconds),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 3,
        onFailure: new SqsDlq(failureQueue(this, 'AlertFailures')),
      }),
    );
    acknowledgeWorkshopFunctionFindings(fn);

    this.topic = topic;
    new CfnOutput(this, 'TopicArn', { value: topic.topicArn });
    new CfnOutput(this, 'FunctionName', { value: fn.functionName });
  }
}
