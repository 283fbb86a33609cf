/**
 * Refusals of a stack request, worded as CloudFormation words them; `code` and `httpStatus` are
 * what its API answers with (tools such as the CDK CLI match on some of these messages).
 */
import { DeployError } from './errors.ts';

/** Base class: CloudFormation's `ValidationError` (400) unless a subclass says otherwise. */
export class StackRequestError extends DeployError {
  readonly code: string = 'ValidationError';
  readonly httpStatus: number = 400;
  constructor(message: string) {
    super(message);
    this.name = 'StackRequestError';
  }
}

/** No stack of that name (or id). */
export class StackNotFoundError extends StackRequestError {
  constructor(readonly stackNameOrId: string) {
    super(`Stack with id ${stackNameOrId} does not exist`);
    this.name = 'StackNotFoundError';
  }
}

/** An update that would change nothing. */
export class NoUpdatesError extends StackRequestError {
  constructor() {
    super('No updates are to be performed.');
    this.name = 'NoUpdatesError';
  }
}

/** A stack (or change set) of that name exists already. */
export class AlreadyExistsError extends StackRequestError {
  override readonly code = 'AlreadyExistsException';
  constructor(message: string) {
    super(message);
    this.name = 'AlreadyExistsError';
  }
}

/** No change set of that name (or id). */
export class ChangeSetNotFoundError extends StackRequestError {
  override readonly code = 'ChangeSetNotFound';
  override readonly httpStatus = 404;
  constructor(changeSet: string) {
    super(`ChangeSet [${changeSet}] does not exist`);
    this.name = 'ChangeSetNotFoundError';
  }
}

/** A change set that cannot be executed (failed, executed, or its stack is busy). */
export class InvalidChangeSetStatusError extends StackRequestError {
  override readonly code = 'InvalidChangeSetStatus';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChangeSetStatusError';
  }
}

/** IAM resources without the `CAPABILITY_IAM` (or `CAPABILITY_NAMED_IAM`) acknowledgement. */
export class InsufficientCapabilitiesError extends StackRequestError {
  override readonly code = 'InsufficientCapabilitiesException';
  constructor(readonly required: string) {
    super(`Requires capabilities : [${required}]`);
    this.name = 'InsufficientCapabilitiesError';
  }
}

/** A stack whose status does not allow the operation (`… is in ROLLBACK_COMPLETE state and can not be updated.`). */
export const notUpdatable = (stackId: string, status: string): StackRequestError =>
  new StackRequestError(`Stack:${stackId} is in ${status} state and can not be updated.`);
