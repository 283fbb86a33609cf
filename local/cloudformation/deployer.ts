/**
 * The local CloudFormation deployer: one set of stacks behind two doors — the workshop's own
 * deploys (`deployAssembly`, `destroy`) and the CloudFormation API (`requests`, `stacks`). Stack
 * operations run one at a time; state lives in memory (and in `stateFile` when given).
 */
import type { EventsControl, LambdaControl } from '../types.ts';
import { readAssembly, selectStacks } from './assembly.ts';
import { type Clients, createClients } from './clients.ts';
import { ResourceEngine } from './engine.ts';
import { DeployError, StackInUseError } from './errors.ts';
import { type StackDeployResult, StackOperations } from './operations.ts';
import type { StackPlan } from './plan.ts';
import { prepareTarget } from './prepare.ts';
import type { DeployProgressEvent, ProgressListener } from './progress.ts';
import { providerLookup } from './providers/index.ts';
import type { ResourceProvider } from './providers/types.ts';
import { type DeployedResource, resourcesOf } from './queries.ts';
import { StackRequests } from './requests.ts';
import { StackStore } from './stack-store.ts';
import { newStackRecord, type StackRecord, type StackTarget } from './state.ts';
import { isCreationFailure } from './status.ts';
import type { CfnTemplate } from './template.ts';

export type { StackDeployResult } from './operations.ts';

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
  /**
   * Providers in front of the built-in ones, by resource type: e.g. IAM's and SSM's bound to the
   * stores their services serve, so deployed roles and parameters are really there.
   */
  providers?: Readonly<Record<string, ResourceProvider>>;
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

/** A stack of a run, planned: the record it deploys into (new or existing) and what it deploys. */
interface PlannedStack {
  record: StackRecord;
  /** The record is not in the store yet (or replaces one whose creation failed). */
  fresh: boolean;
  target: StackTarget;
  plan: StackPlan;
}

/** Deploys stacks to the local cloud, through the workshop's door or the CloudFormation API's. */
export class LocalDeployer {
  /** The stacks, live and deleted (the API's reads). */
  readonly stacks: StackStore;
  /** The CloudFormation API's writes: checked at once, run in turn. */
  readonly requests: StackRequests;
  /** SDK clients for the local cloud (S3 for `TemplateURL`s, the providers' services). */
  readonly clients: Clients;
  readonly #operations: StackOperations;
  readonly #onProgress?: ProgressListener;

