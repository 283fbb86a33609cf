/**
 * The stack lifecycle through the workshop's own door (`deployStack`, `destroy`): statuses and
 * events as CloudFormation records them, rollback of failed creates and updates, retained
 * resources, and the state file keeping all of it.
 */
import { join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingControls, tempDir } from '../../testing/cloudformation.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { LocalDeployer } from './deployer.ts';
import { ResourceOperationError } from './errors.ts';
import type { CfnTemplate } from './template.ts';

const cloud = useLocalCloud();
let deployer: LocalDeployer;
let sqs: SQSClient;
let stateFile = '';
let cleanup = async () => {};

beforeAll(async () => {
  ({ dir: stateFile, cleanup } = await tempDir('lifecycle'));
  stateFile = join(stateFile, 'state.json');
  deployer = new LocalDeployer({ endpoint: cloud().endpoint, ...controls(), stateFile });
  sqs = new SQSClient(clientConfig(cloud()));
});
afterAll(async () => {
  await deployer?.close();
  await cleanup();
});

function controls() {
  const recording = new RecordingControls();
  return { lambda: recording, events: recording };
}

/** Two queues; `Jobs` waits for `Extra` when there is one. A visibility of 999999 makes SQS refuse `Jobs`. */
const queues = (visibility: number, extra = false): CfnTemplate => ({
  Resources: {
    ...(extra && { Extra: { Type: 'AWS::SQS::Queue' } }),
    Jobs: {
      Type: 'AWS::SQS::Queue',
      Properties: { VisibilityTimeout: visibility },
      ...(extra && { DependsOn: 'Extra' }),
    },
  },
  Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
});

const exists = (queueName: string) =>
  sqs.send(new GetQueueUrlCommand({ QueueName: queueName })).then(
    () => true,
    () => false,
  );

const transitions = (stackName: string, since = 0) =>
  (deployer.stacks.find(stackName)?.events ?? []).slice(since).map((e) => `${e.logicalId} ${e.status}`);

describe('a failed first deploy', () => {
  let firstId = '';

  it('deletes what it created and leaves the stack in ROLLBACK_COMPLETE', async () => {
    // Act
    const act = deployer.deployStack({ stackName: 'Fails', template: queues(999999, true) });
    // Assess
    await expect(act).rejects.toThrow(ResourceOperationError);
    await expect(act).rejects.toThrow(/^CREATE AWS::SQS::Queue failed for resource Jobs of stack Fails: /);
    const record = deployer.stacks.findLive('Fails');
    firstId = record?.stackId ?? '';
    expect(record).toMatchObject({
      status: 'ROLLBACK_COMPLETE',
      statusReason: 'The following resource(s) failed to create: [Jobs]. Rollback requested by user.',
      resources: {},
    });
    expect(await exists('Fails-Extra')).toBe(false);
    expect(transitions('Fails')).toEqual([
      'Fails CREATE_IN_PROGRESS',
      'Extra CREATE_IN_PROGRESS',
      'Extra CREATE_COMPLETE',
      'Jobs CREATE_IN_PROGRESS',
      'Jobs CREATE_FAILED',
      'Fails ROLLBACK_IN_PROGRESS',
      'Extra DELETE_IN_PROGRESS',
      'Extra DELETE_COMPLETE',
      'Fails ROLLBACK_COMPLETE',
    ]);
  });

  it('is deleted and created again by the next deploy, as `cdk deploy` does', async () => {
    // Act
    const result = await deployer.deployStack({ stackName: 'Fails', template: queues(30) });
    // Assess
    expect(result.counts.created).toBe(1);
    const record = deployer.stacks.findLive('Fails');
    expect(record?.status).toBe('CREATE_COMPLETE');
    expect(record?.stackId).not.toBe(firstId);
    expect(deployer.stacks.find(firstId)?.status).toBe('DELETE_COMPLETE');
  });
});

