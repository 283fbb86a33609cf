/**
 * The real CDK CLI (this project's `cdk`) against the local cloud, with nothing but
 * `AWS_ENDPOINT_URL` pointed at it: `cdk bootstrap` deploys the bootstrap template (YAML, IAM,
 * KMS, ECR, the staging bucket, the SSM version parameter), `cdk deploy` publishes the template to
 * the staging bucket and deploys it through a change set, skips a deploy that changes nothing,
 * updates, and `cdk destroy` deletes. IAM stays recorded here: this test is about CloudFormation.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingControls, tempDir } from '../../../testing/cloudformation.ts';
import { clientConfig, useLocalCloud } from '../../../testing/local-cloud.ts';
import { installSsm, SsmStore } from '../../ssm/index.ts';
import { ssmParameterProvider } from '../../ssm/provider.ts';
import { installSts } from '../../sts/index.ts';
import type { LocalDeployer } from '../deployer.ts';
import { serveCloudFormation } from './testing.ts';

const run = promisify(execFile);
const bin = (name: string) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
const APP = fileURLToPath(new URL('../fixtures/cli-app.ts', import.meta.url));
const MINUTES = 60_000;

const cloud = useLocalCloud();
let deployer: LocalDeployer;
let cfn: CloudFormationClient;
let dir = '';
let cleanup = async () => {};

beforeAll(async () => {
  const ssm = new SsmStore();
  installSsm(cloud(), ssm);
  installSts(cloud());
  deployer = serveCloudFormation(cloud(), new RecordingControls(), {
    providers: { 'AWS::SSM::Parameter': ssmParameterProvider(ssm) },
  });
  cfn = new CloudFormationClient(clientConfig(cloud()));
  ({ dir, cleanup } = await tempDir('cdk-cli-cfn'));
});
afterAll(async () => {
  await deployer?.close();
  await cleanup();
});

/** Runs `cdk …` as an attendee would against an endpoint; fails with its output if it fails. */
async function cdk(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(
      bin('cdk'),
      [...args, '--no-notices', '--progress', 'events', '--output', join(dir, 'cdk.out')],
      {
        cwd: dir,
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: cloud().endpoint,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: join(dir, 'none'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
          CDK_DISABLE_VERSION_CHECK: '1',
        },
        timeout: 3 * MINUTES,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return `${stdout}\n${stderr}`;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`cdk ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`.slice(-6000));
  }
}

const app = (vis: number) => ['--app', `${bin('tsx')} ${APP}`, '--context', `vis=${vis}`];

const stack = async (name: string) =>
  (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];

describe.sequential('the CDK CLI', () => {
  it(
    'bootstraps the environment',
    async () => {
      // Act
      const out = await cdk('bootstrap', 'aws://000000000000/us-east-1');
      // Assess
      expect(out).toContain('Environment aws://000000000000/us-east-1 bootstrapped');
      const toolkit = await stack('CDKToolkit');
      expect(toolkit?.StackStatus).toBe('CREATE_COMPLETE');
      expect(toolkit?.Outputs).toContainEqual(expect.objectContaining({ OutputKey: 'BootstrapVersion' }));
      const s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
      await s3.send(new HeadBucketCommand({ Bucket: 'cdk-hnb659fds-assets-000000000000-us-east-1' }));
    },
    3 * MINUTES,
  );

  it(
    'deploys a stack through a change set',
    async () => {
      // Act
      const out = await cdk('deploy', ...app(30), '--require-approval', 'never');
      // Assess
      expect(out).toMatch(/CdkCliQueues\.JobsUrl = \S+\/CdkCliQueues-Jobs/);
      expect(await stack('CdkCliQueues')).toMatchObject({
        StackStatus: 'CREATE_COMPLETE',
        Outputs: [expect.objectContaining({ OutputKey: 'JobsUrl', ExportName: 'cdk-cli-jobs-url' })],
      });
    },
    3 * MINUTES,
  );

  it(
    'skips a deploy that changes nothing',
    async () => {
      // Prepare
      const before = await stack('CdkCliQueues');
      // Act
      await cdk('deploy', ...app(30), '--require-approval', 'never');
      // Assess
      const after = await stack('CdkCliQueues');
      expect(after?.StackStatus).toBe('CREATE_COMPLETE');
      expect(after?.LastUpdatedTime).toEqual(before?.LastUpdatedTime);
    },
    3 * MINUTES,
  );

  it(
    'shows and deploys a change',
    async () => {
      // Act
      const diff = await cdk('diff', ...app(60));
      const out = await cdk('deploy', ...app(60), '--require-approval', 'never');
      // Assess
      expect(diff).toMatch(/\[~\] AWS::SQS::Queue Jobs/);
      expect(out).toContain('UPDATE_COMPLETE');
      expect((await stack('CdkCliQueues'))?.StackStatus).toBe('UPDATE_COMPLETE');
    },
    3 * MINUTES,
  );

  it(
    'destroys the stack',
    async () => {
      // Act
      const out = await cdk('destroy', ...app(60), '--force');
      // Assess
      expect(out).toContain('CdkCliQueues: destroyed');
      await expect(stack('CdkCliQueues')).rejects.toThrow('Stack with id CdkCliQueues does not exist');
    },
    3 * MINUTES,
  );
});
