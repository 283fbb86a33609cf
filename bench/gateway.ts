import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { LocalCloud } from '../local/cloud.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/types.ts';

export interface ThroughputResult {
  path: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
}

const record = (i: number) => ({
  PartitionKey: `unicorn-${i % 1000}`,
  Data: Buffer.from(
    JSON.stringify({
      Name: `unicorn-${i % 1000}`,
      StatusTime: '2026-11-22 09:17:08.189',
      Latitude: 42.2644,
      Longitude: -71.9758,
      Distance: 175,
      MagicPoints: 110,
      HealthPoints: 150,
    }),
  ),
});

async function waitActive(client: KinesisClient, name: string): Promise<void> {
  for (;;) {
    const { StreamDescriptionSummary: s } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (s?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Puts `total` records in PutRecords calls of 500, `concurrency` calls in flight. */
async function putAll(
  client: KinesisClient,
  stream: string,
  total: number,
  concurrency: number,
): Promise<number> {
  const calls = Math.ceil(total / 500);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let call = next++; call < calls; call = next++) {
        const Records = Array.from({ length: Math.min(500, total - call * 500) }, (_, i) =>
          record(call * 500 + i),
        );
        const res = await client.send(new PutRecordsCommand({ StreamName: stream, Records }));
        if (res.FailedRecordCount) throw new Error(`${res.FailedRecordCount} records failed`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** PutRecords throughput: straight to kinesalite, and through the gateway over HTTP/1.1 and HTTP/2. */
export async function benchGateway(
  cloud: LocalCloud,
  total = 20_000,
  concurrency = 4,
): Promise<ThroughputResult[]> {
  const base = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const { host, port } = cloud.emulators.kinesis;
  const paths: [string, KinesisClient][] = [
    [
      'kinesalite directly (HTTP/1.1)',
      new KinesisClient({
        ...base,
        endpoint: `http://${host}:${port}`,
        requestHandler: new NodeHttpHandler(),
      }),
    ],
    [
      'gateway (HTTP/1.1)',
      new KinesisClient({ ...base, endpoint: cloud.endpoint, requestHandler: new NodeHttpHandler() }),
    ],
    ['gateway (HTTP/2, the SDK default)', new KinesisClient({ ...base, endpoint: cloud.endpoint })],
  ];
  const results: ThroughputResult[] = [];
  for (const [index, [path, client]] of paths.entries()) {
    const stream = `bench-gateway-${index}`;
    await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 4 }));
    await waitActive(client, stream);
    await putAll(client, stream, 1_000, concurrency); // warm up connections and the JIT
    const seconds = await putAll(client, stream, total, concurrency);
    results.push({ path, records: total, seconds, recordsPerSecond: total / seconds });
    client.destroy();
  }
  return results;
}
