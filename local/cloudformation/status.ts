/**
 * The stack status machine, as CloudFormation runs it: which status each phase of a create,
 * update or delete shows, and which operations a status allows. Pure.
 */

/** A stack's status, as `DescribeStacks` shows it. */
export type StackStatus =
  | 'REVIEW_IN_PROGRESS'
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_COMPLETE'
  | 'ROLLBACK_FAILED'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_FAILED'
  | 'UPDATE_ROLLBACK_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED';

/** A resource's status, as stack events and `DescribeStackResources` show it. */
export type ResourceStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED'
  | 'DELETE_SKIPPED';

/** What is done to a stack. */
export type StackOperation = 'create' | 'update' | 'delete';

/** The statuses an operation goes through: started, cleaning up, done, and its failure paths. */
export interface OperationPhases {
  start: StackStatus;
  /** Removing replaced and dropped resources after a successful update. */
  cleanup?: StackStatus;
  done: StackStatus;
  /** Failed, with rollback disabled (or a delete that failed). */
  failed: StackStatus;
  rollingBack?: StackStatus;
  rollbackCleanup?: StackStatus;
  rolledBack?: StackStatus;
  rollbackFailed?: StackStatus;
}

/** Each operation's phases. */
export const PHASES: Readonly<Record<StackOperation, OperationPhases>> = {
  create: {
    start: 'CREATE_IN_PROGRESS',
    done: 'CREATE_COMPLETE',
    failed: 'CREATE_FAILED',
    rollingBack: 'ROLLBACK_IN_PROGRESS',
    rolledBack: 'ROLLBACK_COMPLETE',
    rollbackFailed: 'ROLLBACK_FAILED',
  },
  update: {
    start: 'UPDATE_IN_PROGRESS',
    cleanup: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    done: 'UPDATE_COMPLETE',
    failed: 'UPDATE_FAILED',
    rollingBack: 'UPDATE_ROLLBACK_IN_PROGRESS',
    rollbackCleanup: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
    rolledBack: 'UPDATE_ROLLBACK_COMPLETE',
    rollbackFailed: 'UPDATE_ROLLBACK_FAILED',
  },
  delete: { start: 'DELETE_IN_PROGRESS', done: 'DELETE_COMPLETE', failed: 'DELETE_FAILED' },
};

/** Every stack status (for validating `StackStatusFilter`). */
export const STACK_STATUSES: ReadonlySet<string> = new Set<StackStatus>([
  'REVIEW_IN_PROGRESS',
  ...Object.values(PHASES).flatMap((p) =>
    [
      p.start,
      p.cleanup,
      p.done,
      p.failed,
      p.rollingBack,
      p.rollbackCleanup,
      p.rolledBack,
      p.rollbackFailed,
    ].filter((s): s is StackStatus => s !== undefined),
  ),
]);

/** An operation is running: another cannot start (the local cloud queues the workshop's own). */
export const isInProgress = (status: StackStatus): boolean =>
  status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';

/** The stack never got created: it can only be deleted (`cdk deploy` deletes and re-creates it). */
export const isCreationFailure = (status: StackStatus): boolean =>
  status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED' || status === 'CREATE_FAILED';

/** Statuses from which `UpdateStack` (or an `UPDATE` change set) may start. */
const UPDATABLE: ReadonlySet<StackStatus> = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_FAILED',
]);

/** Whether a stack in `status` may be updated. */
export const canUpdate = (status: StackStatus): boolean => UPDATABLE.has(status);

/** Whether a stack in `status` may be deleted now (a running operation must finish first). */
export const canDelete = (status: StackStatus): boolean =>
  !isInProgress(status) && status !== 'DELETE_COMPLETE';

/** The stack event reason that starts an operation the caller asked for. */
export const USER_INITIATED = 'User Initiated';

/** AWS's wording for resources that failed (`The following resource(s) failed to create: [Queue].`). */
export const failureReason = (verb: 'create' | 'update' | 'delete', logicalIds: readonly string[]): string =>
  `The following resource(s) failed to ${verb}: [${logicalIds.join(', ')}].`;

/** The reason a rollback starts, naming the resources that failed (AWS's wording). */
export function rollbackReason(
  operation: 'create' | 'update',
  failed: readonly { logicalId: string; action: 'create' | 'update' | 'delete' }[],
): string {
  const [first] = failed;
  if (!first) {
    return operation === 'create'
      ? 'Stack creation failed. Rollback requested by user.'
      : 'Stack update failed.';
  }
  const verb = failed.some((f) => f.action === 'create') ? 'create' : first.action;
  const list = failureReason(
    verb,
    failed.map((f) => f.logicalId),
  );
  return operation === 'create' ? `${list} Rollback requested by user.` : list;
}
