/**
 * Change sets through the SDK v3 client, the way `cdk deploy` and `aws cloudformation deploy` use
 * them: a CREATE change set makes a stack under review, describing one lists its changes,
 * executing it deploys, one that changes nothing fails with CloudFormation's exact reason.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingControls } from '../../../testing/cloudformation.ts';
import { clientConfig, useLocalCloud } from '../../../testing/local-cloud.ts';
import { NO_CHANGES_REASON } from '../change-sets.ts';
import type { LocalDeployer } from '../deployer.ts';
import { serveCloudFormation, stackSettled } from './testing.ts';

const cloud = useLocalCloud();
let deployer: LocalDeployer;
let cfn: CloudFormationClient;

beforeAll(() => {
  deployer = serveCloudFormation(cloud(), new RecordingControls());
  cfn = new CloudFormationClient(clientConfig(cloud()));
});
afterAll(() => deployer?.close());

const template = (resources: Record<string, unknown>) =>
  JSON.stringify({
    Resources: resources,
    Outputs: { First: { Value: { Ref: Object.keys(resources)[0] } } },
  });
const queue = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::SQS::Queue',
  Properties: properties,
});
const changes = async (stackName: string, changeSetName: string) => {
  const described = await cfn.send(
    new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }),
  );
  return (described.Changes ?? []).map((c) => c.ResourceChange);
};

describe('a CREATE change set', () => {
  const stackName = 'CsCreated';
  let changeSetId = '';
  let stackId = '';

  beforeAll(async () => {
    ({ Id: changeSetId = '', StackId: stackId = '' } = await cfn.send(
      new CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: 'first',
        ChangeSetType: 'CREATE',
        TemplateBody: template({ A: queue(), B: queue({ VisibilityTimeout: 20 }) }),
        Description: 'the first one',
      }),
    ));
  });

  it('makes the stack exist under review, and lists the resources it adds', async () => {
    // Act
    const stack = await stackSettled(cfn, stackName);
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
    // Assess
    expect(changeSetId).toMatch(
      /^arn:aws:cloudformation:us-east-1:000000000000:changeSet\/first\/[0-9a-f-]{36}$/,
    );
    expect(stack).toMatchObject({ StackId: stackId, StackStatus: 'REVIEW_IN_PROGRESS' });
    expect(described).toMatchObject({
      ChangeSetName: 'first',
      StackName: stackName,
      StackId: stackId,
      Description: 'the first one',
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
    });
    expect(described.Changes).toEqual([
      {
        Type: 'Resource',
        ResourceChange: { Action: 'Add', LogicalResourceId: 'A', ResourceType: 'AWS::SQS::Queue' },
      },
      {
        Type: 'Resource',
        ResourceChange: { Action: 'Add', LogicalResourceId: 'B', ResourceType: 'AWS::SQS::Queue' },
      },
    ]);
    const { Summaries } = await cfn.send(new ListChangeSetsCommand({ StackName: stackName }));
    expect(Summaries?.map((s) => [s.ChangeSetName, s.Status, s.ExecutionStatus])).toEqual([
      ['first', 'CREATE_COMPLETE', 'AVAILABLE'],
    ]);
  });

  it('creates the stack when executed', async () => {
    // Act
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId }));
    const stack = await stackSettled(cfn, stackName);
    // Assess
    expect(stack).toMatchObject({ StackStatus: 'CREATE_COMPLETE', ChangeSetId: changeSetId });
    expect(stack.Outputs?.[0]?.OutputValue).toContain('/CsCreated-A');
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
    expect(described.ExecutionStatus).toBe('EXECUTE_COMPLETE');
  });

  it('cannot be executed twice', async () => {
    // Act
    const act = cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId }));
    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'InvalidChangeSetStatusException',
      message: `ChangeSet [${changeSetId}] cannot be executed in its current execution status of [EXECUTE_COMPLETE]`,
    });
  });
});

describe('an UPDATE change set', () => {
  const stackName = 'CsUpdated';

  beforeAll(async () => {
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: 'create',
        ChangeSetType: 'CREATE',
        TemplateBody: template({
          Keep: queue({ VisibilityTimeout: 10 }),
          Rename: queue({ QueueName: 'cs-old' }),
          Drop: queue(),
        }),
      }),
    );
    await cfn.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: 'create' }));
    await stackSettled(cfn, stackName);
  });

  it('lists what it modifies, replaces, adds and removes', async () => {
    // Act
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: 'update',
        TemplateBody: template({
          Keep: queue({ VisibilityTimeout: 20 }),
          Rename: queue({ QueueName: 'cs-new' }),
          Added: queue(),
        }),
      }),
    );
    // Assess
    expect(await changes(stackName, 'update')).toEqual([
      {
        Action: 'Modify',
        LogicalResourceId: 'Keep',
        PhysicalResourceId: expect.stringContaining('/CsUpdated-Keep'),
        ResourceType: 'AWS::SQS::Queue',
        Replacement: 'False',
        Scope: ['Properties'],
        Details: [
          {
            Target: { Attribute: 'Properties', Name: 'VisibilityTimeout', RequiresRecreation: 'Never' },
            Evaluation: 'Static',
            ChangeSource: 'DirectModification',
          },
        ],
      },
      expect.objectContaining({
        Action: 'Modify',
        LogicalResourceId: 'Rename',
        Replacement: 'True',
        PolicyAction: 'ReplaceAndDelete',
      }),
      { Action: 'Add', LogicalResourceId: 'Added', ResourceType: 'AWS::SQS::Queue' },
      expect.objectContaining({ Action: 'Remove', LogicalResourceId: 'Drop', PolicyAction: 'Delete' }),
    ]);
  });

  it('applies them when executed, and the stack keeps only that change set', async () => {
    // Prepare
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: 'other',
        TemplateBody: template({ Keep: queue({ VisibilityTimeout: 99 }) }),
      }),
    );
    // Act
    await cfn.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: 'update' }));
    const stack = await stackSettled(cfn, stackName);
    // Assess
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    const { Summaries } = await cfn.send(new ListChangeSetsCommand({ StackName: stackName }));
    expect(Summaries?.map((s) => [s.ChangeSetName, s.ExecutionStatus])).toEqual([
      ['update', 'EXECUTE_COMPLETE'],
    ]);
    const resources = deployer.resources(stackName).map((r) => [r.logicalId, r.physicalId.split('/').at(-1)]);
    expect(resources.sort()).toEqual([
      ['Added', 'CsUpdated-Added'],
      ['Keep', 'CsUpdated-Keep'],
      ['Rename', 'cs-new'],
    ]);
  });

  it("fails with CloudFormation's reason when nothing changes, and cannot be executed", async () => {
    // Prepare
    const { TemplateBody } = await cfn.send(new GetTemplateCommand({ StackName: stackName }));
    // Act
    await cfn.send(new CreateChangeSetCommand({ StackName: stackName, ChangeSetName: 'same', TemplateBody }));
    const described = await cfn.send(
      new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: 'same' }),
    );
    const execute = cfn.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: 'same' }));
    // Assess
    expect(described).toMatchObject({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason: NO_CHANGES_REASON,
      Changes: [],
    });
    expect(NO_CHANGES_REASON).toBe(
      "The submitted information didn't contain changes. Submit different information to create a change set.",
    );
    await expect(execute).rejects.toMatchObject({ name: 'InvalidChangeSetStatusException' });
  });

  it('is gone once deleted; deleting a name that does not exist is not an error', async () => {
    // Act
    await cfn.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: 'same' }));
    const describe = cfn.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: 'same' }));
    const again = cfn.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: 'same' }));
    // Assess
    await expect(describe).rejects.toMatchObject({
      name: 'ChangeSetNotFoundException',
      message: 'ChangeSet [same] does not exist',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(again).resolves.toBeDefined();
  });
});

describe('refusals', () => {
  beforeAll(async () => {
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'CsExisting',
        ChangeSetName: 'create',
        ChangeSetType: 'CREATE',
        TemplateBody: template({ A: queue() }),
      }),
    );
  });

  it.each([
    [
      'an UPDATE change set of a missing stack',
      { StackName: 'CsMissing', ChangeSetName: 'x', ChangeSetType: 'UPDATE' as const },
      'ValidationError',
      'Stack [CsMissing] does not exist',
    ],
    [
      'an UPDATE change set of a stack under review',
      { StackName: 'CsExisting', ChangeSetName: 'x', ChangeSetType: 'UPDATE' as const },
      'ValidationError',
      'Stack [CsExisting] does not exist',
    ],
    [
      'a second change set of the same name',
      { StackName: 'CsExisting', ChangeSetName: 'create', ChangeSetType: 'CREATE' as const },
      'AlreadyExistsException',
      'ChangeSet create already exists',
    ],
  ])('%s', async (_name, input, errorName, message) => {
    // Act
    const act = cfn.send(new CreateChangeSetCommand({ ...input, TemplateBody: template({ A: queue() }) }));
    // Assess
    await expect(act).rejects.toMatchObject({ name: errorName, message });
  });

  it('refuses a CREATE change set for a stack that exists', async () => {
    // Prepare
    await cfn.send(new ExecuteChangeSetCommand({ StackName: 'CsExisting', ChangeSetName: 'create' }));
    await stackSettled(cfn, 'CsExisting');
    // Act
    const act = cfn.send(
      new CreateChangeSetCommand({
        StackName: 'CsExisting',
        ChangeSetName: 'again',
        ChangeSetType: 'CREATE',
        TemplateBody: template({ A: queue() }),
      }),
    );
    // Assess
    await expect(act).rejects.toThrow(
      'Stack [CsExisting] already exists and cannot be created again with the changeSet [again].',
    );
  });
});

describe('a stack under review that is deleted (as `cdk diff` does)', () => {
  it('goes straight to DELETE_COMPLETE', async () => {
    // Prepare
    const { StackId } = await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'CsDiff',
        ChangeSetName: 'diff',
        ChangeSetType: 'CREATE',
        TemplateBody: template({ A: queue() }),
      }),
    );
    // Act
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'diff', StackName: 'CsDiff' }));
    await cfn.send(new DeleteStackCommand({ StackName: 'CsDiff' }));
    const stack = await stackSettled(cfn, StackId ?? '');
    // Assess
    expect(stack.StackStatus).toBe('DELETE_COMPLETE');
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'CsDiff' }))).rejects.toThrow(
      'Stack with id CsDiff does not exist',
    );
    const { StackSummaries = [] } = await cfn.send(
      new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }),
    );
    expect(StackSummaries.map((s) => s.StackName)).toContain('CsDiff');
  });
});
