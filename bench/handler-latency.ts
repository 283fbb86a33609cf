import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import type { LocalCloud } from '../local/cloud.ts';
import { LambdaService } from '../local/lambda/service.ts';
import { paced, until } from './pacing.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const STREAM = 'bench-handler-latency';

/** Milliseconds from each put to the moment the handler saw the record. */
export interface LatencySamples {
  latenciesMs: number[];
}

/**
 * Put→handler latency of a Kinesis event source mapping: a fixture function on a one-shard
 * stream (the mapping's defaults: batch size 100, no batching window) notes when it sees each
 * record; records are put one at a time through the gateway, `intervalMs` apart, each carrying
 * the time it was put.
 */
export async function benchHandlerLatency(
  cloud: LocalCloud,
  opts: { samples: number; intervalMs: number },
): Promise<LatencySamples> {
  const dir = await mkdtemp(join(tmpdir(), 'wildrydes-bench-latency-'));
  const file = join(dir, 'latency.jsonl');
  const lambda = new LambdaService({ endpoint: cloud.endpoint, logDir: join(dir, 'logs') });
  cloud.register('lambda', lambda.handle);
  const kinesis = new KinesisClient({
    endpoint: cloud.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
    const streamArn = await until(
      async () => {
        const { StreamDescriptionSummary: s } = await kinesis.send(
          new DescribeStreamSummaryCommand({ StreamName: STREAM }),
        );
        return s?.StreamStatus === 'ACTIVE' ? s.StreamARN : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, what: `stream ${STREAM}` },
    );
    await lambda.putFunction({
      name: 'bench-latency',
      handler: 'latency.handler',
      codeDir: FIXTURES,
      runtime: 'nodejs22.x',
      timeoutSeconds: 10,
      memorySizeMb: 256,
      environment: { LATENCY_FILE: file },
    });
    await lambda.putEventSourceMapping({
      functionName: 'bench-latency',
      eventSourceArn: streamArn,
      startingPosition: 'TRIM_HORIZON',
    });
    const put = (i: number) =>
      kinesis
        .send(
          new PutRecordCommand({
            StreamName: STREAM,
            PartitionKey: `unicorn-${i}`,
            Data: Buffer.from(JSON.stringify({ putMs: Date.now(), i })),
          }),
        )
        .then(() => undefined);
    // A first record warms the function's process, the client's connection and the JIT.
    await put(-1);
    const seen = async () => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    await until(async () => ((await seen()).length > 0 ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 50,
      what: 'the warm-up record',
    });
    await paced(opts.samples, opts.intervalMs, put);
    const lines = await until(
      async () => {
        const all = await seen();
        return all.length > opts.samples ? all.slice(1) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'every record at the handler' },
    );
    const samples = lines.map((l) => JSON.parse(l) as { putMs: number; seenMs: number });
    return { latenciesMs: samples.map((s) => s.seenMs - s.putMs) };
  } finally {
    kinesis.destroy();
    await lambda.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
