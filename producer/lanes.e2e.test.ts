import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStream } from '../testing/lambda.ts';
import { clientConfig, useLocalCloud } from '../testing/local-cloud.ts';
import { laneOf } from './lanes.ts';
import { unicornNames } from './names.ts';

// The producer's lanes stand for shards: the lane it computes for a unicorn is the shard
// Kinesis (here kinesalite, which splits the hash key space as AWS does) puts its record in.

describe('a lane per shard', () => {
  const cloud = useLocalCloud();
  let kinesis: KinesisClient;
  beforeAll(() => {
    kinesis = new KinesisClient(clientConfig(cloud()));
  });
  afterAll(() => kinesis.destroy());

  it.each([[2], [10]])('names the shard of each unicorn on a stream of %d shards', async (shards) => {
    // Prepare
    const stream = `lanes-${shards}`;
    await createStream(kinesis, stream, shards);
    const names = unicornNames(300);

    // Act
    const out = await kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: names.map((name) => ({ PartitionKey: name, Data: Buffer.from(name) })),
      }),
    );

    // Assess
    expect(out.FailedRecordCount ?? 0).toBe(0);
    const shardOf = (out.Records ?? []).map((r) => Number(r.ShardId?.replace('shardId-', '')));
    expect(shardOf).toEqual(names.map((name) => laneOf(name, shards)));
  });
});
