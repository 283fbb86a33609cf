/**
 * Shards on the AWS target (issue 13): `npm run deploy -- N --target aws --shards S` passes the
 * shard count to cdk (`-c shards=S`) as `npm start -- --shards S` does locally, and later
 * deploys keep it. Against the local cloud's CloudFormation, with the real CDK CLI, as
 * aws-target.e2e.test.ts runs the whole workshop.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../contracts/names.ts';
import { type AwsTarget, startAwsTarget } from '../testing/aws-target.ts';
import { clientConfig } from '../testing/local-cloud.ts';

const MINUTES = 60_000;

describe.sequential('--shards on the AWS target (real cdk CLI, against the local cloud)', () => {
  let target: AwsTarget;
  let kinesis: KinesisClient;

  const npm = (...args: string[]) => target.npm(...args);
  const openShards = async () =>
    (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.rawStream })))
      .StreamDescriptionSummary?.OpenShardCount;

  beforeAll(async () => {
    target = await startAwsTarget('aws-shards');
    kinesis = new KinesisClient(clientConfig(target.cloud));
  }, 5 * MINUTES);

  afterAll(async () => {
    kinesis?.destroy();
    await target?.stop();
  });

  it(
    'deploys the streams with the shards asked for',
    async () => {
      // Act
      const { code, output } = await npm('deploy', '--', '2', '--target', 'aws', '--shards', '3');

      // Assess
      expect(code, output.slice(-4000)).toBe(0);
      expect(await openShards()).toBe(3);
    },
    10 * MINUTES,
  );

  it(
    'keeps them on the next deploy without --shards (cdk.json says 1)',
    async () => {
      // Act
      const { code, output } = await npm('deploy', '--', '2', '--target', 'aws');

      // Assess
      expect(code, output.slice(-4000)).toBe(0);
      expect(await openShards()).toBe(3);
      const saved = JSON.parse(await readFile(join(target.stateDir, 'deployment.json'), 'utf8'));
      expect(saved.shards).toBe(3);
    },
    10 * MINUTES,
  );

  it('refuses --shards for the local cloud in one line, exit 2', async () => {
    // Act
    const { code, output } = await npm('deploy', '--', '2', '--shards', '3');

    // Assess
    expect(code).toBe(2);
    expect(output.trim()).toBe(
      "error: --shards is for --target aws: the local cloud's streams get theirs when it starts (`npm start -- --shards 3`)",
    );
  });
});