  constructor(opts: LocalDeployerOptions) {
    this.#onProgress = opts.onProgress;
    this.clients = createClients(opts.endpoint);
    this.stacks = new StackStore(opts.stateFile);
    const emit = (event: DeployProgressEvent) => this.#emit(event);
    const providerOf = providerLookup(opts.providers);
    const engine = new ResourceEngine({
      store: this.stacks,
      services: { clients: this.clients, lambda: opts.lambda, events: opts.events },
      emit,
      providerOf,
    });
    this.#operations = new StackOperations({ store: this.stacks, engine, emit, providerOf });
    this.requests = new StackRequests(this.stacks, this.#operations);
  }

  /** Resolves once the state file (if any) is loaded; the synchronous queries read that state. */
  ready(): Promise<void> {
    return this.stacks.ready();
  }

  /**
   * Deploys the stacks of a synthesised assembly (all, or `stackNames` and the stacks they depend
   * on), in dependency order. Every stack is checked before anything is created; a stack that
   * fails rolls back, and the error is thrown.
   */
  deployAssembly(assemblyDir: string, stackNames?: readonly string[]): Promise<StackDeployResult[]> {
    return this.stacks.serialize(async () => {
      const assembly = await readAssembly(assemblyDir);
      const inputs = selectStacks(assembly, stackNames).map((s) => ({
        stackName: s.stackName,
        template: s.template,
        assemblyDir: s.assemblyDir,
        assets: s.assets,
      }));
      const planned = this.#planAll(inputs);
      const results: StackDeployResult[] = [];
      for (const stack of planned) results.push(await this.#deploy(stack));
      return results;
    });
  }

  /** Deploys one template (its imports must already be deployed). */
  deployStack(input: StackInput): Promise<StackDeployResult> {
    return this.stacks.serialize(async () => {
      const [planned] = this.#planAll([input]);
      if (!planned) throw new DeployError(`nothing to deploy for stack ${input.stackName}`);
      return this.#deploy(planned);
    });
  }

  /**
   * Removes a stack's resources, dependents first (buckets are emptied). Refuses while another
   * deployed stack imports its exports. Returns false when the stack was not deployed.
   */
  destroy(stackName: string): Promise<boolean> {
    return this.stacks.serialize(async () => {
      const record = this.stacks.findLive(stackName);
      if (!record) return false;
      const importers = Object.keys(record.exports).flatMap((name) =>
        this.stacks.importersOf(record, name).map((s) => s.stackName),
      );
      if (importers.length > 0) throw new StackInUseError(stackName, [...new Set(importers)]);
      await this.#operations.delete(record);
      return true;
    });
  }

  /** A deployed stack's outputs (output key → value). */
  outputs(stackName: string): Record<string, string> {
    const record = this.stacks.findLive(stackName);
    if (!record) throw new DeployError(`stack ${stackName} is not deployed: deploy it first`);
    return { ...record.outputs };
  }

  /** Names of the live stacks, dependencies first. */
  deployedStacks(): string[] {
    return this.stacks.live().map((s) => s.stackName);
  }

  /** The resources of a deployed stack (empty when it is not deployed). */
  resources(stackName: string): DeployedResource[] {
    return resourcesOf(this.stacks.findLive(stackName));
  }

  /**
   * Records that a function's code was swapped outside a stack operation (a hot swap, as
   * `cdk watch --hotswap` does): the next deploy then compares the template's code with what
   * runs, so a handler saved back to its deployed content is deployed again, not left swapped.
   */
  noteCodeSwapped(functionName: string, codeDir: string): void {
    for (const stack of this.stacks.live()) {
      for (const resource of Object.values(stack.resources)) {
        if (resource.type === 'AWS::Lambda::Function' && resource.physicalId === functionName)
          resource.properties = { ...resource.properties, 'Local::CodeDir': codeDir };
      }
    }
  }

  /** Closes the SDK clients' connections (after the last operation). */
  async close(): Promise<void> {
    await this.stacks.idle();
    this.clients.destroy();
  }

  #emit(event: DeployProgressEvent): void {
    try {
      this.#onProgress?.(event);
    } catch {
      // A broken progress printer must not break a deploy.
    }
  }

  /** Plans every stack before any is deployed: a template that cannot deploy stops the run. */
  #planAll(inputs: StackInput[]): PlannedStack[] {
    const upcoming = new Map<string, string>();
    return inputs.map((input) => {
      const existing = this.stacks.findLive(input.stackName);
      const fresh = !existing || isCreationFailure(existing.status);
      const target = prepareTarget(
        {
          stackName: input.stackName,
          template: input.template,
          parameters: Object.entries(input.parameters ?? {}).map(([key, value]) => ({ key, value })),
          assemblyDir: input.assemblyDir ?? process.cwd(),
          assets: input.assets ?? {},
        },
        fresh ? undefined : existing,
        this.#operations.providerOf,
      );
      const record =
        existing && !fresh ? existing : newStackRecord(input.stackName, 'CREATE_IN_PROGRESS', target);
      const plan = this.#operations.plan(
        record,
        target,
        (name) => upcoming.has(name) && upcoming.get(name) !== input.stackName,
      );
      this.#operations.checkExports(record, plan, upcoming);
      for (const name of plan.exportNames) upcoming.set(name, input.stackName);
      return { record, fresh, target, plan };
    });
  }

  /** Creates or updates one planned stack; a stack whose creation failed before is deleted and created again. */
  async #deploy({ record, fresh, target, plan }: PlannedStack): Promise<StackDeployResult> {
    if (!fresh) {
      if (record.status !== 'REVIEW_IN_PROGRESS') {
        return this.#operations.update(record, target, plan, { lazy: true });
      }
      record.changeSets = [];
      return this.#operations.create(record, target, plan);
    }
    const failed = this.stacks.findLive(record.stackName);
    if (failed) await this.#operations.delete(failed);
    this.stacks.add(record);
    return this.#operations.create(record, target, plan);
  }
}
