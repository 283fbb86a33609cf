/**
 * One deployer behind two doors: stacks the workshop deploys (`deployAssembly`, as `npm start`
 * does) are seen and updated through the CloudFormation API, and stacks created through the API
 * are seen and destroyed by the workshop's own commands.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListExportsCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_APP, RecordingControls, tempDir } from '../../../testing/cloudformation.ts';
import { clientConfig, useLocalCloud } from '../../../testing/local-cloud.ts';
import type { LocalDeployer } from '../deployer.ts';
import { synthesize } from '../synth.ts';
import type { CfnTemplate } from '../template.ts';
import { serveCloudFormation, stackSettled } from './testing.ts';

const cloud = useLocalCloud();
let deployer: LocalDeployer;
let cfn: CloudFormationClient;
let sqs: SQSClient;
let outdir = '';
let cleanup = async () => {};

beforeAll(async () => {
  ({ dir: outdir, cleanup } = await tempDir('doors'));
  await synthesize({ app: FIXTURE_APP, outdir, context: { batchSize: 100 } });
  deployer = serveCloudFormation(cloud(), new RecordingControls());
  cfn = new CloudFormationClient(clientConfig(cloud()));
  sqs = new SQSClient(clientConfig(cloud()));
  await deployer.deployAssembly(outdir);
}, 120_000);
afterAll(async () => {
  await deployer?.close();
  await cleanup();
});

const workVisibility = async () => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'FixtureStreams-WorkBF636A8B' }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
  );
  return Attributes?.VisibilityTimeout;
};

describe('stacks the workshop deployed, through the API', () => {
  it('are listed with their outputs, resources, events and exports', async () => {
    // Act
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({}));
    const { StackResources = [] } = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: 'FixtureStreams' }),
    );
    const { StackEvents = [] } = await cfn.send(
      new DescribeStackEventsCommand({ StackName: 'FixtureStreams' }),
    );
    const { Exports = [] } = await cfn.send(new ListExportsCommand({}));
    // Assess
    expect(Stacks.map((s) => [s.StackName, s.StackStatus])).toEqual([
      ['FixtureStreams', 'CREATE_COMPLETE'],
      ['FixtureConsumers', 'CREATE_COMPLETE'],
    ]);
    const outputs = Object.fromEntries((Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs).toEqual(deployer.outputs('FixtureStreams'));
    expect(StackResources.map((r) => r.LogicalResourceId).sort()).toEqual(
      deployer
        .resources('FixtureStreams')
        .map((r) => r.logicalId)
        .sort(),
    );
    expect(StackEvents[0]).toMatchObject({
      LogicalResourceId: 'FixtureStreams',
      ResourceStatus: 'CREATE_COMPLETE',
    });
    expect(Exports.map((e) => e.Name)).toContain('FixtureAlertsTopic');
    expect(Exports.find((e) => e.Name === 'FixtureAlertsTopic')?.ExportingStackId).toBe(Stacks[0]?.StackId);
  });

  it('are updated through the API, and the workshop sees the update', async () => {
    // Prepare: the deployed template, with the work queue's visibility timeout changed
    const { TemplateBody = '{}' } = await cfn.send(new GetTemplateCommand({ StackName: 'FixtureStreams' }));
    const template = JSON.parse(TemplateBody) as CfnTemplate;
    const work = template.Resources.WorkBF636A8B;
    if (work?.Properties) work.Properties.VisibilityTimeout = 120;
    // Act
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'FixtureStreams',
        TemplateBody: JSON.stringify(template),
        Parameters: [{ ParameterKey: 'BootstrapVersion', UsePreviousValue: true }],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const stack = await stackSettled(cfn, 'FixtureStreams');
    // Assess
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    expect(await workVisibility()).toBe('120');
    expect(deployer.stacks.findLive('FixtureStreams')?.target.template).toEqual(template);
  });

  it("are deployed again by the workshop over the API's update", async () => {
    // Act
    const results = await deployer.deployAssembly(outdir);
    // Assess
    expect(results.map((r) => [r.stackName, r.counts.updated])).toEqual([
      ['FixtureStreams', 1],
      ['FixtureConsumers', 0],
    ]);
    expect(await workVisibility()).toBe('90');
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({}));
    expect(Stacks.map((s) => s.StackStatus)).toEqual(['UPDATE_COMPLETE', 'CREATE_COMPLETE']);
  });

  it('cannot be deleted through the API while another stack imports their exports', async () => {
    // Act
    await cfn.send(new DeleteStackCommand({ StackName: 'FixtureStreams' }));
    const stack = await stackSettled(cfn, 'FixtureStreams');
    // Assess
    expect(stack).toMatchObject({
      StackStatus: 'DELETE_FAILED',
      StackStatusReason: expect.stringMatching(
        /^Export .+ cannot be deleted as it is in use by FixtureConsumers$/,
      ),
    });
    expect(deployer.resources('FixtureStreams').length).toBeGreaterThan(0);
  });
});

describe('a stack created through the API, through the workshop door', () => {
  const template = JSON.stringify({
    Resources: { Q: { Type: 'AWS::SQS::Queue' } },
    Outputs: { Url: { Value: { Ref: 'Q' } } },
  });

  it('is deployed, with its outputs', async () => {
    // Act
    await cfn.send(new CreateStackCommand({ StackName: 'FromApi', TemplateBody: template }));
    await stackSettled(cfn, 'FromApi');
    // Assess
    expect(deployer.deployedStacks()).toContain('FromApi');
    expect(deployer.outputs('FromApi').Url).toContain('/FromApi-Q');
  });

  it('is destroyed, and the API lists it as deleted', async () => {
    // Prepare
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: 'FromApi' }));
    // Act
    const destroyed = await deployer.destroy('FromApi');
    // Assess
    expect(destroyed).toBe(true);
    const stack = await stackSettled(cfn, Stacks[0]?.StackId ?? '');
    expect(stack.StackStatus).toBe('DELETE_COMPLETE');
  });

  it('everything is destroyed by the workshop door, dependents first', async () => {
    // Act
    await deployer.destroy('FixtureConsumers');
    await deployer.destroy('FixtureStreams');
    // Assess
    expect(deployer.deployedStacks()).toEqual([]);
    await expect(cfn.send(new DescribeStacksCommand({}))).resolves.toMatchObject({ Stacks: [] });
  });
});
