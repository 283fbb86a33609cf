import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { namesFor } from '../../contracts/attendee.ts';
import { OUTPUTS } from '../../contracts/file-processing.ts';
import { acknowledgeWorkshopFunctionFindings } from '../../infra/constructs/stream-function.ts';
import { type WorkshopStackProps, workshopFunction } from '../../infra/constructs/workshop-function.ts';

export interface FileProcessingStackProps extends WorkshopStackProps {
  /** Who receives the alarms (CDK context `email`; an email subscription to confirm on AWS). */
  alarmEmail?: string;
  /**
   * Timeout of both functions (30 s by default). Each queue's visibility timeout is six times
   * this, as AWS recommends, so a batch still running is never handed out twice.
   */
  functionTimeout?: Duration;
  /** Receives of a message before it moves to the dead-letter queue (5 by default, at least 5). */
  maxReceiveCount?: number;
  /** Prefixes every name for one attendee of a shared account (CDK context `attendee`). */
  attendee?: string;
}

/** A queue for one function, with the dead-letter queue its poison messages end in. */
interface QueuePair {
  queue: Queue;
  dlq: Queue;
}

/**
 * Module 1: Markdown interview notes uploaded to the input bucket are converted to sanitised HTML
 * in the output bucket and scored by Comprehend into `SentimentTable`. S3 → EventBridge rule →
 * one SQS queue per function (with a DLQ) → Lambda; alarms on the queues and functions → SNS email.
 */
export class FileProcessingStack extends Stack {
  readonly inputBucket: Bucket;
  readonly outputBucket: Bucket;
  readonly table: Table;
  readonly conversion: QueuePair;
  readonly sentiment: QueuePair;
  readonly alarmTopic: Topic;
  private readonly alarmPrefix: string;

