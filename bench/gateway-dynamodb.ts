import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import type { LocalCloud } from '../local/cloud.ts';
import { createSensorTable } from '../testing/streams.ts';
import { compareRounds, concurrentCalls, type Path, type PathThroughput } from './rounds.ts';

/** DynamoDB's largest BatchWriteItem call. */
const PER_CALL = 25;

/** An item of `UnicornSensorData`'s shape: one unicorn's aggregate of one window. */
const putRequest = (i: number): WriteRequest => ({
  PutRequest: {
    Item: {
      Name: { S: `unicorn-${i % 1000}` },
      StatusTime: { S: `2026-11-22 09:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}:00.000` },
      Distance: { N: '10452' },
      MinMagicPoints: { N: '97' },
      MaxMagicPoints: { N: '123' },
      MinHealthPoints: { N: '140' },
      MaxHealthPoints: { N: '158' },
    },
  },
});

/** Writes `total` items in BatchWriteItem calls of 25, `concurrency` in flight. */
function writeAll(client: DynamoDBClient, table: string, total: number, concurrency: number): Promise<void> {
  return concurrentCalls(Math.ceil(total / PER_CALL), concurrency, async (call) => {
    const requests = Array.from({ length: Math.min(PER_CALL, total - call * PER_CALL) }, (_, i) =>
      putRequest(call * PER_CALL + i),
    );
    const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
    if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error('items were left unprocessed');
  });
}

/**
 * BatchWriteItem throughput, straight to dynalite and through the gateway (HTTP/1.1, the SDK's
 * default for DynamoDB): the same client code, each path on its own table of the module 4 shape.
 */
export async function benchDynamoDbGateway(
  cloud: LocalCloud,
  opts: { total: number; concurrency: number; rounds: number },
): Promise<PathThroughput[]> {
  const base = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const { host, port } = cloud.emulators.dynamodb;
  const clients: [string, DynamoDBClient][] = [
    ['dynalite directly', new DynamoDBClient({ ...base, endpoint: `http://${host}:${port}` })],
    ['gateway (HTTP/1.1, the SDK default)', new DynamoDBClient({ ...base, endpoint: cloud.endpoint })],
  ];
  try {
    const paths: Path[] = [];
    for (const [index, [name, client]] of clients.entries()) {
      const table = `bench-gateway-${index}`;
      await createSensorTable(client, table);
      await writeAll(client, table, 8 * PER_CALL * opts.concurrency, opts.concurrency); // warm up
      paths.push({
        name,
        run: async () => {
          await writeAll(client, table, opts.total, opts.concurrency);
          return opts.total;
        },
      });
    }
    return await compareRounds(paths, opts.rounds);
  } finally {
    for (const [, client] of clients) client.destroy();
  }
}
