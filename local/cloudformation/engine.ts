/**
 * The apply engine: creates, updates, replaces and deletes the resources of one stack through
 * their providers, records each transition as a stack event and a progress line, and resolves
 * the outputs. The stack's status (and rollback) is the caller's: see operations.ts.
 */
import type { EventsControl, LambdaControl } from '../types.ts';
import type { Clients } from './clients.ts';
import { diffResource } from './diff.ts';
import { DeployError, ResourceOperationError } from './errors.ts';
import { recordEvent } from './events.ts';
import { type IntrinsicContext, resolve } from './intrinsics.ts';
import { dependencyOrder } from './order.ts';
import { type StackPlan, withoutNoValue } from './plan.ts';
import { type ChangeCounts, DeployProgressEvent, displayName, type ResourceAction } from './progress.ts';
import type { ProviderLookup } from './providers/index.ts';
import type { ProviderContext, ProvisionResult, ValidateContext } from './providers/types.ts';
import { deployedResolver, resolveOutputs } from './resolver.ts';
import type { StackStore } from './stack-store.ts';
import type { StackRecord, StackTarget } from './state.ts';
import type { ResourceStatus } from './status.ts';

/** The services providers create resources in. */
export interface EngineServices {
  clients: Clients;
  lambda: LambdaControl;
  events: EventsControl;
}

/** What the engine needs around it. */
export interface EngineOptions {
  store: StackStore;
  services: EngineServices;
  /** Progress lines for the CLI; must not throw. */
  emit: (event: DeployProgressEvent) => void;
  /** The resource providers. */
  providerOf: ProviderLookup;
}

/** How an apply runs. */
export interface ApplyOptions {
  /** Called once, before the first resource changes (a no-change deploy never calls it). */
  onFirstChange?: () => void;
  clientRequestToken?: string;
}

/** Why resources are deleted: it decides retention and the progress wording. */
export type RemovalKind =
  /** Dropped from the template by a successful update. */
  | 'cleanup'
  /** Created by an operation that is being rolled back. */
  | 'rollback'
  /** The stack is being deleted. */
  | 'delete';

const REPLACING = 'Requested update requires the creation of a new physical resource; hence creating one.';

export const zeroCounts = (): ChangeCounts => ({
  created: 0,
  updated: 0,
  replaced: 0,
  deleted: 0,
  unchanged: 0,
});

/** The first line of an error's message: what a stack event's reason shows. */
export const reasonOf = (err: unknown): string => {
  const cause = err instanceof ResourceOperationError ? err.cause : err;
  return ((cause as { message?: string })?.message ?? String(cause)).split('\n')[0] ?? '';
};

