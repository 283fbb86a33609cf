import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/types.ts';
import { names } from '../modules/02-streaming-data/names.ts';
import type { UnicornAggregate } from '../modules/02-streaming-data/telemetry.ts';
import { paced, sleep } from './pacing.ts';
import type { Pipeline } from './pipeline.ts';

/**
 * Keys looked up per look at the table. One shard, read in order: items appear in the order the
 * records were put, so the oldest few outstanding keys are the ones to look for, and a small
 * lookup keeps the watching from loading dynalite, which the function under test writes to.
 */
const LOOKUP_KEYS = 10;
/** How often the table is looked at: the resolution of the figure. */
const POLL_MS = 10;
/** Records put and not counted, after the first one is through. */
const WARM_UP_MS = 1_000;

const aggregate = (i: number): UnicornAggregate => ({
  Name: `bench-latency-${i}`,
  StatusTime: '2026-11-22 09:17:00.000',
  Distance: 10_000 + i,
  MinMagicPoints: 97,
  MaxMagicPoints: 123,
  MinHealthPoints: 140,
  MaxHealthPoints: 158,
});

/**
 * Module 4's put→item latency: aggregated records put one at a time on `wildrydes-aggregated`
 * (through the gateway, `intervalMs` apart), each of its own unicorn, and the table looked at
 * every 10 ms for the oldest items still missing. Milliseconds from each put to its item.
 */
export async function benchModule4Latency(
  pipeline: Pipeline,
  opts: { samples: number; intervalMs: number; timeoutMs?: number },
): Promise<number[]> {
  const config = { endpoint: pipeline.cloud.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const kinesis = new KinesisClient(config);
  const dynamodb = new DynamoDBClient(config);
  const putAt = new Map<string, number>();
  const latencies = new Map<string, number>();
  const put = async (i: number) => {
    const item = aggregate(i);
    putAt.set(item.Name, Date.now());
    await kinesis.send(
      new PutRecordCommand({
        StreamName: names.aggregatedStream,
        PartitionKey: item.Name,
        Data: Buffer.from(JSON.stringify(item)),
      }),
    );
  };
  let sending = true;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000) + opts.samples * opts.intervalMs;
  const watch = async () => {
    while ((sending || latencies.size < putAt.size) && Date.now() < deadline) {
      const waiting = [...putAt.keys()].filter((name) => !latencies.has(name)).slice(0, LOOKUP_KEYS);
      if (waiting.length > 0) {
        const out = await dynamodb.send(
          new BatchGetItemCommand({
            RequestItems: {
              [names.table]: {
                Keys: waiting.map((name) => ({
                  Name: { S: name },
                  StatusTime: { S: aggregate(0).StatusTime },
                })),
                ProjectionExpression: '#n',
                ExpressionAttributeNames: { '#n': 'Name' },
              },
            },
          }),
        );
        const now = Date.now();
        for (const item of out.Responses?.[names.table] ?? []) {
          const name = item.Name?.S ?? '';
          latencies.set(name, now - (putAt.get(name) ?? now));
        }
      }
      await sleep(POLL_MS);
    }
  };
  try {
    // A first record until its item is there (the function's process up, the SDK loaded), then
    // a second of records not counted: the figure is of a warm pipeline, not of its start.
    await put(0);
    sending = false;
    await watch();
    if (latencies.size === 0) throw new Error('the first record never reached the table');
    const warmUp = Math.ceil(WARM_UP_MS / opts.intervalMs);
    sending = true;
    const watching = watch();
    await paced(warmUp + opts.samples, opts.intervalMs, (i) => put(1 + i));
    sending = false;
    await watching;
    if (latencies.size < putAt.size) {
      throw new Error(`${putAt.size - latencies.size} of ${putAt.size} records never reached the table`);
    }
    return [...putAt.keys()].slice(1 + warmUp).flatMap((name) => latencies.get(name) ?? []);
  } finally {
    kinesis.destroy();
    dynamodb.destroy();
  }
}
