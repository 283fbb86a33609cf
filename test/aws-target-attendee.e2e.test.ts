/**
 * An attendee's names reach AWS through `--target aws` (issue #15): the real CDK CLI, driven by
 * `npm run catchup -- 2 --target aws --attendee ada` with AWS_ENDPOINT_URL at a local cloud,
 * creates `ada-` stacks with `ada-` resources through CloudFormation, and the commands that
 * follow (upload, producer, checks, cleanup) find them with the attendee remembered.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFor } from '../contracts/attendee.ts';
import { curriculum } from '../core/curriculum.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/local-cloud.ts';
import { type AwsTarget, startAwsTarget } from '../testing/aws-target.ts';
import { clientConfig } from '../testing/local-cloud.ts';

const MINUTES = 60_000;
const ada = namesFor('ada');
const STACKS = curriculum.filter((m) => m.id <= 2).map((m) => ada.stack(m.stack));

describe.sequential("an attendee's names through --target aws (real cdk CLI, local CloudFormation)", () => {
  let target: AwsTarget;
  const npm = (...args: string[]) => target.npmOk(...args);

  beforeAll(async () => {
    target = await startAwsTarget('aws-attendee');
  }, 10 * MINUTES);

  afterAll(async () => {
    await target?.stop();
  });

  it(
    'deploys ada- stacks holding ada- resources with `catchup 2 --target aws --attendee ada`',
    async () => {
      // Act
      await npm('catchup', '--', '2', '--target', 'aws', '--attendee', 'ada');

      // Assess
      const config = clientConfig(target.cloud);
      const cfn = new CloudFormationClient(config);
      for (const stack of STACKS) {
        const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
        expect(Stacks?.[0]?.StackStatus, stack).toBe('CREATE_COMPLETE');
      }
      const live = (await cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE'] })))
        .StackSummaries;
      expect((live ?? []).map((s) => s.StackName).sort()).toEqual(['CDKToolkit', ...STACKS].sort());
      const fp = ada.fileProcessing(LOCAL_ACCOUNT, LOCAL_REGION);
      const buckets = (
        await new S3Client({ ...config, forcePathStyle: true }).send(new ListBucketsCommand({}))
      ).Buckets;
      expect((buckets ?? []).map((b) => b.Name)).toEqual(
        expect.arrayContaining([fp.inputBucket, fp.outputBucket]),
      );
      const functions = (await new LambdaClient(config).send(new ListFunctionsCommand({}))).Functions ?? [];
      expect(functions.map((f) => f.FunctionName).sort()).toEqual([
        fp.conversionFunction,
        fp.sentimentFunction,
      ]);
      expect((await new KinesisClient(config).send(new ListStreamsCommand({}))).StreamNames).toEqual([
        ada.rawStream,
      ]);
    },
    15 * MINUTES,
  );

  it(
    "finds ada's bucket and stream without --attendee again (remembered): upload, producer, checks",
    async () => {
      // Act
      await npm('upload', '--', 'modules/01-file-processing/samples', '--target', 'aws');
      const module1 = await npm('check:module1', '--', '--target', 'aws', '--wait', '120');
      await target.runOk('node', [
        'dist/producer.mjs',
        '--name',
        'Bucephalus',
        '--count',
        '20',
        '--rate',
        '20',
      ]);
      const module2 = await npm('check:module2', '--', '--target', 'aws', '--name', 'Bucephalus');

      // Assess: each check exits 0 (run() throws otherwise), on ada's resources
      const fp = ada.fileProcessing(LOCAL_ACCOUNT, LOCAL_REGION);
      expect(module1).toContain(`${fp.inputBucket} → ${fp.outputBucket}, ${fp.table}`);
      expect(module2).toContain(`✔ the stream '${ada.rawStream}' exists and is active`);
    },
    10 * MINUTES,
  );

  it(
    "removes ada's stacks with `cleanup --target aws` (cdk destroy --all of ada's app)",
    async () => {
      // Act
      await npm('cleanup', '--', '--target', 'aws');

      // Assess
      const cfn = new CloudFormationClient(clientConfig(target.cloud));
      for (const stack of STACKS) {
        await expect(cfn.send(new DescribeStacksCommand({ StackName: stack }))).rejects.toThrow(
          /does not exist/,
        );
      }
    },
    10 * MINUTES,
  );
});
