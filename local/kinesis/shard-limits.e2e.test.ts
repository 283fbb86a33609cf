import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';

// Kinesis's per-shard write limits through the gateway, with the real SDK client: what AWS
// answers a writer over 1,000 records/s or 1 MiB/s on a shard.

const entries = (n: number, key: (i: number) => string, bytes = 50): PutRecordsRequestEntry[] =>
  Array.from({ length: n }, (_, i) => ({ PartitionKey: key(i), Data: Buffer.alloc(bytes, 120) }));

async function createStream(kinesis: KinesisClient, name: string, shards: number) {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await eventually(async () => {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    return out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE' ? true : undefined;
  });
}

describe('per-shard write limits, on by default', () => {
  const cloud = useLocalCloud();
  let kinesis: KinesisClient;
  // The SDK's own retries would hide the throttling this test looks at.
  beforeAll(() => {
    kinesis = new KinesisClient({ ...clientConfig(cloud()), maxAttempts: 1 });
  });
  afterAll(() => kinesis.destroy());

  it('fails the PutRecords entries over 1,000 records on a shard, each with the shard in its message', async () => {
    // Prepare
    await createStream(kinesis, 'limits-records', 1);

    // Act
    const outs = [];
    const started = Date.now();
    for (let i = 0; i < 6; i++) {
      outs.push(
        await kinesis.send(
          new PutRecordsCommand({ StreamName: 'limits-records', Records: entries(500, (j) => `u${i}-${j}`) }),
        ),
      );
    }

    const elapsedMs = Date.now() - started;

    // Assess: a second's budget at once, then what refills (one record a millisecond), no more.
    const failed = outs.flatMap((o) => (o.Records ?? []).filter((r) => r.ErrorCode));
    expect(outs.map((o) => o.FailedRecordCount ?? 0).reduce((a, b) => a + b, 0)).toBe(failed.length);
    expect(3000 - failed.length).toBeLessThanOrEqual(1000 + elapsedMs);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toEqual({
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage:
        'Rate exceeded for shard shardId-000000000000 in stream limits-records under account 000000000000.',
    });
    const ok = outs.flatMap((o) => (o.Records ?? []).filter((r) => !r.ErrorCode));
    expect(ok.every((r) => r.SequenceNumber && r.ShardId === 'shardId-000000000000')).toBe(true);
  });

  it('refuses a PutRecord over 1 MiB a second with ProvisionedThroughputExceededException', async () => {
    // Prepare
    await createStream(kinesis, 'limits-bytes', 1);
    const put = () =>
      kinesis.send(
        new PutRecordCommand({
          StreamName: 'limits-bytes',
          PartitionKey: 'big',
          Data: Buffer.alloc(900_000),
        }),
      );

    // Act: 9 MB at once, which a shard takes only if the gateway spends over 7 s on them (the
    // budget refills continuously, so three puts one after another would depend on the machine)
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => put().catch((err: Error) => err)));

    // Assess
    const refused = outcomes.filter((o): o is Error => o instanceof Error);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(10);
    for (const err of refused) {
      expect(err.name).toBe('ProvisionedThroughputExceededException');
      expect(err.message).toBe(
        'Rate exceeded for shard shardId-000000000000 in stream limits-bytes under account 000000000000.',
      );
    }
  });

  it('gives each shard its own budget: 10 shards take 5,000 records at once', async () => {
    // Prepare
    await createStream(kinesis, 'limits-spread', 10);

    // Act
    let failed = 0;
    for (let i = 0; i < 10; i++) {
      const out = await kinesis.send(
        new PutRecordsCommand({
          StreamName: 'limits-spread',
          Records: entries(500, (j) => `unicorn-${i}-${j}`),
        }),
      );
      failed += out.FailedRecordCount ?? 0;
    }

    // Assess
    expect(failed).toBe(0);
  });

  it('counts what it refused in the health report', async () => {
    // Act
    const health = (await (await fetch(`${cloud().endpoint}/_wildrydes/health`)).json()) as {
      shardLimits: { on: boolean; throttled: Record<string, number> };
    };

    // Assess
    expect(health.shardLimits.on).toBe(true);
    expect(health.shardLimits.throttled['limits-bytes']).toBeGreaterThan(0);
  });
});

describe('per-shard write limits, switched off', () => {
  const cloud = useLocalCloud({ shardLimits: false });

  it('takes whatever the emulator takes', async () => {
    // Prepare
    const kinesis = new KinesisClient({ ...clientConfig(cloud()), maxAttempts: 1 });
    await createStream(kinesis, 'unlimited', 1);

    // Act
    let failed = 0;
    for (let i = 0; i < 4; i++) {
      const out = await kinesis.send(
        new PutRecordsCommand({ StreamName: 'unlimited', Records: entries(500, (j) => `u${i}-${j}`) }),
      );
      failed += out.FailedRecordCount ?? 0;
    }
    kinesis.destroy();

    // Assess
    expect(failed).toBe(0);
  });
});
