/**
 * The CloudFormation API's stack actions on a real local cloud, driven by the SDK v3 client as
 * any tool drives CloudFormation: create, describe, update, roll back, delete.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  GetTemplateSummaryCommand,
  ListExportsCommand,
  ListImportsCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingControls } from '../../../testing/cloudformation.ts';
import { clientConfig, useLocalCloud } from '../../../testing/local-cloud.ts';
import type { LocalDeployer } from '../deployer.ts';
import { serveCloudFormation, stackSettled } from './testing.ts';

const cloud = useLocalCloud();
let deployer: LocalDeployer;
let cfn: CloudFormationClient;
let sqs: SQSClient;
let s3: S3Client;

beforeAll(() => {
  deployer = serveCloudFormation(cloud(), new RecordingControls());
  cfn = new CloudFormationClient(clientConfig(cloud()));
  sqs = new SQSClient(clientConfig(cloud()));
  s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
});
afterAll(() => deployer?.close());

/** A queue stack: `Vis` sets the visibility timeout (999999 makes SQS refuse it at deploy time). */
const queueTemplate = (opts: { extra?: boolean; exportName?: string; description?: string } = {}) =>
  JSON.stringify({
    Description: opts.description ?? 'queues',
    Parameters: {
      Vis: { Type: 'Number', Default: 30 },
      Secret: { Type: 'String', NoEcho: true, Default: 'hush' },
    },
    Resources: {
      ...(opts.extra && { Extra: { Type: 'AWS::SQS::Queue' } }),
      Jobs: {
        Type: 'AWS::SQS::Queue',
        Properties: { VisibilityTimeout: { Ref: 'Vis' } },
        ...(opts.extra && { DependsOn: 'Extra' }),
      },
    },
    Outputs: {
      JobsArn: {
        Value: { 'Fn::GetAtt': ['Jobs', 'Arn'] },
        Description: 'the jobs queue',
        ...(opts.exportName && { Export: { Name: opts.exportName } }),
      },
    },
  });

const visibility = async (queueName: string) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
  );
  return Attributes?.VisibilityTimeout;
};

const queueExists = (name: string) =>
  sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
    () => true,
    () => false,
  );

