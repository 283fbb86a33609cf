/**
 * The stacks the deployer knows — live and deleted — with lookups by name, id and export, their
 * persistence, and the queue that runs one stack operation at a time.
 */
import { type DeployerState, emptyState, loadState, type StackRecord, saveState } from './state.ts';

/** Deleted stacks kept for `ListStacks` and `DescribeStacks` by id. */
const MAX_DELETED = 100;

/** One exported value and the stack that exports it. */
export interface ExportEntry {
  name: string;
  value: string;
  stack: StackRecord;
}

/** The deployer's stacks. Reads are synchronous once `ready()` has resolved. */
export class StackStore {
  #state: DeployerState = emptyState();
  readonly #stateFile?: string;
  readonly #loaded: Promise<void>;
  #queue: Promise<unknown> = Promise.resolve();

  /** @param stateFile where to keep the state as JSON across restarts; in memory only when omitted. */
  constructor(stateFile?: string) {
    this.#stateFile = stateFile;
    this.#loaded = stateFile
      ? loadState(stateFile).then((state) => {
          this.#state = state;
        })
      : Promise.resolve();
    // Surfaced by ready() and by every operation; not an unhandled rejection in between.
    this.#loaded.catch(() => undefined);
  }

  /** Resolves once the state file (if any) is loaded. */
  ready(): Promise<void> {
    return this.#loaded;
  }

  /** Runs `work` after every operation queued before it (and after the state is loaded). */
  serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = async () => {
      await this.#loaded;
      return work();
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every queued operation has finished. */
  async idle(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  /** Live stacks (anything not deleted), dependencies first. */
  live(): readonly StackRecord[] {
    return this.#state.stacks;
  }

  /** Deleted stacks, oldest deletion first. */
  deleted(): readonly StackRecord[] {
    return this.#state.deleted;
  }

  /** A live stack by name or stack id, or a deleted one by stack id (as CloudFormation finds them). */
  find(nameOrId: string): StackRecord | undefined {
    const live = this.#state.stacks.find((s) => s.stackName === nameOrId || s.stackId === nameOrId);
    return live ?? this.#state.deleted.find((s) => s.stackId === nameOrId);
  }

  /** A live stack by name or id. */
  findLive(nameOrId: string): StackRecord | undefined {
    return this.#state.stacks.find((s) => s.stackName === nameOrId || s.stackId === nameOrId);
  }

  /** Adds a new live stack. */
  add(record: StackRecord): void {
    this.#state.stacks.push(record);
  }

  /** Moves a stack to the deleted ones, without resources. */
  retire(record: StackRecord): void {
    this.#state.stacks = this.#state.stacks.filter((s) => s !== record);
    record.resources = {};
    record.changeSets = [];
    this.#state.deleted.push(record);
    if (this.#state.deleted.length > MAX_DELETED) this.#state.deleted.shift();
  }

  /** Every export of the live stacks, in stack order. */
  exports(): ExportEntry[] {
    return this.#state.stacks.flatMap((stack) =>
      Object.entries(stack.exports).map(([name, value]) => ({ name, value, stack })),
    );
  }

  /** The value of an export of a live stack other than `exceptStack`. */
  exportValue(name: string, exceptStack?: string): string | undefined {
    for (const stack of this.#state.stacks) {
      if (stack.stackName !== exceptStack && Object.hasOwn(stack.exports, name)) return stack.exports[name];
    }
    return undefined;
  }

  /** The live stack (other than `exceptStack`) that exports `name`. */
  exporterOf(name: string, exceptStack?: string): StackRecord | undefined {
    return this.#state.stacks.find((s) => s.stackName !== exceptStack && Object.hasOwn(s.exports, name));
  }

  /** Live stacks other than `record` that import `exportName`. */
  importersOf(record: StackRecord, exportName: string): StackRecord[] {
    return this.#state.stacks.filter((s) => s !== record && s.imports.includes(exportName));
  }

  /** Whether another live stack holds the same resource (same type and physical id). */
  isShared(record: StackRecord, logicalId: string): boolean {
    const resource = record.resources[logicalId];
    if (!resource) return false;
    return this.#state.stacks.some((s) =>
      Object.entries(s.resources).some(
        ([otherId, r]) =>
          r !== resource &&
          !(s === record && otherId === logicalId) &&
          r.type === resource.type &&
          r.physicalId === resource.physicalId,
      ),
    );
  }

  /** Saves the state, when there is a state file. */
  async persist(): Promise<void> {
    if (this.#stateFile) await saveState(this.#stateFile, this.#state);
  }
}
