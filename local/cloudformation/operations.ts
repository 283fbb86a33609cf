/**
 * Stack operations with CloudFormation's lifecycle around the apply engine: statuses and stack
 * events for create, update and delete; a failed create deletes what it created
 * (`ROLLBACK_COMPLETE`), a failed update returns to the last good template and resources
 * (`UPDATE_ROLLBACK_COMPLETE`). Both doors — the CloudFormation API and the workshop's own
 * deploys — run their stacks through here.
 */
import { stackSettingsChanged } from './change-sets.ts';
import { type ResourceEngine, reasonOf } from './engine.ts';
import { DeployError, ResourceOperationError, StackInUseError, TemplateError } from './errors.ts';
import { recordStackEvent } from './events.ts';
import { planStack, type StackPlan } from './plan.ts';
import { type ChangeCounts, DeployProgressEvent } from './progress.ts';
import type { ProviderLookup } from './providers/index.ts';
import type { StackStore } from './stack-store.ts';
import type { StackRecord, StackTarget } from './state.ts';
import { failureReason, PHASES, rollbackReason, type StackStatus, USER_INITIATED } from './status.ts';

/** What a stack deploy did. */
export interface StackDeployResult {
  stackName: string;
  counts: ChangeCounts;
  seconds: number;
  outputs: Record<string, string>;
}

/** What the operations need around them. */
export interface OperationsOptions {
  store: StackStore;
  engine: ResourceEngine;
  /** Progress lines for the CLI; must not throw. */
  emit: (event: DeployProgressEvent) => void;
  /** The resource providers. */
  providerOf: ProviderLookup;
}

/** How an operation runs. */
export interface RunOptions {
  /** The API call's `ClientRequestToken`, shown on the events it causes. */
  token?: string;
  /** The start status was set when the request was accepted. */
  started?: boolean;
  /** Export names other stacks of the same run will provide (a deploy of several stacks). */
  upcoming?: (exportName: string) => boolean;
}

/** The resource a failure names, as `rollbackReason` takes it. */
const failedResources = (err: unknown): { logicalId: string; action: 'create' | 'update' | 'delete' }[] =>
  err instanceof ResourceOperationError && err.at.logicalId
    ? [
        {
          logicalId: err.at.logicalId,
          action: err.action === 'CREATE' ? 'create' : err.action === 'DELETE' ? 'delete' : 'update',
        },
      ]
    : [];

const elapsed = (started: number) => (performance.now() - started) / 1000;

/** Runs stack operations; callers serialize them (see `StackStore.serialize`). */
export class StackOperations {
  readonly #opts: OperationsOptions;

  constructor(opts: OperationsOptions) {
    this.#opts = opts;
  }

  /** The resource providers stacks are deployed with. */
  get providerOf(): ProviderLookup {
    return this.#opts.providerOf;
  }

  /**
   * Sets a stack's status and records the stack event. With `quiet`, the reason stays on the
   * stack but not on the event (a finished rollback still says why it ran).
   */
  setStatus(record: StackRecord, status: StackStatus, reason?: string, token?: string, quiet = false): void {
    record.status = status;
    record.statusReason = reason;
    recordStackEvent(record, status, quiet ? undefined : reason, token);
  }

  /** Plans `target` for `record` against the exports of the live stacks (and `upcoming` ones). */
  plan(
    record: Pick<StackRecord, 'stackName' | 'stackId'>,
    target: StackTarget,
    upcoming?: (name: string) => boolean,
  ): StackPlan {
    const { store } = this.#opts;
    return planStack({
      stackName: record.stackName,
      stackId: record.stackId,
      template: target.template,
      parameters: target.parameters,
      resolvedParameters: target.resolvedParameters,
      exportAvailable: (name) =>
        store.exportValue(name, record.stackName) !== undefined || upcoming?.(name) === true,
      assemblyDir: target.assemblyDir,
      assets: target.assets,
      providerOf: this.#opts.providerOf,
    });
  }

