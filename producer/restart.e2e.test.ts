/**
 * The red team's restart: Ctrl-C on `npm start` while the producer sends, then `npm start` again.
 * The compiled producer (dist/producer.mjs) against a local cloud that stops and comes back on
 * the same port with its stream created again.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../local/cloud.ts';
import { clientConfig, eventually } from '../testing/local-cloud.ts';
import { freePort } from '../testing/ports.ts';

const root = join(import.meta.dirname, '..');
const STREAM = 'restart-test';

/** A cloud on `port` with the producer's stream, ACTIVE. */
async function cloudWithStream(port: number): Promise<LocalCloud> {
  const cloud = await startLocalCloud({ port });
  const kinesis = new KinesisClient(clientConfig(cloud));
  await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
  await eventually(async () => {
    const { StreamDescriptionSummary: s } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: STREAM }),
    );
    return s?.StreamStatus === 'ACTIVE' || undefined;
  });
  return cloud;
}

async function recordCount(cloud: LocalCloud): Promise<number> {
  const kinesis = new KinesisClient(clientConfig(cloud));
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: STREAM }));
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamName: STREAM,
      ShardId: Shards[0]?.ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
  return Records.length;
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: root });
}, 120_000);

describe('the producer rides out a restart of the local cloud', () => {
  it('waits for the stream, says so, and sends what it had queued', async () => {
    // Prepare
    const port = await freePort();
    let cloud = await cloudWithStream(port);
    const endpoint = cloud.endpoint;
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const child = spawn(
      process.execPath,
      [
        join(root, 'dist', 'producer.mjs'),
        '--name',
        'R',
        '--duration',
        '12',
        '--rate',
        '5',
        '--stream',
        STREAM,
        '--endpoint',
        endpoint,
      ],
      { env, cwd: root },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    // Act: stop the cloud once records flow; start it again (empty) once the producer waits
    await eventually(async () => ((await recordCount(cloud)) > 0 ? true : undefined), 20_000, 'records');
    await cloud.stop();
    await eventually(
      async () => (/is gone/.test(stderr) ? true : undefined),
      30_000,
      'the producer to wait',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the producer said: ${stderr}`);
    });
    cloud = await cloudWithStream(port);
    const code = await exited;
    const after = await recordCount(cloud).finally(() => cloud.stop());

    // Assess
    expect(stderr).toMatch(
      new RegExp(
        `the stream '${STREAM}' in ${endpoint} is gone \\(is the local cloud restarting\\?\\): waiting up to 180 s for it to come back, \\d+ records queued`,
      ),
    );
    expect(stderr).toMatch(
      /is back \(the local cloud restarted at \d\d:\d\d:\d\d: the records sent before are gone with it\): sending the \d+ queued records/,
    );
    expect(stderr).toMatch(/failed 0/);
    expect(stderr).not.toMatch(/not sent|does not exist/);
    expect(code).toBe(0);
    expect(after).toBeGreaterThan(0);
  }, 90_000);
});
