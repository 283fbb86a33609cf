import { randomUUID } from 'node:crypto';
import { GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import type { EventSourceMappingDefinition } from '../../types.ts';
import type { InvokeResult, WindowState } from '../runtime/host.ts';
import { sendToDestination } from './clients.ts';
import {
  discardRecord,
  finalWindowEventJson,
  type LastInvocation,
  type StreamOrigin,
  streamEventJson,
} from './kinesis-events.ts';
import type { PollerDeps } from './poller-deps.ts';
import { planShard, type ShardStep, type ShardView } from './shard-plan.ts';
import {
  type DiscardCondition,
  decide,
  FRESH,
  type InvocationOutcome,
  type RetryProgress,
  readResponse,
  retryDelayMs,
  type StreamRecord,
  type StreamSettings,
} from './stream-batch.ts';
import { MAX_STATE_BYTES, type OpenWindow, StateText, stateJsonOf } from './tumbling-window.ts';

/** Where a shard's reading stood when its poller stopped, so an updated mapping resumes there. */
export interface ShardResume {
  buffer: StreamRecord[];
  lastReadSeq?: string;
  window?: OpenWindow;
  windowFloorMs: number;
}

/** What a shard reader shares with the other shards of its mapping. */
export interface ShardContext {
  def: EventSourceMappingDefinition;
  settings: StreamSettings;
  streamName: string;
  streamArn: string;
  deps: PollerDeps;
  running(): boolean;
  /** Sleeps, or returns early when the poller stops. */
  sleep(ms: number): Promise<void>;
  /** Whether a parent shard is still being read: its records come before its children's. */
  parentPending(parentId: string): boolean;
}

/** A record that arrived this long before a read started is surely visible to that read. */
const ARRIVAL_GRACE_MS = 300;
/** GetRecords' largest page. */
const READ_LIMIT = 10_000;
/** Nothing was invoked (the function does not exist) or reading failed: try again after this long. */
const RETRY_MS = 1000;

const errorName = (err: unknown) => (err as { name?: string })?.name ?? '';

/** What an invocation answered; a window state the function returned stays JSON text (`StateText`). */
function outcomeOf(result: InvokeResult): InvocationOutcome {
  if (result.functionError) return { functionError: true };
  let response: unknown;
  try {
    response = JSON.parse(result.payload);
  } catch {
    return { functionError: false, response: undefined };
  }
  if (result.stateJson !== undefined && typeof response === 'object' && response !== null)
    (response as { state?: unknown }).state = new StateText(result.stateJson);
  return { functionError: false, response };
}

/**
 * Reads one shard for a mapping and invokes the function with its batches, one at a time, in
 * order: the I/O around `planShard` (what next) and `decide` (what an answer means).
 */
export class ShardReader implements ShardView {
  buffer: StreamRecord[];
  progress: RetryProgress = FRESH;
  window?: OpenWindow;
  windowFloorMs: number;
  fetchedThroughMs = 0;
  batchingSinceMs?: number;
  notBeforeMs = 0;
  /** The shard is done: closed and processed, or forgotten (its stream was deleted). */
  finished = false;
  private iterator?: string;
  /** The shard is closed (resharded) and everything in it was read. */
  private closed = false;
  private lastReadSeq?: string;
  private finalAttempts = 0;
  private lastInvocation?: LastInvocation;

  constructor(
    readonly id: string,
    private readonly ctx: ShardContext,
    private readonly opts: {
      parentId?: string;
      /** Where the first iterator starts when nothing was read yet. */
      initial: 'TRIM_HORIZON' | 'LATEST';
      /** `AT_TIMESTAMP`: records that arrived before this are skipped (read from the trim horizon). */
      skipBeforeMs?: number;
      resume?: ShardResume;
    },
  ) {
    this.buffer = opts.resume?.buffer ?? [];
    this.lastReadSeq = opts.resume?.lastReadSeq;
    this.window = opts.resume?.window;
    this.windowFloorMs = opts.resume?.windowFloorMs ?? 0;
    this.batchingSinceMs = this.buffer.length > 0 ? Date.now() : undefined;
  }

  /** Where this shard stands, for a reader that takes over. */
  snapshot(): ShardResume {
    return {
      buffer: [...this.buffer],
      lastReadSeq: this.lastReadSeq,
      window: this.window,
      windowFloorMs: this.windowFloorMs,
    };
  }

  /** Takes the starting position (before `run`, so that LATEST means "when the mapping started"). */
  async position(): Promise<void> {
    const out = await this.ctx.deps.clients.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.ctx.streamName,
        ShardId: this.id,
        ...(this.lastReadSeq
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: this.lastReadSeq }
          : { ShardIteratorType: this.opts.initial }),
      }),
    );
    this.iterator = out.ShardIterator;
  }

  /** Reads and invokes until the poller stops or the shard is done. */
  async run(): Promise<void> {
    const { ctx } = this;
    while (ctx.running() && !this.finished && this.opts.parentId && ctx.parentPending(this.opts.parentId)) {
      await ctx.sleep(RETRY_MS);
    }
    while (ctx.running() && !this.finished) {
      try {
        if (!this.iterator && !this.closed) await this.position();
        if (this.iterator && this.buffer.length < ctx.settings.batchSize) await this.read(this.iterator);
        await this.perform(planShard(this, ctx.settings, Date.now()));
      } catch (err) {
        if (!ctx.running()) break;
        const name = errorName(err);
        if (name === 'ResourceNotFoundException') break;
        // An expired or invalid iterator is replaced from the last record read.
        if (name === 'ExpiredIteratorException' || name === 'InvalidArgumentException')
          this.iterator = undefined;
        else ctx.deps.note(`reading ${this.id} of ${ctx.streamName} failed: ${(err as Error).message}`);
        await ctx.sleep(RETRY_MS);
      }
    }
  }

  private async read(iterator: string): Promise<void> {
    const startedMs = Date.now();
    const page = await this.ctx.deps.getRecords(iterator, READ_LIMIT);
    this.iterator = page.nextIterator;
    const { records } = page;
    const last = records[records.length - 1];
    if (last) this.lastReadSeq = last.sequenceNumber;
    const skip = this.opts.skipBeforeMs;
    const wanted = skip === undefined ? records : records.filter((r) => r.arrivalMs >= skip);
    if (wanted.length > 0) this.opts.skipBeforeMs = undefined;
    if (wanted.length > 0 && this.buffer.length === 0) this.batchingSinceMs = Date.now();
    this.buffer.push(...wanted);
    if (records.length < READ_LIMIT) this.fetchedThroughMs = startedMs - ARRIVAL_GRACE_MS;
    if (!page.nextIterator) {
      // Closed and read to its end: nothing more will arrive, so an open window can close.
      this.closed = true;
      this.fetchedThroughMs = Number.POSITIVE_INFINITY;
    }
  }

  private async perform(step: ShardStep): Promise<void> {
    switch (step.kind) {
      case 'wait':
        if (this.closed && this.buffer.length === 0 && !this.window) this.finished = true;
        else await this.ctx.sleep(step.ms);
        return;
      case 'expire': {
        const records = this.buffer.splice(0, step.count);
        const { invocations } = this.progress;
        this.progress = FRESH;
        return this.discard(records, 'RecordAgeExceeded', invocations);
      }
      case 'final':
        return this.closeWindow(step.window);
      case 'invoke':
        return this.invoke(step);
    }
  }

  private origin(): StreamOrigin {
    return { streamArn: this.ctx.streamArn, shardId: this.id, roleArn: this.ctx.deps.roleArn() };
  }

  private async invoke(step: Extract<ShardStep, { kind: 'invoke' }>): Promise<void> {
    const { deps, settings } = this.ctx;
    const { records, window } = step;
    // The state goes beside the event, for the function's process to put in (see `WindowState`).
    const event = streamEventJson(records, this.origin(), window && { window, stateJson: 'null' });
    const result = await deps.invoke(event, records.length, window && this.windowState(step.state));
    if (!result) {
      // Not invoked at all: no retry is used up; the records wait (until they expire).
      this.notBeforeMs = Date.now() + RETRY_MS;
      return;
    }
    this.lastInvocation = { requestId: result.requestId, functionError: result.functionError !== undefined };
    const verdict = readResponse(records, outcomeOf(result), settings);
    deps.processed(verdict.kind === 'success' ? 'OK' : 'PROBLEM: Function call failed');
    if (verdict.kind === 'failure' && !result.functionError) {
      deps.note(`the batch from ${this.id} counts as failed: ${verdict.reason}`);
    }
    if (window && verdict.kind !== 'failure') {
      const tooLarge = Buffer.byteLength(stateJsonOf(verdict.state)) > MAX_STATE_BYTES;
      // Fault injection ends some windows early anyway, so that the handler's parts show.
      const injected = !tooLarge && (deps.endWindowEarly?.() ?? false);
      if (injected)
        deps.note(`[fault injection] the window of ${this.id} ends early, as if its state passed 1 MB`);
      const terminateEarly = tooLarge || injected;
      this.window = { ...window, state: verdict.state, terminateEarly };
    }
    const decision = decide(records.length, verdict, this.progress, settings);
    const dropped = this.buffer.splice(0, decision.done + (decision.discard?.count ?? 0));
    this.progress = decision.progress;
    this.notBeforeMs = Date.now() + decision.delayMs;
    if (decision.discard) {
      await this.discard(
        dropped.slice(decision.done),
        decision.discard.condition,
        decision.discard.invocations,
      );
    }
  }

  /** A window state for the function, under this mapping's shard. */
  private windowState(state: unknown): WindowState {
    return { key: `${this.ctx.def.uuid}/${this.id}`, json: stateJsonOf(state) };
  }

  private async closeWindow(open: OpenWindow): Promise<void> {
    const { deps } = this.ctx;
    // The final invocation of a window carries its state, and no records.
    const result = await deps.invoke(
      finalWindowEventJson(open, 'null', this.origin()),
      0,
      this.windowState(open.state),
    );
    if (!result || result.functionError) {
      // Lambda holds the shard until the final invocation of a window succeeds.
      if (result) deps.processed('PROBLEM: Function call failed');
      this.finalAttempts++;
      this.notBeforeMs = Date.now() + (result ? retryDelayMs(this.finalAttempts) : RETRY_MS);
      return;
    }
    deps.processed('OK');
    this.finalAttempts = 0;
    // Ended early (state too large): the same window goes on with a fresh state.
    if (open.terminateEarly) this.window = { startMs: open.startMs, endMs: open.endMs, state: {} };
    else {
      this.window = undefined;
      this.windowFloorMs = open.endMs;
    }
  }

  private async discard(
    records: StreamRecord[],
    condition: DiscardCondition,
    invocations: number,
  ): Promise<void> {
    if (records.length === 0) return;
    const { deps, def, streamName } = this.ctx;
    const destination = def.onFailureDestination;
    const range = `${records[0]?.sequenceNumber}…${records[records.length - 1]?.sequenceNumber}`;
    deps.note(
      `gave up ${records.length} record(s) of ${streamName}/${this.id} (${range}): ${condition}${destination ? `; sent to ${destination}` : ''}`,
    );
    if (!destination) return;
    const document = discardRecord({
      records,
      origin: this.origin(),
      functionArn: deps.functionArn,
      condition,
      invocations,
      last: invocations > 0 ? this.lastInvocation : undefined,
      now: new Date(),
      requestId: randomUUID(),
    });
    try {
      await sendToDestination(deps.clients, destination, document);
    } catch (err) {
      deps.note(`could not send the discarded batch to ${destination}: ${(err as Error).message}`);
    }
  }
}
