/**
 * What the CloudFormation API asks of the deployer. Each request is checked at once — refusals
 * are thrown with CloudFormation's wording — and its stack shows the new status at once; the work
 * itself is queued behind the running operations and the caller polls, as with CloudFormation.
 */
import {
  changesOf,
  type FoundChangeSet,
  findChangeSet,
  newChangeSet,
  stackSettingsChanged,
} from './change-sets.ts';
import { DeployError } from './errors.ts';
import type { StackOperations } from './operations.ts';
import { prepareTarget, type StackRequest } from './prepare.ts';
import {
  AlreadyExistsError,
  InvalidChangeSetStatusError,
  NoUpdatesError,
  notUpdatable,
  StackRequestError,
} from './request-errors.ts';
import type { StackStore } from './stack-store.ts';
import { emptyTarget, newStackRecord, type StackRecord } from './state.ts';
import { canUpdate, isInProgress, PHASES, USER_INITIATED } from './status.ts';

/** What a request may carry besides the stack request. */
export interface RequestOptions {
  /** `ClientRequestToken`: shown on the events the request causes. */
  token?: string;
}

/** A change set to create. */
export interface ChangeSetRequest extends StackRequest {
  changeSetName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  description?: string;
}

const NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;

/** AWS's wording for a stack or change set name that breaks its pattern. */
function checkName(member: 'stackName' | 'changeSetName', value: string): void {
  if (NAME_PATTERN.test(value) && value.length <= 128) return;
  throw new StackRequestError(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
  );
}

/** Accepts stack requests and queues their work. */
export class StackRequests {
  readonly #store: StackStore;
  readonly #operations: StackOperations;
  /** The last queued operation of each stack (settled, never rejected). */
  readonly #pending = new Map<string, Promise<void>>();

  constructor(store: StackStore, operations: StackOperations) {
    this.#store = store;
    this.#operations = operations;
  }

  /** `CreateStack`: a new stack in `CREATE_IN_PROGRESS`. */
  async createStack(request: StackRequest, opts: RequestOptions = {}): Promise<StackRecord> {
    checkName('stackName', request.stackName);
    if (this.#store.findLive(request.stackName)) {
      throw new AlreadyExistsError(`Stack [${request.stackName}] already exists`);
    }
    const target = prepareTarget(request, undefined, this.#operations.providerOf);
    const record = newStackRecord(request.stackName, PHASES.create.start, target);
    this.#operations.checkExports(record, this.#operations.plan(record, target));
    this.#store.add(record);
    this.#operations.setStatus(record, PHASES.create.start, USER_INITIATED, opts.token);
    await this.#store.persist();
    this.#queue(record, () =>
      this.#operations.create(record, target, undefined, { token: opts.token, started: true }),
    );
    return record;
  }