const statuses = async (stackName: string) => {
  const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }));
  return (StackEvents ?? []).map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`).reverse();
};

describe('CreateStack, DescribeStacks, events and resources', () => {
  const name = 'ApiQueues';
  let stackId = '';

  beforeAll(async () => {
    const created = await cfn.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: queueTemplate({ exportName: 'api-jobs-arn' }),
        Parameters: [{ ParameterKey: 'Vis', ParameterValue: '45' }],
        Tags: [{ Key: 'team', Value: 'rydes' }],
        Capabilities: ['CAPABILITY_IAM'],
        ClientRequestToken: 'token-1',
      }),
    );
    stackId = created.StackId ?? '';
  });

  it('answers with the stack id, and the stack ends in CREATE_COMPLETE', async () => {
    // Act
    const stack = await stackSettled(cfn, name);
    // Assess
    expect(stackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:000000000000:stack\/ApiQueues\/[0-9a-f-]{36}$/,
    );
    expect(stack).toMatchObject({
      StackId: stackId,
      StackName: name,
      Description: 'queues',
      StackStatus: 'CREATE_COMPLETE',
      Parameters: [
        { ParameterKey: 'Vis', ParameterValue: '45' },
        { ParameterKey: 'Secret', ParameterValue: '****' },
      ],
      Outputs: [
        {
          OutputKey: 'JobsArn',
          OutputValue: 'arn:aws:sqs:us-east-1:000000000000:ApiQueues-Jobs',
          Description: 'the jobs queue',
          ExportName: 'api-jobs-arn',
        },
      ],
      Tags: [{ Key: 'team', Value: 'rydes' }],
      Capabilities: ['CAPABILITY_IAM'],
      EnableTerminationProtection: false,
      DisableRollback: false,
    });
    expect(stack.CreationTime).toBeInstanceOf(Date);
    expect(await visibility('ApiQueues-Jobs')).toBe('45');
  });

  it('lists one event per transition, newest first, with the request token', async () => {
    // Act
    const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }));
    // Assess
    expect(StackEvents.map((e) => [e.LogicalResourceId, e.ResourceStatus, e.ResourceStatusReason])).toEqual([
      [name, 'CREATE_COMPLETE', undefined],
      ['Jobs', 'CREATE_COMPLETE', undefined],
      ['Jobs', 'CREATE_IN_PROGRESS', undefined],
      [name, 'CREATE_IN_PROGRESS', 'User Initiated'],
    ]);
    expect(StackEvents[0]).toMatchObject({
      ResourceType: 'AWS::CloudFormation::Stack',
      PhysicalResourceId: stackId,
    });
    expect(StackEvents[1]).toMatchObject({
      ResourceType: 'AWS::SQS::Queue',
      PhysicalResourceId: expect.stringContaining('/ApiQueues-Jobs'),
      ClientRequestToken: 'token-1',
    });
    const times = StackEvents.map((e) => e.Timestamp?.getTime() ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('describes its resources three ways', async () => {
    // Act
    const { StackResources } = await cfn.send(new DescribeStackResourcesCommand({ StackName: name }));
    const { StackResourceDetail } = await cfn.send(
      new DescribeStackResourceCommand({ StackName: name, LogicalResourceId: 'Jobs' }),
    );
    const { StackResourceSummaries } = await cfn.send(new ListStackResourcesCommand({ StackName: name }));
    const byPhysicalId = await cfn.send(
      new DescribeStackResourcesCommand({ PhysicalResourceId: StackResources?.[0]?.PhysicalResourceId }),
    );
    // Assess
    const expected = {
      LogicalResourceId: 'Jobs',
      PhysicalResourceId: expect.stringContaining('/ApiQueues-Jobs'),
      ResourceType: 'AWS::SQS::Queue',
      ResourceStatus: 'CREATE_COMPLETE',
    };
    expect(StackResources).toEqual([
      expect.objectContaining({ ...expected, StackName: name, StackId: stackId }),
    ]);
    expect(StackResourceDetail).toMatchObject(expected);
    expect(StackResourceSummaries).toEqual([expect.objectContaining(expected)]);
    expect(byPhysicalId.StackResources?.map((r) => r.LogicalResourceId)).toEqual(['Jobs']);
  });

  it('returns the template as submitted, and summarises and validates templates', async () => {
    // Act
    const { TemplateBody } = await cfn.send(new GetTemplateCommand({ StackName: name }));
    const summary = await cfn.send(new GetTemplateSummaryCommand({ StackName: name }));
    const validated = await cfn.send(new ValidateTemplateCommand({ TemplateBody: queueTemplate() }));
    // Assess
    expect(TemplateBody).toBe(queueTemplate({ exportName: 'api-jobs-arn' }));
    expect(summary).toMatchObject({
      Description: 'queues',
      ResourceTypes: ['AWS::SQS::Queue'],
      Parameters: [
        { ParameterKey: 'Vis', DefaultValue: '30', ParameterType: 'Number', NoEcho: false },
        { ParameterKey: 'Secret', DefaultValue: 'hush', ParameterType: 'String', NoEcho: true },
      ],
    });
    expect(validated.Parameters?.map((p) => p.ParameterKey)).toEqual(['Vis', 'Secret']);
  });

  it('lists its export, and who imports it', async () => {
    // Act
    const { Exports } = await cfn.send(new ListExportsCommand({}));
    const imports = cfn.send(new ListImportsCommand({ ExportName: 'api-jobs-arn' }));
    // Assess
    expect(Exports).toContainEqual({
      ExportingStackId: stackId,
      Name: 'api-jobs-arn',
      Value: 'arn:aws:sqs:us-east-1:000000000000:ApiQueues-Jobs',
    });
    await expect(imports).rejects.toThrow("Export 'api-jobs-arn' is not imported by any stack.");
  });
});

describe('UpdateStack', () => {
  const name = 'ApiUpdates';

  beforeAll(async () => {
    await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: queueTemplate() }));
    await stackSettled(cfn, name);
  });

  it('updates in place, keeping a parameter with UsePreviousValue', async () => {
    // Act
    await cfn.send(
      new UpdateStackCommand({
        StackName: name,
        TemplateBody: queueTemplate({ description: 'queues, updated' }),
        Parameters: [
          { ParameterKey: 'Vis', ParameterValue: '60' },
          { ParameterKey: 'Secret', UsePreviousValue: true },
        ],
      }),
    );
    const stack = await stackSettled(cfn, name);
    // Assess
    expect(stack).toMatchObject({ StackStatus: 'UPDATE_COMPLETE', Description: 'queues, updated' });
    expect(stack.LastUpdatedTime).toBeInstanceOf(Date);
    expect(await visibility('ApiUpdates-Jobs')).toBe('60');
    expect((await statuses(name)).slice(-5)).toEqual([
      `${name} UPDATE_IN_PROGRESS`,
      'Jobs UPDATE_IN_PROGRESS',
      'Jobs UPDATE_COMPLETE',
      `${name} UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`,
      `${name} UPDATE_COMPLETE`,
    ]);
  });

  it('refuses an update that changes nothing, with UsePreviousTemplate', async () => {
    // Act
    const act = cfn.send(
      new UpdateStackCommand({
        StackName: name,
        UsePreviousTemplate: true,
        Parameters: [
          { ParameterKey: 'Vis', UsePreviousValue: true },
          { ParameterKey: 'Secret', UsePreviousValue: true },
        ],
      }),
    );
    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'No updates are to be performed.',
    });
  });

  it('rolls a failed update back to the last good template and resources', async () => {
    // Prepare: the update adds a queue, then fails on the one that depends on it
    const before = await stackSettled(cfn, name);
    // Act
    await cfn.send(
      new UpdateStackCommand({
        StackName: name,
        TemplateBody: queueTemplate({ extra: true, description: 'broken' }),
        Parameters: [{ ParameterKey: 'Vis', ParameterValue: '999999' }],
      }),
    );
    const stack = await stackSettled(cfn, name);
    // Assess
    expect(stack).toMatchObject({
      StackStatus: 'UPDATE_ROLLBACK_COMPLETE',
      StackStatusReason: 'The following resource(s) failed to update: [Jobs].',
      Description: 'queues, updated',
      Outputs: before.Outputs,
    });
    expect(await queueExists('ApiUpdates-Extra')).toBe(false);
    expect(await visibility('ApiUpdates-Jobs')).toBe('60');
    const events = await statuses(name);
    expect(events.slice(events.lastIndexOf(`${name} UPDATE_IN_PROGRESS`))).toEqual([
      `${name} UPDATE_IN_PROGRESS`,
      'Extra CREATE_IN_PROGRESS',
      'Extra CREATE_COMPLETE',
      'Jobs UPDATE_IN_PROGRESS',
      'Jobs UPDATE_FAILED',
      `${name} UPDATE_ROLLBACK_IN_PROGRESS`,
      `${name} UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS`,
      'Extra DELETE_IN_PROGRESS',
      'Extra DELETE_COMPLETE',
      `${name} UPDATE_ROLLBACK_COMPLETE`,
    ]);
    const { TemplateBody } = await cfn.send(new GetTemplateCommand({ StackName: name }));
    expect(TemplateBody).toBe(queueTemplate({ description: 'queues, updated' }));
  });

  it('updates again after a rollback', async () => {
    // Act
    await cfn.send(
      new UpdateStackCommand({
        StackName: name,
        TemplateBody: queueTemplate(),
        Parameters: [{ ParameterKey: 'Vis', ParameterValue: '20' }],
      }),
    );
    // Assess
    expect((await stackSettled(cfn, name)).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await visibility('ApiUpdates-Jobs')).toBe('20');
  });
});

describe('a failed create', () => {
  const name = 'ApiBroken';

  beforeAll(async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: queueTemplate({ extra: true }),
        Parameters: [{ ParameterKey: 'Vis', ParameterValue: '999999' }],
      }),
    );
  });

  it('deletes what it created and ends in ROLLBACK_COMPLETE, naming the resource that failed', async () => {
    // Act
    const stack = await stackSettled(cfn, name);
    // Assess
    expect(stack).toMatchObject({
      StackStatus: 'ROLLBACK_COMPLETE',
      StackStatusReason: 'The following resource(s) failed to create: [Jobs]. Rollback requested by user.',
    });
    expect(await queueExists('ApiBroken-Extra')).toBe(false);
    const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: name }));
    expect(StackEvents.find((e) => e.ResourceStatus === 'CREATE_FAILED')).toMatchObject({
      LogicalResourceId: 'Jobs',
      ResourceStatusReason: expect.stringContaining('VisibilityTimeout'),
    });
    expect((await statuses(name)).slice(-4)).toEqual([
      `${name} ROLLBACK_IN_PROGRESS`,
      'Extra DELETE_IN_PROGRESS',
      'Extra DELETE_COMPLETE',
      `${name} ROLLBACK_COMPLETE`,
    ]);
  });

  it('can then only be deleted', async () => {
    // Act
    const update = cfn.send(new UpdateStackCommand({ StackName: name, TemplateBody: queueTemplate() }));
    const create = cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: queueTemplate() }));
    // Assess
    await expect(update).rejects.toThrow(
      /^Stack:arn:aws:cloudformation:.*\/ApiBroken\/.* is in ROLLBACK_COMPLETE state and can not be updated\.$/,
    );
    await expect(create).rejects.toMatchObject({
      name: 'AlreadyExistsException',
      message: `Stack [${name}] already exists`,
    });
    await cfn.send(new DeleteStackCommand({ StackName: name }));
    await expect(stackSettled(cfn, name)).rejects.toThrow(`Stack with id ${name} does not exist`);
  });
});

describe('DeleteStack', () => {
  const name = 'ApiDeleted';
  let stackId = '';

  beforeAll(async () => {
    ({ StackId: stackId = '' } = await cfn.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: queueTemplate(),
        EnableTerminationProtection: true,
      }),
    ));
    await stackSettled(cfn, name);
  });

  it('refuses while termination protection is on', async () => {
    // Act
    const act = cfn.send(new DeleteStackCommand({ StackName: name }));
    // Assess
    await expect(act).rejects.toThrow(
      `Stack [${name}] cannot be deleted while TerminationProtection is enabled`,
    );
  });

  it('deletes the resources; the stack is gone by name, found by id and listed as DELETE_COMPLETE', async () => {
    // Prepare
    await cfn.send(
      new UpdateTerminationProtectionCommand({ StackName: name, EnableTerminationProtection: false }),
    );
    // Act
    await cfn.send(new DeleteStackCommand({ StackName: name }));
    const byId = await stackSettled(cfn, stackId);
    // Assess
    expect(byId).toMatchObject({ StackStatus: 'DELETE_COMPLETE', StackName: name });
    expect(byId.DeletionTime).toBeInstanceOf(Date);
    await expect(cfn.send(new DescribeStacksCommand({ StackName: name }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: `Stack with id ${name} does not exist`,
    });
    expect(await queueExists('ApiDeleted-Jobs')).toBe(false);
    const { StackSummaries = [] } = await cfn.send(
      new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }),
    );
    expect(StackSummaries.map((s) => s.StackId)).toContain(stackId);
    expect(StackSummaries.every((s) => s.StackStatus === 'DELETE_COMPLETE')).toBe(true);
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({}));
    expect(Stacks.map((s) => s.StackName)).not.toContain(name);
  });

  it('does nothing for a stack that does not exist', async () => {
    // Act / Assess
    await expect(cfn.send(new DeleteStackCommand({ StackName: 'NeverWas' }))).resolves.toBeDefined();
  });
});

describe('templates from TemplateURL and YAML', () => {
  const bucket = 'api-templates';
  const yaml = [
    'Parameters:',
    '  Env: { Type: String, Default: dev, AllowedValues: [dev, prod] }',
    'Conditions:',
    '  IsProd: !Equals [!Ref Env, prod]',
    'Resources:',
    '  Queue:',
    '    Type: AWS::SQS::Queue',
    '    Properties:',
    '      VisibilityTimeout: !If [IsProd, 120, 10]',
    '  ProdOnly:',
    '    Type: AWS::SQS::Queue',
    '    Condition: IsProd',
    'Outputs:',
    '  Name:',
    '    Value: !GetAtt Queue.QueueName',
    '  ProdArn:',
    '    Condition: IsProd',
    '    Value: !GetAtt ProdOnly.Arn',
    '',
  ].join('\n');

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/queue.yaml', Body: yaml }));
  });

  it.each([
    ['the local cloud, path-style', () => `${cloud().endpoint}/${bucket}/dir/queue.yaml`],
    ['S3, path-style', () => `https://s3.us-east-1.amazonaws.com/${bucket}/dir/queue.yaml`],
    ['S3, virtual-hosted', () => `https://${bucket}.s3.amazonaws.com/dir/queue.yaml`],
    ['S3, regional virtual-hosted', () => `https://${bucket}.s3.us-east-1.amazonaws.com/dir/queue.yaml`],
  ])('reads a template object from %s', async (_name, url) => {
    // Act
    const summary = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: url() }));
    // Assess
    expect(summary.ResourceTypes).toEqual(['AWS::SQS::Queue']);
  });

  it('creates a stack from a YAML TemplateURL, conditions and all', async () => {
    // Act
    await cfn.send(
      new CreateStackCommand({
        StackName: 'ApiYaml',
        TemplateURL: `https://${bucket}.s3.amazonaws.com/dir/queue.yaml`,
        Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }],
      }),
    );
    const stack = await stackSettled(cfn, 'ApiYaml');
    // Assess
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.Outputs?.map((o) => [o.OutputKey, o.OutputValue])).toEqual([
      ['Name', 'ApiYaml-Queue'],
      ['ProdArn', 'arn:aws:sqs:us-east-1:000000000000:ApiYaml-ProdOnly'],
    ]);
    expect(await visibility('ApiYaml-Queue')).toBe('120');
    const { TemplateBody } = await cfn.send(new GetTemplateCommand({ StackName: 'ApiYaml' }));
    expect(TemplateBody).toBe(yaml);
  });
});