/** Creates, updates and deletes resources of stacks, one resource at a time. */
export class ResourceEngine {
  readonly #opts: EngineOptions;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
  }

  /**
   * Brings the resources of `record` to what `plan` wants, in dependency order: creates the new,
   * updates or replaces the changed, leaves the rest. Resources the plan drops are left for
   * `remove`. Returns the counts and the exports the template imports.
   * @throws ResourceOperationError naming the resource that failed (it is recorded as failed)
   */
  async apply(
    record: StackRecord,
    target: StackTarget,
    plan: StackPlan,
    opts: ApplyOptions = {},
  ): Promise<{ counts: ChangeCounts; imports: Set<string> }> {
    const { stackName } = record;
    const { template, assemblyDir, assets } = target;
    record.assemblyDir = assemblyDir;
    record.assets = assets;
    const counts = zeroCounts();
    const replaced = new Set<string>();
    const imports = new Set<string>();
    const ctx = this.resolver(record, target, plan, imports);
    let started = false;

    for (const id of plan.order) {
      const resource = template.Resources[id];
      const provider = resource && this.#opts.providerOf(resource.Type);
      if (!resource || !provider) continue;
      const at = { stack: stackName, logicalId: id };
      const validateCtx: ValidateContext = {
        stackName,
        logicalId: id,
        resource,
        assemblyDir,
        assets,
        customResourceProvider: plan.customResourceProviders.has(id),
        at,
      };
      const resolved = withoutNoValue(resolve(resource.Properties ?? {}, ctx, { ...at, path: 'Properties' }));
      const properties = { ...resolved, ...provider.localProperties?.(resolved, validateCtx) };
      const previous = record.resources[id];
      const dependsOn = plan.dependencies[id] ?? [];
      const policies = {
        deletionPolicy: resource.DeletionPolicy,
        updateReplacePolicy: resource.UpdateReplacePolicy,
      };
      const force = dependsOn.some((d) => replaced.has(d));
      let change = diffResource(previous, { type: resource.Type, properties }, provider.replaceOn, force);
      if (change.action === 'update' && (!provider.update || (force && provider.replaceWithDependencies))) {
        change = { action: 'replace', changed: change.changed };
      }
      if (change.action === 'unchanged' && previous) {
        Object.assign(previous, { dependsOn }, policies);
        counts.unchanged++;
        continue;
      }
      if (!started) {
        started = true;
        opts.onFirstChange?.();
      }
      const action: ResourceAction =
        change.action === 'create' ? 'CREATE' : change.action === 'update' ? 'UPDATE' : 'REPLACE';
      this.#opts.emit(
        new DeployProgressEvent('deploy', stackName, 'resource', {
          action,
          type: resource.Type,
          logicalId: id,
          name: previous ? displayName(previous) : (provider.nameOf?.(resolved, validateCtx) ?? id),
        }),
      );
      const creating = change.action === 'create';
      const event = (status: ResourceStatus, reason?: string, physicalId = previous?.physicalId ?? '') =>
        recordEvent(record, {
          logicalId: id,
          physicalId,
          resourceType: resource.Type,
          status,
          reason,
          properties: JSON.stringify(resolved),
          clientRequestToken: opts.clientRequestToken,
        });
      event(
        creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS',
        change.action === 'replace' ? REPLACING : undefined,
      );
      const providerCtx: ProviderContext = { ...validateCtx, ...this.#opts.services };
      let result: ProvisionResult;
      try {
        if (change.action === 'update' && previous && provider.update) {
          result = await provider.update(resolved, previous, change.changed, providerCtx);
          counts.updated++;
        } else {
          if (change.action === 'replace') {
            // Names are deterministic, so the old resource goes first to free its name.
            await this.#deleteOne(record, id, 'deploy', {
              announce: false,
              retain: previous?.updateReplacePolicy === 'Retain',
            });
            replaced.add(id);
            counts.replaced++;
          } else {
            counts.created++;
          }
          result = await provider.create(resolved, providerCtx);
        }
      } catch (err) {
        const failure =
          err instanceof DeployError ? err : new ResourceOperationError(action, resource.Type, at, err);
        event(creating ? 'CREATE_FAILED' : 'UPDATE_FAILED', reasonOf(failure));
        throw failure;
      }
      const status: ResourceStatus = creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
      record.resources[id] = {
        type: resource.Type,
        physicalId: result.physicalId,
        ref: result.ref,
        attributes: result.attributes ?? {},
        properties,
        dependsOn,
        data: result.data,
        status,
        updatedAt: new Date().toISOString(),
        ...policies,
      };
      event(status, undefined, result.physicalId);
      await this.#opts.store.persist();
    }
    return { counts, imports };
  }

  /**
   * Deletes `ids` of `record`, dependents first; `Retain` policies keep the resource
   * (`DELETE_SKIPPED`). A failure is recorded (`DELETE_FAILED`, the resource stays) and the rest
   * are still deleted; the failures are returned.
   */
  async remove(
    record: StackRecord,
    ids: string[],
    kind: RemovalKind,
    operation: 'deploy' | 'destroy',
    clientRequestToken?: string,
  ): Promise<{ removed: number; failures: DeployError[] }> {
    let removed = 0;
    const failures: DeployError[] = [];
    for (const id of deletionOrder(record, ids)) {
      const policy = record.resources[id]?.deletionPolicy;
      const retain = policy === 'Retain' || (policy === 'RetainExceptOnCreate' && kind !== 'rollback');
      try {
        await this.#deleteOne(record, id, operation, {
          announce: true,
          retain,
          clientRequestToken,
          events: true,
        });
        removed++;
      } catch (err) {
        failures.push(err instanceof DeployError ? err : new DeployError(String(err)));
      }
    }
    return { removed, failures };
  }

  /** Resolves the template's outputs into `record` (outputs, details, exports, imports). */
  resolveOutputs(record: StackRecord, target: StackTarget, plan: StackPlan, imports: Set<string>): void {
    Object.assign(
      record,
      resolveOutputs(this.resolver(record, target, plan, imports), record.stackName, target, plan),
    );
    record.imports = [...imports].sort();
  }

  /** Values for the intrinsics of `target`'s template, from the deployed resources of `record`. */
  resolver(
    record: StackRecord,
    target: StackTarget,
    plan: StackPlan,
    imports: Set<string>,
  ): IntrinsicContext {
    return deployedResolver({
      record,
      target,
      plan,
      exportValue: (name) => this.#opts.store.exportValue(name, record.stackName),
      imports,
    });
  }

  /** Deletes one recorded resource (unless retained or shared) and forgets it. */
  async #deleteOne(
    record: StackRecord,
    id: string,
    operation: 'deploy' | 'destroy',
    opts: { announce: boolean; retain: boolean; events?: boolean; clientRequestToken?: string },
  ): Promise<void> {
    const resource = record.resources[id];
    if (!resource) return;
    const provider = this.#opts.providerOf(resource.type);
    if (opts.announce) {
      this.#opts.emit(
        new DeployProgressEvent(operation, record.stackName, 'resource', {
          action: 'DELETE',
          type: resource.type,
          logicalId: id,
          name: displayName(resource),
        }),
      );
    }
    const event = (status: ResourceStatus, reason?: string) => {
      if (!opts.events) return;
      recordEvent(record, {
        logicalId: id,
        physicalId: resource.physicalId,
        resourceType: resource.type,
        status,
        reason,
        clientRequestToken: opts.clientRequestToken,
      });
    };
    if (opts.retain) {
      event('DELETE_SKIPPED');
    } else {
      event('DELETE_IN_PROGRESS');
      // A resource adopted by another logical id (same type and physical id) is still in use.
      if (provider && !this.#opts.store.isShared(record, id)) {
        const ctx: ProviderContext = {
          stackName: record.stackName,
          logicalId: id,
          assemblyDir: record.assemblyDir,
          assets: record.assets,
          customResourceProvider: resource.data?.recordedOnly === true,
          at: { stack: record.stackName, logicalId: id },
          ...this.#opts.services,
        };
        try {
          await provider.delete(resource, ctx);
        } catch (err) {
          const failure =
            err instanceof DeployError
              ? err
              : new ResourceOperationError('DELETE', resource.type, ctx.at, err);
          resource.status = 'DELETE_FAILED';
          resource.statusReason = reasonOf(failure);
          event('DELETE_FAILED', reasonOf(failure));
          throw failure;
        }
      }
      event('DELETE_COMPLETE');
    }
    delete record.resources[id];
    await this.#opts.store.persist();
  }
}

/** Dependents first: the reverse of the recorded dependency order among `ids`. */
export function deletionOrder(record: StackRecord, ids: string[]): string[] {
  try {
    return dependencyOrder(ids, (id) => record.resources[id]?.dependsOn ?? []).reverse();
  } catch {
    // Recorded dependencies from different deploys can disagree; insertion order is the fallback.
    return [...ids].reverse();
  }
}