  /** `UpdateStack`: refuses an update that changes nothing (`No updates are to be performed.`). */
  async updateStack(request: StackRequest, opts: RequestOptions = {}): Promise<StackRecord> {
    const record = this.#updatable(request.stackName);
    const target = prepareTarget(request, record, this.#operations.providerOf);
    const plan = this.#operations.plan(record, target);
    this.#operations.checkExports(record, plan);
    if (
      changesOf(this.#store, record, target, plan, this.#operations.providerOf).length === 0 &&
      !stackSettingsChanged(record.target, target)
    ) {
      throw new NoUpdatesError();
    }
    record.updatedAt = new Date().toISOString();
    this.#operations.setStatus(record, PHASES.update.start, USER_INITIATED, opts.token);
    await this.#store.persist();
    this.#queue(record, () =>
      this.#operations.update(record, target, undefined, { token: opts.token, started: true }),
    );
    return record;
  }

  /** `DeleteStack`: nothing happens for a stack that does not exist (as CloudFormation). */
  async deleteStack(stack: string, opts: RequestOptions = {}): Promise<StackRecord | undefined> {
    const record = this.#store.findLive(stack);
    if (!record || record.status === 'DELETE_IN_PROGRESS') return record;
    if (record.target.settings.terminationProtection) {
      throw new StackRequestError(
        `Stack [${record.stackName}] cannot be deleted while TerminationProtection is enabled`,
      );
    }
    // A running operation finishes first; the delete shows its status when it starts.
    const running = isInProgress(record.status);
    if (!running) {
      this.#operations.setStatus(record, PHASES.delete.start, USER_INITIATED, opts.token);
      await this.#store.persist();
    }
    this.#queue(record, () => this.#operations.delete(record, { token: opts.token, started: !running }));
    return record;
  }

  /** `UpdateTerminationProtection`. */
  async setTerminationProtection(stack: string, enabled: boolean): Promise<StackRecord> {
    const record = this.#live(stack);
    record.target.settings.terminationProtection = enabled;
    await this.#store.persist();
    return record;
  }

  /**
   * `CreateChangeSet`: a `CREATE` change set makes the stack exist in `REVIEW_IN_PROGRESS`. The
   * changes are computed at once: the change set is `CREATE_COMPLETE`, or `FAILED` when nothing
   * changes (CloudFormation's "didn't contain changes" reason) or the template cannot deploy.
   */
  async createChangeSet(request: ChangeSetRequest, opts: RequestOptions = {}): Promise<FoundChangeSet> {
    const { stackName, changeSetName, changeSetType } = request;
    checkName('stackName', stackName);
    checkName('changeSetName', changeSetName);
    const existing = this.#store.findLive(stackName);
    const reviewing = existing?.status === 'REVIEW_IN_PROGRESS';
    if (changeSetType === 'CREATE' && existing && !reviewing) {
      throw new StackRequestError(
        `Stack [${stackName}] already exists and cannot be created again with the changeSet [${changeSetName}].`,
      );
    }
    if (changeSetType === 'UPDATE') {
      if (!existing || reviewing) throw new StackRequestError(`Stack [${stackName}] does not exist`);
      if (!canUpdate(existing.status)) throw notUpdatable(existing.stackId, existing.status);
    }
    if (existing?.changeSets.some((cs) => cs.changeSetName === changeSetName)) {
      throw new AlreadyExistsError(`ChangeSet ${changeSetName} already exists`);
    }
    const target = prepareTarget(
      request,
      changeSetType === 'UPDATE' ? existing : undefined,
      this.#operations.providerOf,
    );
    let stack = existing;
    if (!stack) {
      stack = newStackRecord(stackName, 'REVIEW_IN_PROGRESS', emptyTarget(target.assemblyDir));
      this.#store.add(stack);
      this.#operations.setStatus(stack, 'REVIEW_IN_PROGRESS', USER_INITIATED, opts.token);
    }
    let changes: ReturnType<typeof changesOf> | Error;
    try {
      const plan = this.#operations.plan(stack, target);
      this.#operations.checkExports(stack, plan);
      changes = changesOf(this.#store, stack, target, plan, this.#operations.providerOf);
    } catch (err) {
      if (!(err instanceof DeployError)) throw err;
      changes = err;
    }
    const changeSet = newChangeSet({
      name: changeSetName,
      type: changeSetType,
      description: request.description,
      target,
      current: changeSetType === 'UPDATE' ? stack.target : undefined,
      changes,
    });
    stack.changeSets.push(changeSet);
    await this.#store.persist();
    return { stack, changeSet };
  }

  /** `DescribeChangeSet`: by ARN, or by name within `stack`. */
  findChangeSet(changeSet: string, stack?: string): FoundChangeSet {
    return findChangeSet(this.#store, changeSet, stack);
  }

  /** `ExecuteChangeSet`: the stack's other change sets go; the create or update is queued. */
  async executeChangeSet(
    changeSetName: string,
    stack: string | undefined,
    opts: RequestOptions & { disableRollback?: boolean } = {},
  ): Promise<StackRecord> {
    const { stack: record, changeSet } = findChangeSet(this.#store, changeSetName, stack);
    if (changeSet.executionStatus !== 'AVAILABLE') {
      throw new InvalidChangeSetStatusError(
        `ChangeSet [${changeSet.changeSetId}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
      );
    }
    if (isInProgress(record.status)) throw notUpdatable(record.stackId, record.status);
    const target = {
      ...changeSet.target,
      settings: { ...changeSet.target.settings, disableRollback: opts.disableRollback ?? false },
    };
    const creating = changeSet.type === 'CREATE';
    changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
    record.changeSets = [changeSet];
    record.lastChangeSetId = changeSet.changeSetId;
    if (!creating) record.updatedAt = new Date().toISOString();
    this.#operations.setStatus(
      record,
      creating ? PHASES.create.start : PHASES.update.start,
      USER_INITIATED,
      opts.token,
    );
    await this.#store.persist();
    const run = { token: opts.token, started: true };
    this.#queue(record, async () => {
      try {
        await (creating
          ? this.#operations.create(record, target, undefined, run)
          : this.#operations.update(record, target, undefined, run));
        changeSet.executionStatus = 'EXECUTE_COMPLETE';
      } catch (err) {
        changeSet.executionStatus = 'EXECUTE_FAILED';
        throw err;
      } finally {
        await this.#store.persist();
      }
    });
    return record;
  }

  /** `DeleteChangeSet`: a name that does not exist on an existing stack is not an error (the CDK CLI relies on it). */
  async deleteChangeSet(changeSetName: string, stack?: string): Promise<void> {
    let found: FoundChangeSet;
    try {
      found = findChangeSet(this.#store, changeSetName, stack);
    } catch (err) {
      if (changeSetName.startsWith('arn:')) throw err;
      if (stack && !this.#store.findLive(stack))
        throw new StackRequestError(`Stack [${stack}] does not exist`);
      return;
    }
    if (found.changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw new InvalidChangeSetStatusError('Cannot delete ChangeSet in status EXECUTE_IN_PROGRESS');
    }
    found.stack.changeSets = found.stack.changeSets.filter((cs) => cs !== found.changeSet);
    await this.#store.persist();
  }

  #live(stack: string): StackRecord {
    const record = this.#store.findLive(stack);
    if (!record) throw new StackRequestError(`Stack [${stack}] does not exist`);
    return record;
  }

  #updatable(stack: string): StackRecord {
    const record = this.#live(stack);
    if (record.status === 'REVIEW_IN_PROGRESS')
      throw new StackRequestError(`Stack [${stack}] does not exist`);
    if (!canUpdate(record.status)) throw notUpdatable(record.stackId, record.status);
    return record;
  }

  /**
   * Resolves when the operations queued for `record` have finished, or after `timeoutMs`,
   * whichever comes first. The API answers after a short wait so that quick operations are done
   * by the first poll (the `aws` CLI's deploy waiter polls every 30 seconds).
   */
  async settled(record: StackRecord, timeoutMs: number): Promise<void> {
    const pending = this.#pending.get(record.stackId);
    if (!pending || timeoutMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([pending, timeout]);
    clearTimeout(timer);
  }

  /** Runs `work` for `record` in turn; its failure is already in the stack's status and events. */
  #queue(record: StackRecord, work: () => Promise<unknown>): void {
    const done = this.#store.serialize(work).then(
      () => undefined,
      (err) => {
        if (!(err instanceof DeployError))
          console.error(`[local cloudformation] ${(err as Error).stack ?? String(err)}`);
      },
    );
    this.#pending.set(record.stackId, done);
    void done.then(() => {
      if (this.#pending.get(record.stackId) === done) this.#pending.delete(record.stackId);
    });
  }
}
