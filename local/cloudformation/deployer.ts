/**
 * The local CloudFormation deployer: deploys the templates CDK synthesised to the local cloud,
 * stack by stack in dependency order, and re-deploys by applying only what changed.
 */

import type { SubscriptionData } from '../sns/provider.ts';
import type { EventsControl, LambdaControl } from '../types.ts';
import { readAssembly, selectStacks } from './assembly.ts';
import { type Clients, createClients } from './clients.ts';
import { diffResource, removedResources } from './diff.ts';
import {
  DeployError,
  MissingExportError,
  ResourceOperationError,
  StackInUseError,
  TemplateError,
  type TemplateLocation,
} from './errors.ts';
import { type IntrinsicContext, resolve } from './intrinsics.ts';
import { dependencyOrder } from './order.ts';
import { type PlanInput, planStack, pseudoParameters, type StackPlan, withoutNoValue } from './plan.ts';
import {
  type ChangeCounts,
  DeployProgressEvent,
  displayName,
  type ProgressListener,
  type ResourceAction,
} from './progress.ts';
import { providerFor } from './providers/index.ts';
import type { ProviderContext, ProvisionResult, ResourceRecord, ValidateContext } from './providers/types.ts';
import { type DeployerState, emptyState, loadState, type StackRecord, saveState } from './state.ts';
import type { CfnTemplate } from './template.ts';

export interface LocalDeployerOptions {
  /** The local cloud's gateway URL, e.g. `http://127.0.0.1:4566`. */
  endpoint: string;
  /** The local Lambda service: functions and event source mappings are deployed through it. */
  lambda: LambdaControl;
  /** The local EventBridge: rules are deployed through it. */
  events: EventsControl;
  /** Where to keep the deployed state as JSON across restarts; in memory only when omitted. */
  stateFile?: string;
  /** Called before each change and at the start and end of each stack. */
  onProgress?: ProgressListener;
}

/** One stack's template and where its assets are. */
export interface StackInput {
  stackName: string;
  template: CfnTemplate;
  /** The cloud assembly directory (asset paths in template metadata are relative to it). */
  assemblyDir?: string;
  /** Asset object key → absolute path, from the assembly's asset manifests. */
  assets?: Record<string, string>;
  /** Values for template parameters (defaults apply otherwise). */
  parameters?: Record<string, string>;
}

/** What a stack deploy did. */
export interface StackDeployResult {
  stackName: string;
  counts: ChangeCounts;
  seconds: number;
  outputs: Record<string, string>;
}

/** A deployed resource, as `resources(stack)` lists it. */
export interface DeployedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  ref: string;
  attributes: Record<string, string>;
  /** True for accepted-but-not-enforced types (IAM, alarms, CDK metadata…): nothing was created. */
  recordedOnly: boolean;
}

/** A bucket's notification settings, from the bucket or CDK's `Custom::S3BucketNotifications`. */
export interface BucketNotification {
  bucket: string;
  /** "Send events to EventBridge" is on: S3 events of this bucket go to the default bus. */
  eventBridge: boolean;
  /** The NotificationConfiguration as the template gave it (queue/topic/function configurations are not delivered locally). */
  configuration: unknown;
  stack: string;
  logicalId: string;
}

/** An `email` or `email-json` subscription: what the local outbox delivers to. */
export interface EmailSubscription {
  topicArn: string;
  protocol: 'email' | 'email-json';
  endpoint: string;
  subscriptionArn: string;
  stack: string;
  logicalId: string;
}

const EMAIL_PROTOCOLS = new Set(['email', 'email-json']);

/**
 * Deploys CDK cloud assemblies to the local cloud. Operations run one at a time; state lives in
 * memory (and in `stateFile` when given).
 */
