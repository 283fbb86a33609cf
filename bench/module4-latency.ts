import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { names } from '../contracts/names.ts';
import type { UnicornAggregate } from '../contracts/telemetry.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
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
/** Records put one at a time, and not counted, before the measured ones. */
const WARM_UP_RECORDS = 5;

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
 * every 10 ms for the oldest items still missing. Milliseconds from each put to its item, for
 * a warm function (`warmMs`) and for the first record after the deploy (`firstMs`).
 */
export async function benchModule4Latency(
  pipeline: Pipeline,
  opts: { samples: number; intervalMs: number; timeoutMs?: number },
): Promise<{ firstMs: number; warmMs: number[] }> {
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
    // A function's first invocations are slow (the SDK loading and connecting, the JIT): a few
    // records one at a time, each until its item is there, before the measured ones. The first
    // one's latency, the first after the deploy, is reported on its own.
    for (let i = 0; i < WARM_UP_RECORDS; i++) {
      await put(i);
      sending = false;
      await watch();
      if (!latencies.has(aggregate(i).Name)) throw new Error(`warm-up record ${i} never reached the table`);
    }
    sending = true;
    const watching = watch();
    await paced(opts.samples, opts.intervalMs, (i) => put(WARM_UP_RECORDS + i));
    sending = false;
    await watching;
    if (latencies.size < putAt.size) {
      throw new Error(`${putAt.size - latencies.size} of ${putAt.size} records never reached the table`);
    }
    return {
      firstMs: latencies.get(aggregate(0).Name) ?? Number.NaN,
      warmMs: [...putAt.keys()].slice(WARM_UP_RECORDS).flatMap((name) => latencies.get(name) ?? []),
    };
  } finally {
    kinesis.destroy();
    dynamodb.destroy();
  }
}