describe('a failed update', () => {
  beforeAll(async () => {
    await deployer.deployStack({ stackName: 'Updates', template: queues(30) });
  });

  it('returns to the last good template and resources (UPDATE_ROLLBACK_COMPLETE)', async () => {
    // Prepare
    const before = deployer.outputs('Updates');
    const mark = deployer.stacks.findLive('Updates')?.events.length ?? 0;
    // Act
    const act = deployer.deployStack({ stackName: 'Updates', template: queues(999999, true) });
    // Assess
    await expect(act).rejects.toThrow(ResourceOperationError);
    expect(deployer.stacks.findLive('Updates')?.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(deployer.outputs('Updates')).toEqual(before);
    expect(await exists('Updates-Extra')).toBe(false);
    expect(transitions('Updates', mark)).toEqual([
      'Updates UPDATE_IN_PROGRESS',
      'Extra CREATE_IN_PROGRESS',
      'Extra CREATE_COMPLETE',
      'Jobs UPDATE_IN_PROGRESS',
      'Jobs UPDATE_FAILED',
      'Updates UPDATE_ROLLBACK_IN_PROGRESS',
      'Updates UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'Extra DELETE_IN_PROGRESS',
      'Extra DELETE_COMPLETE',
      'Updates UPDATE_ROLLBACK_COMPLETE',
    ]);
  });

  it('records nothing for a deploy that changes nothing', async () => {
    // Prepare
    const mark = deployer.stacks.findLive('Updates')?.events.length ?? 0;
    // Act
    const result = await deployer.deployStack({ stackName: 'Updates', template: queues(30) });
    // Assess
    expect(result.counts).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 1 });
    expect(transitions('Updates', mark)).toEqual([]);
    expect(deployer.stacks.findLive('Updates')?.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  });

  it('is followed by a good update', async () => {
    // Act
    await deployer.deployStack({ stackName: 'Updates', template: queues(40) });
    // Assess
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'Updates-Jobs' }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('40');
    expect(deployer.stacks.findLive('Updates')?.status).toBe('UPDATE_COMPLETE');
  });
});

describe('DeletionPolicy Retain', () => {
  it('keeps the resource when its stack is destroyed', async () => {
    // Prepare
    const s3 = new S3Client({ ...clientConfig(cloud()), forcePathStyle: true });
    const template: CfnTemplate = {
      Resources: {
        Kept: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: 'lifecycle-kept' },
          DeletionPolicy: 'Retain',
        },
        Gone: { Type: 'AWS::SQS::Queue' },
      },
    };
    await deployer.deployStack({ stackName: 'Retains', template });
    const { stackId = '' } = deployer.stacks.findLive('Retains') ?? {};
    // Act
    await deployer.destroy('Retains');
    // Assess
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'lifecycle-kept' }))).resolves.toBeDefined();
    expect(await exists('Retains-Gone')).toBe(false);
    expect(transitions(stackId).slice(-5)).toEqual([
      'Retains DELETE_IN_PROGRESS',
      'Gone DELETE_IN_PROGRESS',
      'Gone DELETE_COMPLETE',
      'Kept DELETE_SKIPPED',
      'Retains DELETE_COMPLETE',
    ]);
  });
});

describe('the state file', () => {
  it('keeps statuses, stack ids, events and deleted stacks across deployer instances', async () => {
    // Prepare
    await deployer.ready();
    const live = deployer.stacks.live().map((s) => [s.stackName, s.stackId, s.status, s.events.length]);
    const deleted = deployer.stacks.deleted().map((s) => s.stackId);
    // Act
    const again = new LocalDeployer({ endpoint: cloud().endpoint, ...controls(), stateFile });
    await again.ready();
    // Assess
    expect(again.stacks.live().map((s) => [s.stackName, s.stackId, s.status, s.events.length])).toEqual(live);
    expect(again.stacks.deleted().map((s) => s.stackId)).toEqual(deleted);
    await again.close();
  });
});