export class LocalDeployer {
  readonly #opts: LocalDeployerOptions;
  readonly #clients: Clients;
  #state: DeployerState = emptyState();
  readonly #loaded: Promise<void>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(opts: LocalDeployerOptions) {
    this.#opts = opts;
    this.#clients = createClients(opts.endpoint);
    const { stateFile } = opts;
    this.#loaded = stateFile
      ? loadState(stateFile).then((state) => {
          this.#state = state;
        })
      : Promise.resolve();
    // Surfaced by ready() and by every operation; not an unhandled rejection in between.
    this.#loaded.catch(() => undefined);
  }

  /** Resolves once the state file (if any) is loaded; the synchronous queries read that state. */
  ready(): Promise<void> {
    return this.#loaded;
  }

  /**
   * Deploys the stacks of a synthesised assembly (all, or `stackNames` and the stacks they depend
   * on), in dependency order. Every stack is checked before anything is created.
   */
  deployAssembly(assemblyDir: string, stackNames?: readonly string[]): Promise<StackDeployResult[]> {
    return this.#serialize(async () => {
      const assembly = await readAssembly(assemblyDir);
      const stacks = selectStacks(assembly, stackNames);
      const inputs = stacks.map((s) => ({
        stackName: s.stackName,
        template: s.template,
        assemblyDir: s.assemblyDir,
        assets: s.assets,
      }));
      const plans = this.#planAll(inputs);
      const results: StackDeployResult[] = [];
      for (const [i, input] of inputs.entries()) {
        const plan = plans[i];
        if (plan) results.push(await this.#deploy(input, plan));
      }
      return results;
    });
  }

  /** Deploys one template (its imports must already be deployed). */
  deployStack(input: StackInput): Promise<StackDeployResult> {
    return this.#serialize(async () => {
      const [plan] = this.#planAll([input]);
      if (!plan) throw new DeployError(`nothing to deploy for stack ${input.stackName}`);
      return this.#deploy(input, plan);
    });
  }

  /**
   * Removes a stack's resources, dependents first (buckets are emptied). Refuses while another
   * deployed stack imports its exports. Returns false when the stack was not deployed.
   */
  destroy(stackName: string): Promise<boolean> {
    return this.#serialize(async () => {
      const record = this.#stack(stackName);
      if (!record) return false;
      const exported = new Set(Object.keys(record.exports));
      const importers = this.#state.stacks
        .filter((s) => s !== record && s.imports.some((name) => exported.has(name)))
        .map((s) => s.stackName);
      if (importers.length > 0) throw new StackInUseError(stackName, importers);
      const started = performance.now();
      this.#emit(new DeployProgressEvent('destroy', stackName, 'start'));
      for (const id of deletionOrder(record, Object.keys(record.resources))) {
        await this.#deleteResource(record, id, 'destroy');
      }
      this.#state.stacks = this.#state.stacks.filter((s) => s !== record);
      await this.#persist();
      const seconds = (performance.now() - started) / 1000;
      this.#emit(
        new DeployProgressEvent('destroy', stackName, 'done', undefined, { counts: zeroCounts(), seconds }),
      );
      return true;
    });
  }

  /** A deployed stack's outputs (output key → value). */
  outputs(stackName: string): Record<string, string> {
    const record = this.#stack(stackName);
    if (!record) throw new DeployError(`stack ${stackName} is not deployed: deploy it first`);
    return { ...record.outputs };
  }

  /** Names of the deployed stacks, dependencies first. */
  deployedStacks(): string[] {
    return this.#state.stacks.map((s) => s.stackName);
  }

  /** Every export of every deployed stack (export name → value). */
  exports(): Record<string, string> {
    return Object.assign({}, ...this.#state.stacks.map((s) => s.exports));
  }

  /** The resources of a deployed stack (empty when it is not deployed). */
  resources(stackName: string): DeployedResource[] {
    const record = this.#stack(stackName);
    return Object.entries(record?.resources ?? {}).map(([logicalId, r]) => ({
      logicalId,
      type: r.type,
      physicalId: r.physicalId,
      ref: r.ref,
      attributes: { ...r.attributes },
      recordedOnly: r.data?.recordedOnly === true,
    }));
  }

  /** Notification settings of deployed buckets (the local EventBridge reads `eventBridge`). */
  bucketNotifications(): BucketNotification[] {
    const found: BucketNotification[] = [];
    for (const stack of this.#state.stacks) {
      for (const [logicalId, r] of Object.entries(stack.resources)) {
        const bucket = r.type === 'AWS::S3::Bucket' ? r.physicalId : r.data?.bucket;
        if (r.type !== 'AWS::S3::Bucket' && r.type !== 'Custom::S3BucketNotifications') continue;
        if (typeof bucket !== 'string') continue;
        found.push({
          bucket,
          eventBridge: r.data?.eventBridge === true,
          configuration: r.data?.notificationConfiguration ?? null,
          stack: stack.stackName,
          logicalId,
        });
      }
    }
    return found;
  }

  /** Buckets whose events go to EventBridge. */
  eventBridgeBuckets(): string[] {
    return [
      ...new Set(
        this.bucketNotifications()
          .filter((n) => n.eventBridge)
          .map((n) => n.bucket),
      ),
    ];
  }

  /** Whether S3 events of `bucket` go to EventBridge (as its deployed configuration says). */
  isEventBridgeEnabled(bucket: string): boolean {
    return this.bucketNotifications().some((n) => n.bucket === bucket && n.eventBridge);
  }

  /** `email` and `email-json` subscriptions of deployed topics, for the local outbox. */
  emailSubscriptions(): EmailSubscription[] {
    const found: EmailSubscription[] = [];
    for (const stack of this.#state.stacks) {
      for (const [logicalId, r] of Object.entries(stack.resources)) {
        const subscriptions: SubscriptionData[] =
          r.type === 'AWS::SNS::Subscription'
            ? [r.data as unknown as SubscriptionData]
            : r.type === 'AWS::SNS::Topic'
              ? ((r.data?.subscriptions ?? []) as SubscriptionData[])
              : [];
        for (const s of subscriptions) {
          if (!s || !EMAIL_PROTOCOLS.has(s.protocol)) continue;
          found.push({
            topicArn: s.topicArn,
            protocol: s.protocol as EmailSubscription['protocol'],
            endpoint: s.endpoint,
            subscriptionArn: s.subscriptionArn,
            stack: stack.stackName,
            logicalId,
          });
        }
      }
    }
    return found;
  }

  /** Closes the SDK clients' connections (after the last operation). */
  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    this.#clients.destroy();
  }

  // ——— internals ———

  #serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = async () => {
      await this.#loaded;
      return work();
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #emit(event: DeployProgressEvent): void {
    try {
      this.#opts.onProgress?.(event);
    } catch {
      // A broken progress printer must not break a deploy.
    }
  }

  #stack(name: string): StackRecord | undefined {
    return this.#state.stacks.find((s) => s.stackName === name);
  }

  /** The value of an export of a deployed stack other than `except`. */
  #exportValue(name: string, except?: string): string | undefined {
    for (const stack of this.#state.stacks) {
      if (stack.stackName !== except && Object.hasOwn(stack.exports, name)) return stack.exports[name];
    }
    return undefined;
  }

  /** Plans every stack before any is deployed: a template that cannot deploy stops the run. */
  #planAll(inputs: StackInput[]): StackPlan[] {
    const upcoming = new Map<string, string>();
    return inputs.map((input) => {
      const planInput: PlanInput = {
        stackName: input.stackName,
        template: input.template,
        parameters: input.parameters,
        exportAvailable: (name) =>
          this.#exportValue(name, input.stackName) !== undefined ||
          (upcoming.has(name) && upcoming.get(name) !== input.stackName),
        assemblyDir: input.assemblyDir ?? process.cwd(),
        assets: input.assets ?? {},
      };
      const plan = planStack(planInput);
      for (const name of plan.exportNames) {
        const owner = this.#state.stacks.find(
          (s) => s.stackName !== input.stackName && Object.hasOwn(s.exports, name),
        );
        if (owner) {
          throw new TemplateError(`export ${name} is already exported by stack ${owner.stackName}`, {
            stack: input.stackName,
          });
        }
        upcoming.set(name, input.stackName);
      }
      this.#checkExportsKept(input.stackName, plan);
      return plan;
    });
  }

  /** An export another stack imports cannot disappear (CloudFormation refuses the same). */
  #checkExportsKept(stackName: string, plan: StackPlan): void {
    const record = this.#stack(stackName);
    if (!record) return;
    for (const name of Object.keys(record.exports)) {
      if (plan.exportNames.includes(name)) continue;
      const importers = this.#state.stacks.filter((s) => s !== record && s.imports.includes(name));
      if (importers.length > 0) {
        throw new DeployError(
          `stack ${stackName} would remove export ${name}, which ${importers.map((s) => s.stackName).join(', ')} import${importers.length === 1 ? 's' : ''}: destroy or update the importing stack first`,
        );
      }
    }
  }

  async #persist(): Promise<void> {
    if (this.#opts.stateFile) await saveState(this.#opts.stateFile, this.#state);
  }

  #resolver(
    stackName: string,
    record: StackRecord,
    plan: StackPlan,
    template: CfnTemplate,
    imports: Set<string>,
  ) {
    const pseudo = pseudoParameters(stackName);
    const deployed = (logicalId: string, at: TemplateLocation): ResourceRecord => {
      const resource = record.resources[logicalId];
      if (!resource || !plan.order.includes(logicalId)) {
        throw new TemplateError(`${logicalId} is referenced but not deployed (is its condition false?)`, at);
      }
      return resource;
    };
    const ctx: IntrinsicContext = {
      ref: (name, at) => {
        if (name in pseudo) return pseudo[name];
        if (name in plan.parameters) return plan.parameters[name];
        return deployed(name, at).ref;
      },
      getAtt: (logicalId, attribute, at) => {
        const resource = deployed(logicalId, at);
        const value = resource.attributes[attribute];
        if (value === undefined) {
          throw new TemplateError(`${resource.type} ${logicalId} has no attribute ${attribute} here`, at);
        }
        return value;
      },
      importValue: (name, at) => {
        const value = this.#exportValue(name, stackName);
        if (value === undefined) throw new MissingExportError(name, at);
        imports.add(name);
        return value;
      },
      condition: (name) => plan.conditions[name] === true,
      mappings: template.Mappings,
    };
    return ctx;
  }

  async #deploy(input: StackInput, plan: StackPlan): Promise<StackDeployResult> {
    const { stackName, template } = input;
    const started = performance.now();
    const assemblyDir = input.assemblyDir ?? process.cwd();
    const assets = input.assets ?? {};
    let record = this.#stack(stackName);
    if (!record) {
      record = {
        stackName,
        resources: {},
        outputs: {},
        exports: {},
        imports: [],
        assemblyDir,
        assets,
        updatedAt: '',
      };
      // Recorded before the first resource, so a failed first deploy can still be destroyed.
      this.#state.stacks.push(record);
    }
    record.assemblyDir = assemblyDir;
    record.assets = assets;
    this.#emit(new DeployProgressEvent('deploy', stackName, 'start'));
    const counts = zeroCounts();
    const replaced = new Set<string>();
    const imports = new Set<string>();
    const ctx = this.#resolver(stackName, record, plan, template, imports);

    for (const id of plan.order) {
      const resource = template.Resources[id];
      const provider = resource && providerFor(resource.Type);
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
      const force = dependsOn.some((d) => replaced.has(d));
      let change = diffResource(previous, { type: resource.Type, properties }, provider.replaceOn, force);
      if (change.action === 'update' && (!provider.update || (force && provider.replaceWithDependencies))) {
        change = { action: 'replace', changed: change.changed };
      }
      if (change.action === 'unchanged' && previous) {
        previous.dependsOn = dependsOn;
        counts.unchanged++;
        continue;
      }
      const action: ResourceAction =
        change.action === 'create' ? 'CREATE' : change.action === 'update' ? 'UPDATE' : 'REPLACE';
      this.#emit(
        new DeployProgressEvent('deploy', stackName, 'resource', {
          action,
          type: resource.Type,
          logicalId: id,
          name: previous ? displayName(previous) : (provider.nameOf?.(resolved, validateCtx) ?? id),
        }),
      );
      const providerCtx: ProviderContext = { ...validateCtx, ...this.#services() };
      let result: ProvisionResult;
      try {
        if (change.action === 'update' && previous && provider.update) {
          result = await provider.update(resolved, previous, change.changed, providerCtx);
          counts.updated++;
        } else {
          if (change.action === 'replace') {
            // Names are deterministic, so the old resource goes first to free its name.
            await this.#deleteResource(record, id, 'deploy', false);
            replaced.add(id);
            counts.replaced++;
          } else {
            counts.created++;
          }
          result = await provider.create(resolved, providerCtx);
        }
      } catch (err) {
        if (err instanceof DeployError) throw err;
        throw new ResourceOperationError(action, resource.Type, at, err);
      }
      record.resources[id] = {
        type: resource.Type,
        physicalId: result.physicalId,
        ref: result.ref,
        attributes: result.attributes ?? {},
        properties,
        dependsOn,
        data: result.data,
      };
      await this.#persist();
    }

    const removed = removedResources(Object.keys(record.resources), new Set(plan.order));
    for (const id of deletionOrder(record, removed)) {
      await this.#deleteResource(record, id, 'deploy');
      counts.deleted++;
    }

    const outputs: Record<string, string> = {};
    const exports: Record<string, string> = {};
    for (const [key, output] of Object.entries(template.Outputs ?? {})) {
      if (output.Condition !== undefined && !plan.conditions[output.Condition]) continue;
      const at = { stack: stackName, logicalId: key, path: 'Outputs' };
      const value = outputText(resolve(output.Value, ctx, at));
      outputs[key] = value;
      if (output.Export) exports[String(resolve(output.Export.Name, ctx, at))] = value;
    }
    record.outputs = outputs;
    record.exports = exports;
    record.imports = [...imports].sort();
    record.updatedAt = new Date().toISOString();
    await this.#persist();
    const seconds = (performance.now() - started) / 1000;
    this.#emit(new DeployProgressEvent('deploy', stackName, 'done', undefined, { counts, seconds }));
    return { stackName, counts, seconds, outputs: { ...outputs } };
  }

  #services() {
    return { clients: this.#clients, lambda: this.#opts.lambda, events: this.#opts.events };
  }

  /** Deletes one recorded resource and forgets it. */
  async #deleteResource(
    record: StackRecord,
    id: string,
    operation: 'deploy' | 'destroy',
    announce = true,
  ): Promise<void> {
    const resource = record.resources[id];
    if (!resource) return;
    const provider = providerFor(resource.type);
    if (announce) {
      this.#emit(
        new DeployProgressEvent(operation, record.stackName, 'resource', {
          action: 'DELETE',
          type: resource.type,
          logicalId: id,
          name: displayName(resource),
        }),
      );
    }
    // A resource adopted by another logical id (same type and physical id) is still in use.
    const stillUsed = this.#state.stacks.some((s) =>
      Object.entries(s.resources).some(
        ([otherId, r]) =>
          r !== resource &&
          !(s === record && otherId === id) &&
          r.type === resource.type &&
          r.physicalId === resource.physicalId,
      ),
    );
    if (provider && !stillUsed) {
      const ctx: ProviderContext = {
        stackName: record.stackName,
        logicalId: id,
        assemblyDir: record.assemblyDir,
        assets: record.assets,
        customResourceProvider: resource.data?.recordedOnly === true,
        at: { stack: record.stackName, logicalId: id },
        ...this.#services(),
      };
      try {
        await provider.delete(resource, ctx);
      } catch (err) {
        if (err instanceof DeployError) throw err;
        throw new ResourceOperationError('DELETE', resource.type, ctx.at, err);
      }
    }
    delete record.resources[id];
    await this.#persist();
  }
}

const zeroCounts = (): ChangeCounts => ({ created: 0, updated: 0, replaced: 0, deleted: 0, unchanged: 0 });

/** Output values are strings; lists are joined with commas, as CloudFormation shows them. */
const outputText = (value: unknown): string =>
  Array.isArray(value)
    ? value.map(String).join(',')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** Dependents first: the reverse of the recorded dependency order among `ids`. */
function deletionOrder(record: StackRecord, ids: string[]): string[] {
  try {
    return dependencyOrder(ids, (id) => record.resources[id]?.dependsOn ?? []).reverse();
  } catch {
    // Recorded dependencies from different deploys can disagree; insertion order is the fallback.
    return [...ids].reverse();
  }
}
