/**
 * The real `aws` CLI's CloudFormation commands against the local cloud: every `aws` on the PATH
 * (Debian's awscli 2, a pip-installed 1.x…) deploys, describes, updates and deletes a stack.
 * Skipped only when there is no `aws` at all (`apt-get install -y awscli`).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAwsClis } from '../../../testing/aws-cli.ts';
import { RecordingControls, tempDir } from '../../../testing/cloudformation.ts';
import { clientConfig, useLocalCloud } from '../../../testing/local-cloud.ts';
import type { LocalDeployer } from '../deployer.ts';
import { serveCloudFormation, stackSettled } from './testing.ts';

const run = promisify(execFile);

const CLIS = findAwsClis();
const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Description: the aws CLI's stack
Parameters:
  Vis:
    Type: Number
    Default: 30
  Secret:
    Type: String
    NoEcho: true
    Default: hush
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !Ref Vis
Outputs:
  JobsUrl:
    Value: !Ref Jobs
    Export:
      Name: !Sub "\${AWS::StackName}-jobs"
`;

const cloud = useLocalCloud();
let deployer: LocalDeployer;
let cfn: CloudFormationClient;
let dir = '';
let cleanup = async () => {};

beforeAll(async () => {
  deployer = serveCloudFormation(cloud(), new RecordingControls());
  cfn = new CloudFormationClient(clientConfig(cloud()));
  ({ dir, cleanup } = await tempDir('aws-cli-cfn'));
  await writeFile(join(dir, 'stack.yaml'), TEMPLATE);
  const s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'cli-templates' }));
  await s3.send(new PutObjectCommand({ Bucket: 'cli-templates', Key: 'stack.yaml', Body: TEMPLATE }));
});
afterAll(async () => {
  await deployer?.close();
  await cleanup();
});

/** Runs `aws --endpoint-url <cloud> … --output json` with dummy credentials and no profile. */
async function aws(cli: string, args: string[]): Promise<string> {
  const none = join(dir, 'none');
  const { stdout } = await run(cli, ['--endpoint-url', cloud().endpoint, '--output', 'json', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: none,
      AWS_SHARED_CREDENTIALS_FILE: none,
      AWS_PAGER: '',
    },
    timeout: 120_000,
  });
  return stdout;
}

/** The error output of an `aws` command that must fail. */
const awsError = (cli: string, args: string[]) =>
  aws(cli, args).then(
    () => '(it succeeded)',
    (err: { stderr?: string }) => err.stderr ?? '',
  );

describe.skipIf(CLIS.length === 0).each(CLIS.map((cli, i) => [cli, i] as const))(
  '%s cloudformation',
  (cli, i) => {
    const stack = `cli-${i}`;
    let lastDeployEnded = 0;
    const deploy = async (...extra: string[]) => {
      // `deploy` names its change set after the current second, and the stack keeps each one
      // (executed or empty) as CloudFormation does: two deploys within one second would collide.
      while (Math.floor(Date.now() / 1000) === Math.floor(lastDeployEnded / 1000)) {
        await setTimeout(50);
      }
      try {
        return await aws(cli, [
          'cloudformation',
          'deploy',
          '--template-file',
          join(dir, 'stack.yaml'),
          '--stack-name',
          stack,
          '--no-fail-on-empty-changeset',
          ...extra,
        ]);
      } finally {
        lastDeployEnded = Date.now();
      }
    };

    it('deploys a YAML template through a change set', async () => {
      // Act
      const out = await deploy('--parameter-overrides', 'Vis=45');
      const { Stacks } = JSON.parse(
        await aws(cli, ['cloudformation', 'describe-stacks', '--stack-name', stack]),
      );
      // Assess
      expect(out).toContain(`Successfully created/updated stack - ${stack}`);
      expect(Stacks[0]).toMatchObject({
        StackName: stack,
        StackStatus: 'CREATE_COMPLETE',
        Description: "the aws CLI's stack",
        Parameters: expect.arrayContaining([
          { ParameterKey: 'Vis', ParameterValue: '45' },
          { ParameterKey: 'Secret', ParameterValue: '****' },
        ]),
        Outputs: [expect.objectContaining({ OutputKey: 'JobsUrl', ExportName: `${stack}-jobs` })],
      });
    });

    it('finds nothing to deploy the second time', async () => {
      // Act
      const out = await deploy('--parameter-overrides', 'Vis=45');
      // Assess
      expect(out).toContain(`No changes to deploy. Stack ${stack} is up to date`);
    });

    it('updates, and lists the events, resources and exports', async () => {
      // Act
      await deploy('--parameter-overrides', 'Vis=60');
      const { StackEvents } = JSON.parse(
        await aws(cli, ['cloudformation', 'describe-stack-events', '--stack-name', stack]),
      );
      const { StackResources } = JSON.parse(
        await aws(cli, ['cloudformation', 'describe-stack-resources', '--stack-name', stack]),
      );
      const { Exports } = JSON.parse(await aws(cli, ['cloudformation', 'list-exports']));
      // Assess
      expect(StackEvents[0]).toMatchObject({ LogicalResourceId: stack, ResourceStatus: 'UPDATE_COMPLETE' });
      expect(StackResources).toEqual([
        expect.objectContaining({ LogicalResourceId: 'Jobs', ResourceStatus: 'UPDATE_COMPLETE' }),
      ]);
      expect(Exports).toContainEqual(expect.objectContaining({ Name: `${stack}-jobs` }));
    });

    it('validates a template file and creates a stack from a TemplateURL', async () => {
      // Act
      const validated = JSON.parse(
        await aws(cli, [
          'cloudformation',
          'validate-template',
          '--template-body',
          `file://${join(dir, 'stack.yaml')}`,
        ]),
      );
      await aws(cli, [
        'cloudformation',
        'create-stack',
        '--stack-name',
        `${stack}-url`,
        '--template-url',
        `https://cli-templates.s3.amazonaws.com/stack.yaml`,
      ]);
      // Assess
      expect(validated.Parameters.map((p: { ParameterKey: string }) => p.ParameterKey)).toEqual([
        'Vis',
        'Secret',
      ]);
      expect((await stackSettled(cfn, `${stack}-url`)).StackStatus).toBe('CREATE_COMPLETE');
    });

    it('deletes the stacks, which are then missing but listed as deleted', async () => {
      // Act
      await aws(cli, ['cloudformation', 'delete-stack', '--stack-name', stack]);
      await aws(cli, ['cloudformation', 'delete-stack', '--stack-name', `${stack}-url`]);
      await aws(cli, ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', stack]);
      const error = await awsError(cli, ['cloudformation', 'describe-stacks', '--stack-name', stack]);
      const { StackSummaries } = JSON.parse(
        await aws(cli, ['cloudformation', 'list-stacks', '--stack-status-filter', 'DELETE_COMPLETE']),
      );
      // Assess
      expect(error).toContain(
        `(ValidationError) when calling the DescribeStacks operation: Stack with id ${stack} does not exist`,
      );
      expect(StackSummaries.map((s: { StackName: string }) => s.StackName)).toContain(stack);
    });
  },
);
