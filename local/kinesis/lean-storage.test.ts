import kinesalite from 'kinesalite';
import { describe, expect, it } from 'vitest';
import { dispatchInProcess } from '../gateway/in-process.ts';
import { kinesisRequest } from '../lambda/mappings/kinesis-reads.ts';
import { createLeanStore, levelStore, withStore } from './lean-storage.ts';

/** Calls a kinesalite in this process, as the gateway does, and reads its JSON answer. */
function caller(server: ReturnType<typeof kinesalite>) {
  return async (target: string, body: unknown) => {
    const res = await dispatchInProcess(server, kinesisRequest(target, body));
    return { status: res.status, ...JSON.parse(String(res.body || '{}')) };
  };
}

type Call = ReturnType<typeof caller>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function active(call: Call, stream: string) {
  for (let i = 0; i < 100; i++) {
    const out = await call('DescribeStreamSummary', { StreamName: stream });
    if (out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await sleep(5);
  }
  throw new Error(`${stream} never became ACTIVE`);
}

/** Records of a shard from `iterator` on, read `limit` at a time, to its tip. */
async function readShard(call: Call, iterator: string, limit: number) {
  const pages: string[][] = [];
  let next: string | undefined = iterator;
  while (next) {
    const out = await call('GetRecords', { ShardIterator: next, Limit: limit });
    if (out.status !== 200) return { pages, error: out.__type };
    if (out.Records.length === 0) break;
    pages.push(out.Records.map((r: { PartitionKey: string; Data: string }) => `${r.PartitionKey}=${r.Data}`));
    next = out.NextShardIterator;
  }
  return { pages };
}

/**
 * One script of Kinesis calls, its answers with what depends on the clock (sequence numbers,
 * iterators, times) left out: the lean store must answer it as kinesalite's own store does.
 */
async function script(call: Call) {
  const seen: unknown[] = [];
  await call('CreateStream', { StreamName: 'a', ShardCount: 3 });
  await call('CreateStream', { StreamName: 'b', ShardCount: 1 });
  await active(call, 'a');
  await active(call, 'b');
  seen.push((await call('ListStreams', { Limit: 1 })).StreamNames);
  seen.push((await call('ListStreams', { ExclusiveStartStreamName: 'a' })).StreamNames);
  const put = await call('PutRecords', {
    StreamName: 'a',
    Records: Array.from({ length: 300 }, (_, i) => ({
      PartitionKey: `unicorn-${i % 37}`,
      Data: Buffer.from(`record ${i}`).toString('base64'),
    })),
  });
  seen.push(
    put.FailedRecordCount,
    put.Records.map((r: { ShardId: string }) => r.ShardId),
  );
  const single = await call('PutRecord', { StreamName: 'a', PartitionKey: 'unicorn-1', Data: 'b25l' });
  for (const shard of ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']) {
    const horizon = await call('GetShardIterator', {
      StreamName: 'a',
      ShardId: shard,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    seen.push(await readShard(call, horizon.ShardIterator, 40));
  }
  for (const type of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER']) {
    const at = await call('GetShardIterator', {
      StreamName: 'a',
      ShardId: single.ShardId,
      ShardIteratorType: type,
      StartingSequenceNumber:
        put.Records[100].ShardId === single.ShardId ? put.Records[100].SequenceNumber : single.SequenceNumber,
    });
    seen.push(type, await readShard(call, at.ShardIterator, 1000));
  }
  const latest = await call('GetShardIterator', {
    StreamName: 'a',
    ShardId: 'shardId-000000000000',
    ShardIteratorType: 'LATEST',
  });
  seen.push('latest', await readShard(call, latest.ShardIterator, 10));
  const stamp = await call('GetShardIterator', {
    StreamName: 'a',
    ShardId: 'shardId-000000000001',
    ShardIteratorType: 'AT_TIMESTAMP',
    Timestamp: Date.now() / 1000 - 60,
  });
  seen.push('at timestamp', await readShard(call, stamp.ShardIterator, 500));
  // A stream deleted and created again under its name starts empty.
  await call('DeleteStream', { StreamName: 'b' });
  await call('PutRecord', { StreamName: 'b', PartitionKey: 'k', Data: 'eA==' }).then((out) =>
    seen.push(out.__type),
  );
  for (let i = 0; i < 100 && (await call('DescribeStreamSummary', { StreamName: 'b' })).status === 200; i++)
    await sleep(5);
  await call('CreateStream', { StreamName: 'b', ShardCount: 1 });
  await active(call, 'b');
  const fresh = await call('GetShardIterator', {
    StreamName: 'b',
    ShardId: 'shardId-000000000000',
    ShardIteratorType: 'TRIM_HORIZON',
  });
  seen.push('recreated', await readShard(call, fresh.ShardIterator, 10));
  seen.push((await call('DescribeStreamSummary', { StreamName: 'missing' })).__type);
  return seen;
}

describe('createLeanStore in kinesalite', () => {
  it('answers a script of puts, reads, iterators and deletes as kinesalite’s own store does', async () => {
    // Prepare
    const options = { createStreamMs: 0, deleteStreamMs: 0, shardLimit: 100 };
    const lean = withStore(createLeanStore, () => kinesalite(options));
    const level = withStore(levelStore, () => kinesalite(options));

    // Act
    const fromLean = await script(caller(lean));
    const fromLevel = await script(caller(level));

    // Assess
    expect(fromLean).toEqual(fromLevel);
    // The script read what it put: 301 records over three shards from their horizons.
    const horizons = fromLean.slice(4, 7) as { pages: string[][] }[];
    expect(horizons.flatMap((read) => read.pages.flat())).toHaveLength(301);
  });
});
