/** `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable` (CDK's TableV2) on dynalite. */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type LocalSecondaryIndex,
  type ProvisionedThroughput,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { deepEqual } from '../cloudformation/diff.ts';
import { NAME_RULES, physicalName } from '../cloudformation/names.ts';
import type { ResourceProvider, ValidateContext } from '../cloudformation/providers/types.ts';
import {
  isAwsError,
  isRecord,
  optArray,
  optRecord,
  optString,
  type Props,
  waitFor,
} from '../cloudformation/providers/values.ts';
import { LOCAL_REGION } from '../types.ts';

/** Capacity for provisioned tables whose template leaves it to auto scaling. */
const DEFAULT_CAPACITY = 5;

const tableName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'TableName', ctx.at) ??
  physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.dynamodbTable);

const throughput = (value: unknown): ProvisionedThroughput | undefined => {
  if (!isRecord(value)) return undefined;
  return {
    ReadCapacityUnits: Number(value.ReadCapacityUnits ?? DEFAULT_CAPACITY),
    WriteCapacityUnits: Number(value.WriteCapacityUnits ?? DEFAULT_CAPACITY),
  };
};

const keySchema = (value: unknown) =>
  (Array.isArray(value) ? value : []).map((k) => ({
    AttributeName: String((k as Props).AttributeName),
    KeyType: String((k as Props).KeyType) as 'HASH' | 'RANGE',
  }));

const projection = (value: unknown) =>
  isRecord(value) ? (value as GlobalSecondaryIndex['Projection']) : undefined;

/** CreateTable input for an `AWS::DynamoDB::Table`. */
export function tableInput(props: Props, ctx: ValidateContext): CreateTableCommandInput {
  const provisioned = (optString(props, 'BillingMode', ctx.at) ?? 'PROVISIONED') === 'PROVISIONED';
  const gsis = optArray(props, 'GlobalSecondaryIndexes').filter(isRecord);
  const lsis = optArray(props, 'LocalSecondaryIndexes').filter(isRecord);
  return {
    TableName: tableName(props, ctx),
    AttributeDefinitions: optArray(
      props,
      'AttributeDefinitions',
    ) as CreateTableCommandInput['AttributeDefinitions'],
    KeySchema: keySchema(props.KeySchema),
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ProvisionedThroughput: provisioned
      ? (throughput(props.ProvisionedThroughput) ?? throughput({}))
      : undefined,
    GlobalSecondaryIndexes: gsis.length
      ? gsis.map(
          (g): GlobalSecondaryIndex => ({
            IndexName: String(g.IndexName),
            KeySchema: keySchema(g.KeySchema),
            Projection: projection(g.Projection),
            ProvisionedThroughput: provisioned
              ? (throughput(g.ProvisionedThroughput) ?? throughput({}))
              : undefined,
          }),
        )
      : undefined,
    LocalSecondaryIndexes: lsis.length
      ? lsis.map(
          (l): LocalSecondaryIndex => ({
            IndexName: String(l.IndexName),
            KeySchema: keySchema(l.KeySchema),
            Projection: projection(l.Projection),
          }),
        )
      : undefined,
  };
}

/** The capacity a GlobalTable asks for: a fixed value, or the auto-scaling minimum. */
const capacity = (settings: unknown, fixedKey: string, scalingKey: string): number => {
  if (!isRecord(settings)) return DEFAULT_CAPACITY;
  const fixed = settings[fixedKey];
  if (fixed !== undefined) return Number(fixed);
  const scaling = settings[scalingKey];
  return isRecord(scaling) && scaling.MinCapacity !== undefined
    ? Number(scaling.MinCapacity)
    : DEFAULT_CAPACITY;
};

/** CreateTable input for an `AWS::DynamoDB::GlobalTable`: its replica in the local region. */
export function globalTableInput(props: Props, ctx: ValidateContext): CreateTableCommandInput {
  const provisioned = optString(props, 'BillingMode', ctx.at) === 'PROVISIONED';
  const replicas = optArray(props, 'Replicas').filter(isRecord);
  const replica = replicas.find((r) => r.Region === LOCAL_REGION) ?? replicas[0] ?? {};
  const read = (settings: unknown) =>
    capacity(settings, 'ReadCapacityUnits', 'ReadCapacityAutoScalingSettings');
  const write = (settings: unknown) =>
    capacity(settings, 'WriteCapacityUnits', 'WriteCapacityAutoScalingSettings');
  const replicaIndexes = optArray(replica, 'GlobalSecondaryIndexes').filter(isRecord);
  const gsis = optArray(props, 'GlobalSecondaryIndexes').filter(isRecord);
  const lsis = optArray(props, 'LocalSecondaryIndexes').filter(isRecord);
  return {
    TableName: tableName(props, ctx),
    AttributeDefinitions: optArray(
      props,
      'AttributeDefinitions',
    ) as CreateTableCommandInput['AttributeDefinitions'],
    KeySchema: keySchema(props.KeySchema),
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ProvisionedThroughput: provisioned
      ? {
          ReadCapacityUnits: read(replica.ReadProvisionedThroughputSettings),
          WriteCapacityUnits: write(props.WriteProvisionedThroughputSettings),
        }
      : undefined,
    GlobalSecondaryIndexes: gsis.length
      ? gsis.map(
          (g): GlobalSecondaryIndex => ({
            IndexName: String(g.IndexName),
            KeySchema: keySchema(g.KeySchema),
            Projection: projection(g.Projection),
            ProvisionedThroughput: provisioned
              ? {
                  ReadCapacityUnits: read(
                    replicaIndexes.find((r) => r.IndexName === g.IndexName)
                      ?.ReadProvisionedThroughputSettings,
                  ),
                  WriteCapacityUnits: write(g.WriteProvisionedThroughputSettings),
                }
              : undefined,
          }),
        )
      : undefined,
    LocalSecondaryIndexes: lsis.length
      ? lsis.map(
          (l): LocalSecondaryIndex => ({
            IndexName: String(l.IndexName),
            KeySchema: keySchema(l.KeySchema),
            Projection: projection(l.Projection),
          }),
        )
      : undefined,
  };
}

