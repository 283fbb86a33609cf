import { CreateTableCommand, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import type {
  Context,
  KinesisStreamEvent,
  KinesisStreamRecord,
  KinesisStreamTumblingWindowEvent,
} from 'aws-lambda';
import { type CheckArgs, type ModuleCheck, runCheck } from '../checks/report.ts';
import type { UnicornAggregate, UnicornStatus } from '../contracts/telemetry.ts';
import { findModule } from '../core/curriculum.ts';
import { type TargetConfig, targetConfig } from '../core/target.ts';

/** Test data and Lambda events for the streaming modules' handler and check tests. */

/** A valid raw telemetry record; `overrides` make it the case under test. */
export function status(overrides: Partial<UnicornStatus> = {}): UnicornStatus {
  return {
    Name: 'Shadowfax',
    StatusTime: '2026-11-22 09:17:08.189',
    Latitude: 42.2644,
    Longitude: -71.9758,
    Distance: 175,
    MagicPoints: 110,
    HealthPoints: 150,
    ...overrides,
  };
}

/** A valid aggregated record; `overrides` make it the case under test. */
export function aggregate(overrides: Partial<UnicornAggregate> = {}): UnicornAggregate {
  return {
    Name: 'Shadowfax',
    StatusTime: '2026-11-22 09:17:00.000',
    Distance: 10452,
    MinMagicPoints: 97,
    MaxMagicPoints: 123,
    MinHealthPoints: 140,
    MaxHealthPoints: 158,
    ...overrides,
  };
}

let sequence = 0n;

/** A Kinesis record as Lambda delivers it; `data` is JSON-encoded unless it is a string already. */
export function kinesisRecord(
  data: unknown,
  opts: { sequenceNumber?: string; partitionKey?: string; stream?: string; arrival?: Date } = {},
): KinesisStreamRecord {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const sequenceNumber =
    opts.sequenceNumber ?? String(49590338271490256608559692538361571095921575989136588898n + sequence++);
  const name = (data as { Name?: unknown })?.Name;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: opts.partitionKey ?? (typeof name === 'string' ? name : 'unknown'),
      sequenceNumber,
      data: Buffer.from(text).toString('base64'),
      approximateArrivalTimestamp: (opts.arrival ?? new Date('2026-11-22T09:17:08.200Z')).getTime() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
    awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${opts.stream ?? 'wildrydes'}`,
  };
}

/** A plain Kinesis event (no window). */
export const kinesisEvent = (records: KinesisStreamRecord[]): KinesisStreamEvent => ({ Records: records });

/** A tumbling-window invocation: its records, the state so far, and whether it closes the window. */
export function windowEvent(
  records: KinesisStreamRecord[],
  opts: { state?: Record<string, unknown>; final?: boolean; start?: string; seconds?: number } = {},
): KinesisStreamTumblingWindowEvent {
  const start = new Date(opts.start ?? '2026-11-22T09:17:00Z');
  return {
    Records: records,
    window: {
      start: start.toISOString(),
      end: new Date(start.getTime() + (opts.seconds ?? 60) * 1000).toISOString(),
    },
    state: opts.state ?? {},
    isFinalInvokeForWindow: opts.final ?? false,
    isWindowTerminatedEarly: false,
  };
}

/** A Lambda `Context` for calling handlers in tests: a fixed name and request id, 30 s left. */
export function fakeContext(functionName = 'test-function'): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: '00000000-0000-4000-8000-000000000000',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The output and exit code of a module's check run against a local cloud at `endpoint`. */
export async function runModuleCheck<C>(
  moduleKey: string,
  moduleCheck: ModuleCheck<C>,
  endpoint: string,
  args: Partial<CheckArgs> = {},
  target: TargetConfig = targetConfig('local', {}, { WILDRYDES_ENDPOINT: endpoint }),
): Promise<{ code: number; output: string; lines: string[] }> {
  const module = findModule(moduleKey);
  if (!module) throw new Error(`curriculum.json has no module ${moduleKey}`);
  const lines: string[] = [];
  const code = await runCheck({
    module,
    target,
    steps: moduleCheck.steps,
    ctx: moduleCheck.context(target, { name: 'Shadowfax', waitSeconds: 2, ...args }),
    out: (line) => lines.push(line),
  });
  return { code, output: lines.join('\n'), lines };
}

/** Creates a one-shard stream and waits until it is active (the emulator takes a moment). */
export async function createStream(kinesis: KinesisClient, streamName: string): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
  for (let i = 0; i < 100; i++) {
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`stream ${streamName} did not become active`);
}

/** Creates a table with `UnicornSensorData`'s keys (`Name`, `StatusTime`) and waits until it is active. */
export async function createSensorTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [
        { AttributeName: 'Name', KeyType: 'HASH' },
        { AttributeName: 'StatusTime', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'Name', AttributeType: 'S' },
        { AttributeName: 'StatusTime', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 20, minDelay: 0.05 }, { TableName: tableName });
}

/** Puts records on a stream (JSON unless a string already), partition key = their Name unless given. */
export async function putRecords(
  kinesis: KinesisClient,
  streamName: string,
  values: unknown[],
  partitionKey?: string,
): Promise<void> {
  for (let i = 0; i < values.length; i += 500) {
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: values.slice(i, i + 500).map((v) => {
          const name = (v as { Name?: unknown })?.Name;
          return {
            Data: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)),
            PartitionKey: partitionKey ?? (typeof name === 'string' ? name : 'unknown'),
          };
        }),
      }),
    );
  }
}