  /**
   * Refuses exports another stack has (or, `upcoming`, will have in the same run) and the removal
   * of exports other stacks import (CloudFormation refuses both).
   * @throws TemplateError or DeployError naming the export and the other stack
   */
  checkExports(record: StackRecord, plan: StackPlan, upcoming?: ReadonlyMap<string, string>): void {
    const { store } = this.#opts;
    for (const name of plan.exportNames) {
      const owner = store.exporterOf(name, record.stackName)?.stackName ?? upcoming?.get(name);
      if (owner !== undefined && owner !== record.stackName) {
        throw new TemplateError(`export ${name} is already exported by stack ${owner}`, {
          stack: record.stackName,
        });
      }
    }
    for (const name of Object.keys(record.exports)) {
      if (plan.exportNames.includes(name)) continue;
      const importers = store.importersOf(record, name).map((s) => s.stackName);
      if (importers.length > 0) {
        throw new DeployError(
          `stack ${record.stackName} would remove export ${name}, which ${importers.join(', ')} import${importers.length === 1 ? 's' : ''}: destroy or update the importing stack first`,
        );
      }
    }
  }

  /**
   * Creates the resources of a new stack (`CREATE_IN_PROGRESS` → `CREATE_COMPLETE`). On failure it
   * rolls back (`ROLLBACK_COMPLETE`), or stops in `CREATE_FAILED` when rollback is disabled, and
   * rethrows.
   */
  async create(
    record: StackRecord,
    target: StackTarget,
    plan?: StackPlan,
    opts: RunOptions = {},
  ): Promise<StackDeployResult> {
    const started = performance.now();
    if (!opts.started) this.setStatus(record, PHASES.create.start, USER_INITIATED, opts.token);
    this.#opts.emit(new DeployProgressEvent('deploy', record.stackName, 'start'));
    const { engine, store } = this.#opts;
    try {
      const planned = plan ?? this.plan(record, target, opts.upcoming);
      const { counts, imports } = await engine.apply(record, target, planned, {
        clientRequestToken: opts.token,
      });
      engine.resolveOutputs(record, target, planned, imports);
      record.target = target;
      this.setStatus(record, PHASES.create.done, undefined, opts.token);
      await store.persist();
      return this.#done(record, counts, started);
    } catch (err) {
      await this.#rollBackCreate(record, target, err, opts.token);
      throw err;
    }
  }

  /**
   * Brings a deployed stack to `target` (`UPDATE_IN_PROGRESS` → cleanup → `UPDATE_COMPLETE`). With
   * `lazy`, nothing is recorded unless something changes (the workshop's re-deploys). On failure
   * it returns to the last good target (`UPDATE_ROLLBACK_COMPLETE`) and rethrows.
   */
  async update(
    record: StackRecord,
    target: StackTarget,
    plan?: StackPlan,
    opts: RunOptions & { lazy?: boolean } = {},
  ): Promise<StackDeployResult> {
    const startedAt = performance.now();
    const { engine, store } = this.#opts;
    const previous = record.target;
    let started = opts.started === true;
    const start = () => {
      if (started) return;
      started = true;
      record.updatedAt = new Date().toISOString();
      this.setStatus(record, PHASES.update.start, USER_INITIATED, opts.token);
    };
    if (!opts.lazy) start();
    this.#opts.emit(new DeployProgressEvent('deploy', record.stackName, 'start'));
    try {
      const planned = plan ?? this.plan(record, target, opts.upcoming);
      const { counts, imports } = await engine.apply(record, target, planned, {
        onFirstChange: start,
        clientRequestToken: opts.token,
      });
      const wanted = new Set(planned.order);
      const removed = Object.keys(record.resources).filter((id) => !wanted.has(id));
      if (removed.length > 0 || stackSettingsChanged(previous, target)) start();
      if (started) {
        this.setStatus(record, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', undefined, opts.token);
        // Cleanup failures leave the resource behind (`DELETE_FAILED`); the update still completes.
        counts.deleted = (await engine.remove(record, removed, 'cleanup', 'deploy', opts.token)).removed;
      }
      engine.resolveOutputs(record, target, planned, imports);
      record.target = target;
      if (started) this.setStatus(record, PHASES.update.done, undefined, opts.token);
      await store.persist();
      return this.#done(record, counts, startedAt);
    } catch (err) {
      start();
      await this.#rollBackUpdate(record, previous, target, err, opts.token);
      throw err;
    }
  }

  /**
   * Deletes a stack's resources, dependents first (`DELETE_IN_PROGRESS` → `DELETE_COMPLETE`), and
   * retires the stack. While another stack imports its exports it stops in `DELETE_FAILED`.
   */
  async delete(record: StackRecord, opts: RunOptions = {}): Promise<void> {
    const started = performance.now();
    const { engine, store } = this.#opts;
    if (!opts.started) this.setStatus(record, PHASES.delete.start, USER_INITIATED, opts.token);
    this.#opts.emit(new DeployProgressEvent('destroy', record.stackName, 'start'));
    const inUse = Object.keys(record.exports).flatMap((name) =>
      store.importersOf(record, name).map((importer) => ({ name, importer: importer.stackName })),
    );
    const [first] = inUse;
    if (first) {
      this.setStatus(
        record,
        PHASES.delete.failed,
        `Export ${first.name} cannot be deleted as it is in use by ${first.importer}`,
        opts.token,
      );
      await store.persist();
      throw new StackInUseError(record.stackName, [...new Set(inUse.map((u) => u.importer))]);
    }
    const { removed, failures } = await engine.remove(
      record,
      Object.keys(record.resources),
      'delete',
      'destroy',
      opts.token,
    );
    if (failures.length > 0) {
      const ids = failures.flatMap(failedResources).map((f) => f.logicalId);
      this.setStatus(record, PHASES.delete.failed, failureReason('delete', ids), opts.token);
      await store.persist();
      throw failures[0];
    }
    this.setStatus(record, PHASES.delete.done, undefined, opts.token);
    record.deletedAt = new Date().toISOString();
    store.retire(record);
    await store.persist();
    this.#opts.emit(
      new DeployProgressEvent('destroy', record.stackName, 'done', undefined, {
        counts: { created: 0, updated: 0, replaced: 0, deleted: removed, unchanged: 0 },
        seconds: elapsed(started),
      }),
    );
  }

