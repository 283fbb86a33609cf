import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { namesFor } from '../../contracts/attendee.ts';
import { acknowledgeWorkshopFunctionFindings, failureQueue } from '../../infra/constructs/stream-function.ts';
import { type WorkshopStackProps, workshopFunction } from '../../infra/constructs/workshop-function.ts';

export interface ProcessingStackProps extends WorkshopStackProps {
  /** The aggregated stream (module 3). */
  source: IStream;
  /** Prefixes every name for one attendee of a shared account (CDK context `attendee`). */
  attendee?: string;
}

/** Module 4: a function on `wildrydes-aggregated` that persists each record to `UnicornSensorData`. */
export class ProcessingStack extends Stack {
  /** `UnicornSensorData`: partition key `Name`, sort key `StatusTime` (the window start). */
  readonly table: ITable;

  constructor(scope: Construct, id: string, props: ProcessingStackProps) {
    super(scope, id, props);
    const names = namesFor(props.attendee);
    const table = new Table(this, 'SensorData', {
      tableName: names.table,
      partitionKey: { name: 'Name', type: AttributeType.STRING },
      sortKey: { name: 'StatusTime', type: AttributeType.STRING },
      // Pay per request: nothing bills while the workshop is idle.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const fn = workshopFunction(this, 'Persist', {
      moduleId: 4,
      file: 'persist.ts',
      variant: props.variant,
      functionName: names.persistFunction,
      description: 'Wild Rydes module 4: persists the aggregated records to UnicornSensorData',
      environment: { TABLE_NAME: table.tableName },
    });
    // Only what the handler calls: BatchGetItem to read the items it merges window parts into,
    // BatchWriteItem to write them (grantReadWriteData would add Query, Scan, UpdateItem, DeleteItem…).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
        resources: [table.tableArn],
      }),
    );
    fn.addEventSource(
      new KinesisEventSource(props.source, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        onFailure: new SqsDlq(failureQueue(this, 'PersistFailures')),
      }),
    );
    acknowledgeWorkshopFunctionFindings(fn);

    this.table = table;
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'FunctionName', { value: fn.functionName });
  }
}