async function describe(dynamodb: DynamoDBClient, name: string) {
  try {
    return (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

const waitActive = (dynamodb: DynamoDBClient, name: string) =>
  waitFor(async () => {
    const table = await describe(dynamodb, name);
    return (
      table?.TableStatus === 'ACTIVE' &&
      (table.GlobalSecondaryIndexes ?? []).every(
        (g) => g.IndexStatus === undefined || g.IndexStatus === 'ACTIVE',
      )
    );
  }, `table ${name} to be ACTIVE`);

async function result(dynamodb: DynamoDBClient, name: string, props: Props, global: boolean) {
  const table = await describe(dynamodb, name);
  const arn = table?.TableArn ?? `arn:aws:dynamodb:${LOCAL_REGION}:000000000000:table/${name}`;
  const attributes: Record<string, string> = { Arn: arn };
  // dynalite has no DynamoDB Streams: the ARN is recorded so templates resolve, nothing reads it.
  if (optRecord(props, 'StreamSpecification')) attributes.StreamArn = `${arn}/stream/1970-01-01T00:00:00.000`;
  if (global) attributes.TableId = table?.TableId ?? name;
  return { physicalId: name, ref: name, attributes };
}

function tableProvider(global: boolean): ResourceProvider {
  const input = global ? globalTableInput : tableInput;
  return {
    attributes: global ? ['Arn', 'StreamArn', 'TableId'] : ['Arn', 'StreamArn'],
    replaceOn: [
      'TableName',
      'KeySchema',
      'AttributeDefinitions',
      'LocalSecondaryIndexes',
      // Indexes are replaced with the table rather than added one by one: data is test data locally.
      'GlobalSecondaryIndexes',
      ...(global ? ['Replicas'] : []),
    ],
    nameOf: tableName,
    async create(props, ctx) {
      const { dynamodb } = ctx.clients;
      const params = input(props, ctx);
      const name = params.TableName ?? tableName(props, ctx);
      try {
        await dynamodb.send(new CreateTableCommand(params));
      } catch (err) {
        if (!isAwsError(err, 'ResourceInUseException')) throw err;
      }
      await waitActive(dynamodb, name);
      return result(dynamodb, name, props, global);
    },
    async update(props, previous, _changed, ctx) {
      const { dynamodb } = ctx.clients;
      const name = previous.physicalId;
      const before = input(previous.properties, ctx);
      const after = input(props, ctx);
      if (
        before.BillingMode !== after.BillingMode ||
        !deepEqual(before.ProvisionedThroughput, after.ProvisionedThroughput)
      ) {
        await dynamodb.send(
          new UpdateTableCommand({
            TableName: name,
            BillingMode: after.BillingMode,
            ProvisionedThroughput: after.ProvisionedThroughput,
          }),
        );
        await waitActive(dynamodb, name);
      }
      // Streams, TTL, point-in-time recovery, encryption, tags: recorded only.
      return result(dynamodb, name, props, global);
    },
    async delete(previous, ctx) {
      const { dynamodb } = ctx.clients;
      try {
        await dynamodb.send(new DeleteTableCommand({ TableName: previous.physicalId }));
      } catch (err) {
        if (isAwsError(err, 'ResourceNotFoundException')) return;
        throw err;
      }
      await waitFor(
        async () => (await describe(dynamodb, previous.physicalId)) === undefined,
        `table ${previous.physicalId} to be deleted`,
      );
    },
  };
}

/** Tables: keys, attribute definitions, billing mode and throughput, GSIs and LSIs. */
export const dynamodbTableProvider = tableProvider(false);
/** CDK's TableV2: created as a table with the local region's replica settings. */
export const dynamodbGlobalTableProvider = tableProvider(true);
