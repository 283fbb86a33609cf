import { describe, expect, it } from 'vitest';
import { recordEvent, recordStackEvent, STACK_RESOURCE_TYPE, type StackEvent } from './events.ts';
import {
  canDelete,
  canUpdate,
  failureReason,
  isCreationFailure,
  isInProgress,
  PHASES,
  rollbackReason,
  STACK_STATUSES,
  type StackStatus,
} from './status.ts';

describe('stack statuses', () => {
  it.each<[StackStatus, { inProgress: boolean; update: boolean; del: boolean; creationFailure: boolean }]>([
    ['REVIEW_IN_PROGRESS', { inProgress: false, update: false, del: true, creationFailure: false }],
    ['CREATE_IN_PROGRESS', { inProgress: true, update: false, del: false, creationFailure: false }],
    ['CREATE_COMPLETE', { inProgress: false, update: true, del: true, creationFailure: false }],
    ['CREATE_FAILED', { inProgress: false, update: false, del: true, creationFailure: true }],
    ['ROLLBACK_COMPLETE', { inProgress: false, update: false, del: true, creationFailure: true }],
    ['ROLLBACK_FAILED', { inProgress: false, update: false, del: true, creationFailure: true }],
    [
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      { inProgress: true, update: false, del: false, creationFailure: false },
    ],
    ['UPDATE_COMPLETE', { inProgress: false, update: true, del: true, creationFailure: false }],
    ['UPDATE_ROLLBACK_COMPLETE', { inProgress: false, update: true, del: true, creationFailure: false }],
    ['UPDATE_ROLLBACK_FAILED', { inProgress: false, update: false, del: true, creationFailure: false }],
    ['DELETE_FAILED', { inProgress: false, update: false, del: true, creationFailure: false }],
    ['DELETE_COMPLETE', { inProgress: false, update: false, del: false, creationFailure: false }],
  ])('%s', (status, expected) => {
    // Act
    const actual = {
      inProgress: isInProgress(status),
      update: canUpdate(status),
      del: canDelete(status),
      creationFailure: isCreationFailure(status),
    };
    // Assess
    expect(actual).toEqual(expected);
  });

  it('lists every status of every phase, and nothing else', () => {
    // Act
    const phases = Object.values(PHASES).flatMap((p) => Object.values(p));
    // Assess
    expect(new Set(STACK_STATUSES)).toEqual(new Set(['REVIEW_IN_PROGRESS', ...phases]));
    expect(STACK_STATUSES.size).toBe(18);
  });
});

describe('rollbackReason', () => {
  it.each([
    [
      'create',
      [{ logicalId: 'Queue', action: 'create' }],
      'The following resource(s) failed to create: [Queue]. Rollback requested by user.',
    ],
    [
      'update',
      [{ logicalId: 'Queue', action: 'update' }],
      'The following resource(s) failed to update: [Queue].',
    ],
    [
      'update',
      [
        { logicalId: 'A', action: 'update' },
        { logicalId: 'B', action: 'create' },
      ],
      'The following resource(s) failed to create: [A, B].',
    ],
    ['create', [], 'Stack creation failed. Rollback requested by user.'],
    ['update', [], 'Stack update failed.'],
  ] as const)('%s with %j', (operation, failed, expected) => {
    // Act / Assess
    expect(rollbackReason(operation, failed)).toBe(expected);
  });

  it('words delete failures as CloudFormation does', () => {
    // Act / Assess
    expect(failureReason('delete', ['Bucket'])).toBe('The following resource(s) failed to delete: [Bucket].');
  });
});

describe('stack events', () => {
  it('orders events with strictly increasing timestamps, even within one millisecond', () => {
    // Prepare
    const log = {
      stackName: 'Demo',
      stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/Demo/1',
      events: [] as StackEvent[],
    };
    // Act
    for (let i = 0; i < 20; i++) recordStackEvent(log, 'CREATE_IN_PROGRESS');
    // Assess
    const times = log.events.map((e) => Date.parse(e.timestamp));
    expect(times.every((t, i) => i === 0 || t > (times[i - 1] ?? 0))).toBe(true);
  });

  it('gives resource events CloudFormation-style ids and the stack its own events', () => {
    // Prepare
    const log = {
      stackName: 'Demo',
      stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/Demo/1',
      events: [] as StackEvent[],
    };
    // Act
    const stack = recordStackEvent(log, 'CREATE_IN_PROGRESS', 'User Initiated');
    const resource = recordEvent(log, {
      logicalId: 'Queue',
      physicalId: '',
      resourceType: 'AWS::SQS::Queue',
      status: 'CREATE_IN_PROGRESS',
    });
    // Assess
    expect(stack).toMatchObject({
      logicalId: 'Demo',
      physicalId: log.stackId,
      resourceType: STACK_RESOURCE_TYPE,
      reason: 'User Initiated',
    });
    expect(stack.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(resource.eventId).toBe(`Queue-CREATE_IN_PROGRESS-${resource.timestamp}`);
    expect(resource).not.toHaveProperty('reason');
  });
});