  #done(record: StackRecord, counts: ChangeCounts, started: number): StackDeployResult {
    const seconds = elapsed(started);
    this.#opts.emit(
      new DeployProgressEvent('deploy', record.stackName, 'done', undefined, { counts, seconds }),
    );
    return { stackName: record.stackName, counts, seconds, outputs: { ...record.outputs } };
  }

  async #rollBackCreate(
    record: StackRecord,
    target: StackTarget,
    err: unknown,
    token?: string,
  ): Promise<void> {
    const { engine, store } = this.#opts;
    const reason =
      failedResources(err).length > 0 ? rollbackReason('create', failedResources(err)) : reasonOf(err);
    if (target.settings.disableRollback) {
      this.setStatus(record, PHASES.create.failed, reason, token);
    } else {
      this.setStatus(record, 'ROLLBACK_IN_PROGRESS', reason, token);
      const { failures } = await engine.remove(
        record,
        Object.keys(record.resources),
        'rollback',
        'deploy',
        token,
      );
      if (failures.length > 0) this.setStatus(record, 'ROLLBACK_FAILED', reasonOf(failures[0]), token);
      else this.setStatus(record, 'ROLLBACK_COMPLETE', reason, token, true);
    }
    // GetTemplate shows what was attempted.
    record.target = target;
    await store.persist();
  }

  async #rollBackUpdate(
    record: StackRecord,
    previous: StackTarget,
    target: StackTarget,
    err: unknown,
    token?: string,
  ): Promise<void> {
    const { engine, store } = this.#opts;
    const reason =
      failedResources(err).length > 0 ? rollbackReason('update', failedResources(err)) : reasonOf(err);
    if (target.settings.disableRollback || !previous.templateBody) {
      // Without the last good template (a state file older than kept templates): nothing to return to.
      this.setStatus(record, PHASES.update.failed, reason, token);
      await store.persist();
      return;
    }
    this.setStatus(record, 'UPDATE_ROLLBACK_IN_PROGRESS', reason, token);
    try {
      const plan = this.plan(record, previous);
      const { imports } = await engine.apply(record, previous, plan, { clientRequestToken: token });
      this.setStatus(record, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', undefined, token);
      const wanted = new Set(plan.order);
      const created = Object.keys(record.resources).filter((id) => !wanted.has(id));
      await engine.remove(record, created, 'rollback', 'deploy', token);
      engine.resolveOutputs(record, previous, plan, imports);
      this.setStatus(record, 'UPDATE_ROLLBACK_COMPLETE', reason, token, true);
    } catch (rollbackErr) {
      this.setStatus(record, 'UPDATE_ROLLBACK_FAILED', reasonOf(rollbackErr), token);
    }
    await store.persist();
  }
}
