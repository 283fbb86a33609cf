/**
 * An attendee's names reach AWS through `--target aws` (issue #15): the real CDK CLI, driven by
 * `npm run catchup -- 2 --target aws --attendee ada` with AWS_ENDPOINT_URL at a local cloud,
 * creates `ada-` stacks with `ada-` resources through CloudFormation, and the commands that
 * follow (upload, producer, checks, cleanup) find them with the attendee remembered.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
import { curriculum, repoRoot } from '../core/curriculum.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/local-cloud.ts';
import { type LocalCloud, startLocalCloud } from '../local/cloud.ts';
import { installServices } from '../local/services.ts';
import { clientConfig } from '../testing/local-cloud.ts';

const exec = promisify(execFile);
const MINUTES = 60_000;
const ada = namesFor('ada');
const STACKS = curriculum.filter((m) => m.id <= 2).map((m) => ada.stack(m.stack));

describe.sequential("an attendee's names through --target aws (real cdk CLI, local CloudFormation)", () => {
  let cloud: LocalCloud;
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  let stopServices: () => Promise<void>;

  /** Runs a command as the attendee would, in the repository; fails with its output if it fails. */
  async function run(command: string, args: string[], timeoutMs = 10 * MINUTES): Promise<string> {
    try {
      const { stdout, stderr } = await exec(command, args, {
        cwd: repoRoot,
        env,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      });
      return `${stdout}\n${stderr}`;
    } catch (err) {
      const { stdout, stderr } = err as { stdout?: string; stderr?: string };
      throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`.slice(-8000));
    }
  }
  const npm = (...args: string[]) => run('npm', ['run', '--silent', ...args]);

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-aws-attendee-'));
    cloud = await startLocalCloud({ port: 0 });
    const services = installServices(cloud, { stateDir, log: () => undefined });
    stopServices = () => services.lambda.stop();
    env = {
      ...process.env,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_PROFILE: undefined,
      WILDRYDES_STATE_DIR: stateDir,
      WILDRYDES_ATTENDEE: undefined,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    };
    await run(join(repoRoot, 'node_modules', '.bin', 'cdk'), [
      'bootstrap',
      `aws://${LOCAL_ACCOUNT}/${LOCAL_REGION}`,
      '--no-notices',
    ]);
  }, 10 * MINUTES);

  afterAll(async () => {
    await stopServices?.();
    await cloud?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it(
    'deploys ada- stacks holding ada- resources with `catchup 2 --target aws --attendee ada`',
    async () => {
      // Act
      await npm('catchup', '--', '2', '--target', 'aws', '--attendee', 'ada');

      // Assess
      const config = clientConfig(cloud);
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
      await run('node', ['dist/producer.mjs', '--name', 'Bucephalus', '--count', '20', '--rate', '20']);
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
      const cfn = new CloudFormationClient(clientConfig(cloud));
      for (const stack of STACKS) {
        await expect(cfn.send(new DescribeStacksCommand({ StackName: stack }))).rejects.toThrow(
          /does not exist/,
        );
      }
    },
    10 * MINUTES,
  );
});