describe('refusals, as CloudFormation words them', () => {
  const body = queueTemplate();
  it.each([
    [
      'DescribeStacks of a missing stack',
      () => new DescribeStacksCommand({ StackName: 'Missing' }),
      'ValidationError',
      'Stack with id Missing does not exist',
    ],
    [
      'DescribeStackEvents of a missing stack',
      () => new DescribeStackEventsCommand({ StackName: 'Missing' }),
      'ValidationError',
      'Stack [Missing] does not exist',
    ],
    [
      'UpdateStack of a missing stack',
      () => new UpdateStackCommand({ StackName: 'Missing', TemplateBody: body }),
      'ValidationError',
      'Stack [Missing] does not exist',
    ],
    [
      'an unrecognised resource type',
      () =>
        new CreateStackCommand({
          StackName: 'Unknown',
          TemplateBody: JSON.stringify({ Resources: { F: { Type: 'AWS::Foo::Bar' } } }),
        }),
      'ValidationError',
      'Template format error: Unrecognized resource types: [AWS::Foo::Bar]',
    ],
    [
      'a parameter without a value',
      () =>
        new CreateStackCommand({
          StackName: 'NoValue',
          TemplateBody: JSON.stringify({
            Parameters: { X: { Type: 'String' } },
            Resources: { Q: { Type: 'AWS::SQS::Queue' } },
          }),
        }),
      'ValidationError',
      'Parameters: [X] must have values',
    ],
    [
      'IAM without the capability',
      () =>
        new CreateStackCommand({
          StackName: 'Iam',
          TemplateBody: JSON.stringify({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: {} } } }),
        }),
      'InsufficientCapabilitiesException',
      'Requires capabilities : [CAPABILITY_IAM]',
    ],
    [
      'a template that is not JSON',
      () => new CreateStackCommand({ StackName: 'Bad', TemplateBody: '{"Resources": ' }),
      'ValidationError',
      'Template format error: JSON not well-formed. (line 1, column 15)',
    ],
    [
      'a TemplateURL of a missing object',
      () =>
        new CreateStackCommand({
          StackName: 'NoObject',
          TemplateURL: 'https://s3.amazonaws.com/nope/t.json',
        }),
      'ValidationError',
      'TemplateURL must reference a valid S3 object to which you have access.',
    ],
    [
      'no template at all',
      () => new CreateStackCommand({ StackName: 'NoTemplate' }),
      'ValidationError',
      'Either Template URL or Template Body must be specified.',
    ],
    [
      'a bad stack name',
      () => new CreateStackCommand({ StackName: '1bad_name', TemplateBody: body }),
      'ValidationError',
      "1 validation error detected: Value '1bad_name' at 'stackName' failed to satisfy constraint",
    ],
  ])('%s', async (_name, command, errorName, message) => {
    // Act
    const act = cfn.send(command() as CreateStackCommand);
    // Assess
    await expect(act).rejects.toMatchObject({ name: errorName, message: expect.stringContaining(message) });
    await expect(act).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });
});
