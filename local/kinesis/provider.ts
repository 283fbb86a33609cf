/** `AWS::Kinesis::Stream` on kinesalite. */
import {
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { NAME_RULES, physicalName } from '../cloudformation/names.ts';
import type {
  ProviderContext,
  ResourceProvider,
  ValidateContext,
} from '../cloudformation/providers/types.ts';
import {
  isAwsError,
  optNumber,
  optRecord,
  optString,
  type Props,
  waitFor,
} from '../cloudformation/providers/values.ts';

const DEFAULT_RETENTION_HOURS = 24;

const streamName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'Name', ctx.at) ?? physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.kinesisStream);

/** On-demand streams get one shard locally: kinesalite has no on-demand mode and one is plenty. */
const shardCount = (props: Props, ctx: ValidateContext): number =>
  optRecord(props, 'StreamModeDetails')?.StreamMode === 'ON_DEMAND'
    ? 1
    : (optNumber(props, 'ShardCount', ctx.at) ?? 1);

async function describe(kinesis: KinesisClient, name: string) {
  try {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    return out.StreamDescriptionSummary;
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

const waitActive = (kinesis: KinesisClient, name: string) =>
  waitFor(
    async () => (await describe(kinesis, name))?.StreamStatus === 'ACTIVE',
    `stream ${name} to be ACTIVE`,
  );

async function setRetention(kinesis: KinesisClient, name: string, hours: number): Promise<void> {
  const current = (await describe(kinesis, name))?.RetentionPeriodHours ?? DEFAULT_RETENTION_HOURS;
  if (current === hours) return;
  const input = { StreamName: name, RetentionPeriodHours: hours };
  await kinesis.send(
    hours > current
      ? new IncreaseStreamRetentionPeriodCommand(input)
      : new DecreaseStreamRetentionPeriodCommand(input),
  );
  await waitActive(kinesis, name);
}

async function provision(props: Props, ctx: ProviderContext) {
  const name = streamName(props, ctx);
  const { kinesis } = ctx.clients;
  await setRetention(
    kinesis,
    name,
    optNumber(props, 'RetentionPeriodHours', ctx.at) ?? DEFAULT_RETENTION_HOURS,
  );
  const summary = await describe(kinesis, name);
  const arn = summary?.StreamARN ?? `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
  return { physicalId: name, ref: name, attributes: { Arn: arn } };
}

/** Streams: name, shard count (on-demand → 1), retention; encryption and tags are recorded only. */
export const kinesisStreamProvider: ResourceProvider = {
  attributes: ['Arn'],
  // kinesalite cannot reshard in place (no UpdateShardCount), so a new shard count is a new stream.
  replaceOn: ['Name', 'ShardCount', 'StreamModeDetails'],
  nameOf: streamName,
  async create(props, ctx) {
    const name = streamName(props, ctx);
    const { kinesis } = ctx.clients;
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount(props, ctx) }));
    } catch (err) {
      // The stream outlived the deployer's memory (no state file): adopt it.
      if (!isAwsError(err, 'ResourceInUseException')) throw err;
    }
    await waitActive(kinesis, name);
    return provision(props, ctx);
  },
  update: (props, _previous, _changed, ctx) => provision(props, ctx),
  async delete(previous, ctx) {
    const { kinesis } = ctx.clients;
    try {
      await kinesis.send(new DeleteStreamCommand({ StreamName: previous.physicalId }));
    } catch (err) {
      if (isAwsError(err, 'ResourceNotFoundException')) return;
      throw err;
    }
    // Gone before returning, so a replacement of the same name can be created right after.
    await waitFor(
      async () => (await describe(kinesis, previous.physicalId)) === undefined,
      `stream ${previous.physicalId} to be deleted`,
    );
  },
};