  constructor(scope: Construct, id: string, props: FileProcessingStackProps) {
    super(scope, id, props);
    const names = namesFor(props.attendee).fileProcessing(this.account, this.region);
    this.alarmPrefix = names.alarmPrefix;
    const timeout = props.functionTimeout ?? Duration.seconds(30);
    const maxReceiveCount = Math.max(5, props.maxReceiveCount ?? 5);

    this.inputBucket = this.bucket('InputBucket', names.inputBucket, true);
    this.outputBucket = this.bucket('OutputBucket', names.outputBucket, false);
    this.table = new Table(this, 'SentimentTable', {
      tableName: names.table,
      partitionKey: { name: 'id', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const visibility = Duration.seconds(timeout.toSeconds() * 6);
    this.conversion = this.queuePair(
      'Conversion',
      names.conversionQueue,
      names.conversionDlq,
      visibility,
      maxReceiveCount,
    );
    this.sentiment = this.queuePair(
      'Sentiment',
      names.sentimentQueue,
      names.sentimentDlq,
      visibility,
      maxReceiveCount,
    );

    // Every new .md object in the input bucket, to both queues: each function retries on its own.
    new Rule(this, 'MarkdownUploaded', {
      description: 'Wild Rydes module 1: a Markdown file was uploaded to the input bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [this.inputBucket.bucketName] },
          object: { key: [{ suffix: '.md' }] },
        },
      },
      targets: [new SqsQueue(this.conversion.queue), new SqsQueue(this.sentiment.queue)],
    });

    const conversionFn = workshopFunction(this, 'Conversion', {
      moduleId: 1,
      file: 'conversion.ts',
      variant: props.variant,
      functionName: names.conversionFunction,
      description: 'Wild Rydes module 1: Markdown interview notes to sanitised HTML',
      timeout,
      environment: { OUTPUT_BUCKET: this.outputBucket.bucketName },
    });
    this.readUploads(conversionFn);
    conversionFn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.outputBucket.arnForObjects('*')] }),
    );
    Validations.of(conversionFn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.outputBucket)}.Arn>/*]`,
      reason: 'The function writes one page per uploaded note, under a key named after the note.',
    });
    this.consume(conversionFn, this.conversion.queue);

    const sentimentFn = workshopFunction(this, 'Sentiment', {
      moduleId: 1,
      file: 'sentiment.ts',
      variant: props.variant,
      functionName: names.sentimentFunction,
      description: 'Wild Rydes module 1: sentiment of interview notes with Comprehend, into SentimentTable',
      timeout,
      environment: { TABLE_NAME: this.table.tableName },
    });
    this.readUploads(sentimentFn);
    this.table.grant(sentimentFn, 'dynamodb:PutItem');
    sentimentFn.addToRolePolicy(
      new PolicyStatement({ actions: ['comprehend:DetectSentiment'], resources: ['*'] }),
    );
    Validations.of(sentimentFn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'comprehend:DetectSentiment acts on no resource, so IAM only accepts "*" for it; the action itself is the narrowest grant.',
    });
    this.consume(sentimentFn, this.sentiment.queue);

    this.alarmTopic = new Topic(this, 'Alarms', {
      topicName: names.alarmTopic,
      displayName: 'Wild Rydes file processing alarms',
      enforceSSL: true,
    });
    // Unencrypted on purpose: CloudWatch alarms cannot publish to a topic encrypted with the AWS
    // managed SNS key, a customer managed key would bill every attendee monthly, and the alarms
    // carry no sensitive data. (cdk-nag v3 dropped its SNS2 rule, so nothing to acknowledge.)
    this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail ?? 'instructor@example.com'));
    this.alarms(conversionFn, sentimentFn, visibility);
    this.acknowledgeCdkHelpers();

    new CfnOutput(this, OUTPUTS.inputBucket, { value: this.inputBucket.bucketName });
    new CfnOutput(this, OUTPUTS.outputBucket, { value: this.outputBucket.bucketName });
    new CfnOutput(this, OUTPUTS.table, { value: this.table.tableName });
    new CfnOutput(this, OUTPUTS.alarmTopic, { value: this.alarmTopic.topicArn });
  }

  /** A private, encrypted, TLS-only bucket that is emptied and deleted with the stack. */
  private bucket(id: string, bucketName: string, eventBridgeEnabled: boolean): Bucket {
    const bucket = new Bucket(this, id, {
      bucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      eventBridgeEnabled,
      autoDeleteObjects: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Workshop buckets hold sample notes for an afternoon; server access logs would need a third bucket that outlives the stack. CloudTrail covers who did what.',
    });
    return bucket;
  }

  private queuePair(
    id: string,
    queueName: string,
    dlqName: string,
    visibility: Duration,
    maxReceiveCount: number,
  ) {
    const dlq = new Queue(this, `${id}Dlq`, {
      queueName: dlqName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const queue = new Queue(this, `${id}Queue`, {
      queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: visibility,
      deadLetterQueue: { queue: dlq, maxReceiveCount },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return { queue, dlq };
  }

  /** Read access to uploaded objects only: no listing, no writing, no other bucket. */
  private readUploads(fn: IFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.inputBucket.arnForObjects('*')] }),
    );
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.inputBucket)}.Arn>/*]`,
      reason:
        'The function reads whichever note was uploaded, so it may read any object of the input bucket.',
    });
    acknowledgeWorkshopFunctionFindings(fn);
  }

  private logicalIdOf(bucket: Bucket): string {
    return this.getLogicalId(bucket.node.defaultChild as CfnBucket);
  }

  /** Polls the queue; failed records go back alone (partial batch response), not the whole batch. */
  private consume(fn: IFunction, queue: Queue): void {
    fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
  }

  private alarms(conversionFn: IFunction, sentimentFn: IFunction, visibility: Duration): void {
    const alarm = (
      id: string,
      metric: IMetric,
      threshold: number,
      description: string,
      evaluationPeriods = 1,
    ) =>
      new Alarm(this, id, {
        alarmName: `${this.alarmPrefix}${id.replace(/[A-Z]/g, (c, i) => `${i ? '-' : ''}${c.toLowerCase()}`)}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(this.alarmTopic));
    const minute = Duration.minutes(1);
    for (const [name, pair, fn] of [
      ['Conversion', this.conversion, conversionFn],
      ['Sentiment', this.sentiment, sentimentFn],
    ] as const) {
      alarm(
        `${name}DlqNotEmpty`,
        pair.dlq.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum' }),
        0,
        'A file could not be processed after its retries and is in the dead-letter queue: read it, fix the cause, then redrive it.',
      );
      alarm(
        `${name}QueueAge`,
        pair.queue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' }),
        // Older than two visibility timeouts: the function is failing or not polling.
        visibility.toSeconds() * 2,
        'Uploads have waited too long in the queue: is the function failing or throttled?',
      );
      alarm(
        `${name}QueueDepth`,
        pair.queue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum' }),
        100,
        'More than 100 uploads are waiting: the function is not keeping up.',
        5,
      );
      alarm(
        `${name}ErrorRate`,
        new MathExpression({
          expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
          usingMetrics: {
            errors: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
            invocations: fn.metricInvocations({ period: Duration.minutes(5), statistic: 'Sum' }),
          },
          label: 'error rate (%)',
          period: Duration.minutes(5),
        }),
        5,
        'More than 5% of invocations failed: read the function logs.',
      );
    }
  }

  /**
   * CDK adds a helper function of its own to enable EventBridge notifications; its managed
   * policy is CDK's, acknowledged here. (The rules report nothing else on CDK's helpers.)
   */
  private acknowledgeCdkHelpers(): void {
    const helpers: IConstruct[] = this.node
      .findAll()
      .filter((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    for (const helper of helpers) {
      Validations.of(helper).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK-provided helper function: the basic execution policy only lets it write its own logs.',
      });
    }
  }
}
