import { randomUUID } from 'node:crypto';
import type { InvocationFaults } from '../faults/index.ts';
import type { EventSourceMappingDefinition, LambdaControl, ServiceHandler } from '../types.ts';
import { lambdaApi } from './api/api.ts';
import { FunctionNotFoundError, InvalidMappingError, MappingNotFoundError } from './api/errors.ts';
import type { FunctionRecord, LocalFunctionDefinition, MappingRecord } from './api/shapes.ts';
import { DEFAULT_ROLE_ARN, functionArn, parseEventSourceArn, parseFunctionName } from './arn.ts';
import { readS3Code } from './code/s3.ts';
import { codeDigest, releaseCode, unpackCode } from './code/store.ts';
import { type Clients, localClients } from './mappings/clients.ts';
import { KinesisPoller } from './mappings/kinesis-poller.ts';
import { getRecordsPage, type SendKinesis, sendOverHttp } from './mappings/kinesis-reads.ts';
import { mappingProblem } from './mappings/mapping-settings.ts';
import type { PollerDeps } from './mappings/poller-deps.ts';
import { SqsPoller } from './mappings/sqs-poller.ts';
import type { InvokeResult } from './runtime/host.ts';
import { FunctionLog } from './runtime/logs.ts';
import { HostPool } from './runtime/pool.ts';

export { FunctionNotFoundError, InvalidMappingError, MappingNotFoundError } from './api/errors.ts';
export type { InvokeResult } from './runtime/host.ts';

/** How the Lambda service reaches the rest of the local cloud and where its logs go. */
export interface LambdaServiceOptions {
  /** The local cloud's URL: the pollers' SDK clients and the functions (`AWS_ENDPOINT_URL`) use it. */
  endpoint: string;
  /** Each function's log is appended to `<logDir>/<function>.log`. */
  logDir?: string;
  /** Function output, prefixed `[function-name] `, and notes of the pollers (default: none). */
  log?: (line: string) => void;
  /** What of a function's output reaches `log`: every line (default), or one short line per invocation. */
  echo?: 'lines' | 'invocations';
  /** A directory whose node_modules provides `@aws-sdk/*` to functions (default: this repository). */
  sdkRoot?: string;
  /**
   * Where zips of functions created through the API are unpacked (default: the OS temporary
   * directory); each directory is removed when its function is updated to other code, deleted,
   * or the service stops.
   */
  codeRoot?: string;
  /** Fault injection: crashes and timeouts of invocations by event source mappings (off when absent). */
  faults?: InvocationFaults;
  /**
   * How the mappings' `GetRecords` reach Kinesis: the cloud's own dispatch when the service runs
   * in its process (`installServices`), over HTTP to `endpoint` otherwise.
   */
  sendKinesis?: SendKinesis;
}

interface FunctionEntry extends FunctionRecord {
  /** Its execution environments: one per invocation in flight, as Lambda scales. */
  host: HostPool;
  log: FunctionLog;
}

interface MappingEntry extends MappingRecord {
  poller?: KinesisPoller | SqsPoller;
}

const sameMapping = (a: EventSourceMappingDefinition, b: EventSourceMappingDefinition) =>
  JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());

/**
 * The local Lambda service: runs each function in its own processes (one per invocation in flight), polls Kinesis streams and SQS
 * queues for event source mappings, and answers the Lambda API (`handle`) for the gateway.
 */
export class LambdaService implements LambdaControl {
  /** The Lambda API, to register with the gateway: `cloud.register('lambda', service.handle)`. */
  readonly handle: ServiceHandler;
  private readonly functions = new Map<string, FunctionEntry>();
  private readonly mappings = new Map<string, MappingEntry>();
  private readonly retiring = new Set<Promise<void>>();
  private readonly clients: Clients;
  private readonly sendKinesis: SendKinesis;
  private readonly functionLogs = new Map<string, FunctionLog>();
  private stopping = false;
  /** When the last invocation by a mapping ended. */
  private lastInvocationEndMs = 0;
  /** Deploys in progress that hold new functions' warm-ups back (`holdingWarmUps`). */
  private warmUpHolds = 0;

