import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatuses, validValues } from '../checks/streams.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import { clientConfig, eventually, useLocalCloud } from '../testing/local-cloud.ts';

// Acceptance for issue 13: on one shard, the compiled producer at 2,000 records/s (twice what a
// shard takes) is throttled as AWS throttles it, retries, and in the end every record is on the
// stream; its summary says it was throttled and what to do about it.

const STREAM = 'one-shard';
const UNICORNS = 2000;
const SECONDS = 2;
const bin = join(import.meta.dirname, '..', 'dist', 'producer.mjs');

function runProducer(endpoint: string): Promise<{ code: number | null; stderr: string }> {
  const args = ['--unicorns', String(UNICORNS), '--duration', String(SECONDS), '--stream', STREAM];
  const child = spawn(process.execPath, [bin, ...args, '--endpoint', endpoint, '--quiet'], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_REGION: LOCAL_REGION,
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a producer twice as fast as one shard takes', () => {
  const cloud = useLocalCloud();
  let kinesis: KinesisClient;
  let run: { code: number | null; stderr: string };

  beforeAll(async () => {
    kinesis = new KinesisClient(clientConfig(cloud()));
    await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
    await eventually(async () => {
      const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }));
      return out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE' ? true : undefined;
    });
    run = await runProducer(cloud().endpoint);
  }, 60_000);
  afterAll(() => kinesis.destroy());

  it('is throttled by the shard, as AWS would throttle it', () => {
    // Assess
    expect(cloud().shardLimits?.throttled()[STREAM]).toBeGreaterThan(0);
    expect(run.stderr).toMatch(
      /throttled [\d,]+ times by 1 shard \(ProvisionedThroughputExceededException: over 1,000 records\/s or 1 MiB\/s per shard\): send slower, or give the stream more shards/,
    );
  });

  it('loses nothing: every record is on the stream in the end, or the summary says what failed', async () => {
    // Act
    const statuses = validValues(await readStatuses(kinesis, STREAM));

    // Assess
    const failed = Number(/failed ([\d,]+)/.exec(run.stderr)?.[1]?.replace(/,/g, '') ?? 'NaN');
    expect(statuses.length + failed).toBe(UNICORNS * SECONDS);
    expect(run.code).toBe(failed > 0 ? 1 : 0);
    expect(new Set(statuses.map((s) => `${s.Name} ${s.StatusTime}`)).size).toBe(statuses.length);
  });
});
