import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import type { LocalCloud } from '../local/cloud.ts';
import { compareRounds, concurrentCalls, type Path, type PathThroughput } from './rounds.ts';

/** Kinesis' largest PutRecords call. */
const PER_CALL = 500;

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

async function createActiveStream(client: KinesisClient, name: string): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 4 }));
  for (;;) {
    const { StreamDescriptionSummary: s } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (s?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Puts `total` records in PutRecords calls of 500, `concurrency` calls in flight. */
function putAll(client: KinesisClient, stream: string, total: number, concurrency: number): Promise<void> {
  return concurrentCalls(Math.ceil(total / PER_CALL), concurrency, async (call) => {
    const Records = Array.from({ length: Math.min(PER_CALL, total - call * PER_CALL) }, (_, i) =>
      record(call * PER_CALL + i),
    );
    const res = await client.send(new PutRecordsCommand({ StreamName: stream, Records }));
    if (res.FailedRecordCount) throw new Error(`${res.FailedRecordCount} records failed`);
  });
}

/**
 * PutRecords throughput, straight to kinesalite and through the gateway over HTTP/1.1 and over
 * HTTP/2 (the SDK's default for Kinesis, and one pooled session as the producer uses): the same
 * client code, each path on its own 4-shard stream.
 */
export async function benchKinesisGateway(
  cloud: LocalCloud,
  opts: { total: number; concurrency: number; rounds: number },
): Promise<PathThroughput[]> {
  const base = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const { host, port } = cloud.emulators.kinesis;
  const clients: [string, KinesisClient][] = [
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
    // The SDK's default for Kinesis opens an HTTP/2 session per call (disableConcurrentStreams).
    ['gateway (HTTP/2, the SDK default)', new KinesisClient({ ...base, endpoint: cloud.endpoint })],
    [
      'gateway (HTTP/2, one session, as the producer)',
      new KinesisClient({
        ...base,
        endpoint: cloud.endpoint,
        requestHandler: new NodeHttp2Handler({ disableConcurrentStreams: false }),
      }),
    ],
  ];
  try {
    const paths: Path[] = [];
    for (const [index, [name, client]] of clients.entries()) {
      const stream = `bench-gateway-${index}`;
      await createActiveStream(client, stream);
      await putAll(client, stream, 2 * PER_CALL * opts.concurrency, opts.concurrency); // warm up
      paths.push({
        name,
        run: async () => {
          await putAll(client, stream, opts.total, opts.concurrency);
          return opts.total;
        },
      });
    }
    return await compareRounds(paths, opts.rounds);
  } finally {
    for (const [, client] of clients) client.destroy();
  }
}