  constructor(private readonly opts: LambdaServiceOptions) {
    this.clients = localClients(opts.endpoint);
    this.sendKinesis = opts.sendKinesis ?? sendOverHttp(opts.endpoint);
    this.handle = lambdaApi({
      functionRecords: () => [...this.functions.values()],
      mappingRecords: () => [...this.mappings.values()],
      invokeText: (name, event, o) => this.invokeText(name, event, o),
      note: (line) => this.note(line),
      putFunction: (def) => this.putFunction(def),
      deleteFunction: (name) => this.deleteFunction(name),
      putEventSourceMapping: (def) => this.putEventSourceMapping(def),
      deleteEventSourceMapping: (uuid) => this.deleteEventSourceMapping(uuid),
      setPolicy: (name, policy) => {
        const entry = this.functions.get(name);
        if (entry) entry.policy = policy;
      },
      unpack: async (zip, name) => (await unpackCode(zip, { root: opts.codeRoot, name })).dir,
      release: (dir) => releaseCode(dir),
      readS3: (where) => readS3Code(this.clients.s3, where),
    });
  }

  /** Creates or updates a function; an update starts a new process, the old one finishes its work. */
  async putFunction(def: LocalFunctionDefinition): Promise<{ functionArn: string }> {
    const digest = await codeDigest(def.codeDir);
    // Read after the await: a put of the same function meanwhile is the one this one replaces.
    const existing = this.functions.get(def.name);
    const log = this.logFor(def.name);
    const host = new HostPool(def, { endpoint: this.opts.endpoint, log, sdkRoot: this.opts.sdkRoot });
    this.functions.set(def.name, {
      def,
      host,
      log,
      ...digest,
      lastModified: new Date(),
      revisionId: randomUUID(),
      policy: existing?.policy,
    });
    if (this.warmUpHolds === 0) host.warm();
    if (existing) this.retire(existing);
    return { functionArn: functionArn(def.name) };
  }

  /**
   * Runs `work` (a deploy) with new functions' warm-ups held back until it ends: starting a Node.js
   * process per function beside the deploy doubles its time on a 2-core laptop. A function
   * invoked meanwhile starts its process then, as it would cold.
   */
  async holdingWarmUps<T>(work: () => Promise<T>): Promise<T> {
    this.warmUpHolds++;
    try {
      return await work();
    } finally {
      if (--this.warmUpHolds === 0 && !this.stopping)
        for (const { host } of this.functions.values()) host.warm();
    }
  }

  /**
   * UpdateFunctionCode from a directory (a hot swap): same configuration, new code. Once this
   * resolves every new invocation runs the new code; those in flight finish on the old one.
   * Returns the new `CodeSha256`.
   */
  async updateFunctionCode(name: string, codeDir: string): Promise<{ codeSha256: string }> {
    const existing = this.functions.get(name);
    if (!existing) throw new FunctionNotFoundError(name);
    await this.putFunction({ ...existing.def, codeDir });
    const updated = this.functions.get(name);
    if (!updated) throw new FunctionNotFoundError(name);
    return { codeSha256: updated.codeSha256 };
  }

  /** Deletes a function; an invocation in flight still completes. Its mappings stay (as on AWS). */
  async deleteFunction(name: string): Promise<void> {
    const existing = this.functions.get(name);
    if (!existing) return;
    this.functions.delete(name);
    this.retire(existing);
  }

  /** Creates or updates a mapping and starts polling; an updated Kinesis mapping resumes where it was. */
  async putEventSourceMapping(def: EventSourceMappingDefinition): Promise<{ uuid: string }> {
    const uuid = def.uuid ?? randomUUID();
    const source = parseEventSourceArn(def.eventSourceArn);
    if (!source) {
      throw new InvalidMappingError(
        `the local cloud reads Kinesis streams and SQS queues; ${def.eventSourceArn} is neither`,
      );
    }
    const problem = mappingProblem(def, source.kind);
    if (problem) throw new InvalidMappingError(problem);
    const functionName = parseFunctionName(def.functionName).name;
    if (!this.functions.has(functionName)) throw new FunctionNotFoundError(functionName);

    const full = { ...def, uuid };
    const existing = this.mappings.get(uuid);
    if (existing && sameMapping(existing.def, full)) return { uuid };
    let resume: ReturnType<KinesisPoller['snapshot']> | undefined;
    if (existing) {
      await existing.poller?.stop();
      if (existing.poller instanceof KinesisPoller && existing.def.eventSourceArn === def.eventSourceArn) {
        resume = existing.poller.snapshot();
      }
    }
    const entry: MappingEntry = {
      def: full,
      functionName,
      source: source.kind,
      lastModified: new Date(),
      lastProcessingResult: existing?.lastProcessingResult ?? 'No records processed',
    };
    this.mappings.set(uuid, entry);
    if (def.enabled !== false && !this.stopping) {
      const deps = this.pollerDeps(entry);
      entry.poller =
        source.kind === 'kinesis'
          ? new KinesisPoller(full, source.streamName, deps, resume)
          : new SqsPoller(full, deps);
      await entry.poller.start();
    }
    return { uuid };
  }

  /** Stops a mapping's polling (its batch in flight completes) and deletes it. */
  async deleteEventSourceMapping(uuid: string): Promise<void> {
    const existing = this.mappings.get(uuid);
    if (!existing) throw new MappingNotFoundError(uuid);
    this.mappings.delete(uuid);
    await existing.poller?.stop();
  }

  /** Invokes a function synchronously with `event` (serialised to JSON); throws `FunctionNotFoundError`. */
  invoke(name: string, event: unknown): Promise<InvokeResult> {
    return this.invokeText(name, JSON.stringify(event) ?? 'null');
  }

  /** The last lines a function logged (its output, and Lambda's START/END/REPORT lines). */
  logs(name: string): string[] {
    return this.functionLogs.get(name)?.lines() ?? [];
  }

  /**
   * Whether every Kinesis mapping has caught up: nothing buffered, awaiting a retry or in an open
   * window, and every shard read past `sinceMs` and past the end of the last invocation by any
   * mapping (whose writes may feed another one). Tests wait for it, with `sinceMs` = when they
   * stopped writing, before they count what a pipeline wrote.
   */
  caughtUp(sinceMs = 0): boolean {
    const since = Math.max(sinceMs, this.lastInvocationEndMs);
    return [...this.mappings.values()].every(
      (m) => !(m.poller instanceof KinesisPoller) || m.poller.caughtUp(since),
    );
  }

  /** Stops every poller, lets invocations in flight finish, stops every function process. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.mappings.values()].map((m) => m.poller?.stop()));
    const functions = [...this.functions.values()];
    this.functions.clear();
    for (const f of functions) this.retire(f);
    while (this.retiring.size > 0) await Promise.all(this.retiring);
    await Promise.all([...this.functionLogs.values()].map((l) => l.close()));
    for (const client of Object.values(this.clients)) client.destroy();
  }

  private async invokeText(name: string, event: string, opts: { clientContext?: unknown } = {}) {
    const entry = this.functions.get(parseFunctionName(name).name);
    if (!entry) throw new FunctionNotFoundError(parseFunctionName(name).name);
    return entry.host.invoke(event, opts);
  }

  private pollerDeps(entry: MappingEntry): PollerDeps {
    const { functionName } = entry;
    let lastNote: string | undefined;
    return {
      clients: this.clients,
      getRecords: (iterator, limit) => getRecordsPage(this.sendKinesis, iterator, limit),
      functionArn: functionArn(functionName),
      roleArn: () => this.functions.get(functionName)?.def.role ?? DEFAULT_ROLE_ARN,
      invoke: async (event, records, windowState) => {
        const fn = this.functions.get(functionName);
        if (!fn) {
          entry.lastProcessingResult = 'PROBLEM: Function not found';
          return undefined;
        }
        const result = await fn.host.invoke(event, {
          fault: this.opts.faults?.invocationFault(functionName),
          records,
          windowState,
        });
        this.lastInvocationEndMs = Date.now();
        return result;
      },
      processed: (result) => {
        entry.lastProcessingResult = result;
      },
      endWindowEarly: () => this.opts.faults?.windowEndsEarly?.(functionName) ?? false,
      note: (line) => {
        // A source that stays unreachable would repeat the same note every second.
        if (line === lastNote) return;
        lastNote = line;
        this.note(`[${functionName}] event source mapping ${entry.def.uuid}: ${line}`);
      },
    };
  }

  private logFor(name: string): FunctionLog {
    let log = this.functionLogs.get(name);
    if (!log) {
      log = new FunctionLog(name, { sink: this.opts.log, logDir: this.opts.logDir, echo: this.opts.echo });
      this.functionLogs.set(name, log);
    }
    return log;
  }

  /**
   * Stops a replaced or deleted function's process once its queued invocations are done, then
   * removes its code if it was unpacked from a zip and no function runs from it any more.
   */
  private retire(entry: FunctionEntry): void {
    const dir = entry.def.codeDir;
    const done = entry.host
      .retire()
      .then(async () => {
        if (![...this.functions.values()].some((f) => f.def.codeDir === dir)) await releaseCode(dir);
      })
      .catch((err) => this.note(`[${entry.def.name}] retiring the old process: ${(err as Error).message}`))
      .finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  private note(line: string): void {
    this.opts.log?.(line);
  }
}
