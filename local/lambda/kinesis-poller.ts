import { randomUUID } from 'node:crypto';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as KinesisRecord,
  ListShardsCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import type { EventSourceMappingDefinition } from '../types.ts';
import { streamArn } from './arn.ts';
import { sendToDestination } from './clients.ts';
import type { InvokeResult } from './host.ts';
import {
  discardRecord,
  finalWindowEvent,
  type LastInvocation,
  type StreamOrigin,
  streamEvent,
} from './kinesis-events.ts';
import { streamSettings } from './mapping-settings.ts';
import type { PollerDeps } from './poller-deps.ts';
import { planShard, type ShardStep } from './shard-plan.ts';
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
import { type OpenWindow, stateTooLarge } from './tumbling-window.ts';

/** Where a shard's reading stood when its poller stopped, so an updated mapping resumes there. */
export interface ShardResume {
  buffer: StreamRecord[];
  lastReadSeq?: string;
  window?: OpenWindow;
  windowFloorMs: number;
}

/** A record that arrived this long before a read started is surely visible to that read. */
const ARRIVAL_GRACE_MS = 300;
/** New shards (after a reshard) are looked for this often. */
const SHARD_REFRESH_MS = 1000;
/** Read more when fewer records than this are buffered. */
const READ_LIMIT = 10_000;
/** Nothing to invoke (the function does not exist): try again after this long. */
const NOT_INVOKED_RETRY_MS = 1000;

interface ShardReader {
  id: string;
  parentId?: string;
  /** Where the first iterator starts when nothing was read yet. */
  initial: 'TRIM_HORIZON' | 'LATEST';
  iterator?: string;
  /** The shard is closed (resharded) and everything in it was read. */
  closed: boolean;
  finished: boolean;
  buffer: StreamRecord[];
  lastReadSeq?: string;
  progress: RetryProgress;
  window?: OpenWindow;
  windowFloorMs: number;
  fetchedThroughMs: number;
  batchingSinceMs?: number;
  notBeforeMs: number;
  finalAttempts: number;
  lastInvocation?: LastInvocation;
  /** `AT_TIMESTAMP`: records that arrived before this are skipped (read from the trim horizon). */
  skipBeforeMs?: number;
}

const errorName = (err: unknown) => (err as { name?: string })?.name ?? '';

function toStreamRecord(r: KinesisRecord): StreamRecord {
  return {
    sequenceNumber: r.SequenceNumber ?? '',
    partitionKey: r.PartitionKey ?? '',
    data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
    arrivalMs: r.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
  };
}

/**
 * Reads a Kinesis stream for one event source mapping, as Lambda does: every shard on its own,
 * in order, one batch in flight per shard; the shard list is refreshed every second.
 */
export class KinesisPoller {
  private readonly settings: StreamSettings;
  private readonly streamName: string;
  private readonly streamArn: string;
  private readonly shards = new Map<string, ShardReader>();
  private readonly loops = new Set<Promise<void>>();
  private running = false;
  private discovery?: Promise<void>;
  private wake: () => void = () => undefined;
  private stopped = new Promise<void>((resolve) => {
    this.wake = resolve;
  });

  constructor(
    private readonly def: EventSourceMappingDefinition,
    streamName: string,
    private readonly deps: PollerDeps,
    private readonly resume = new Map<string, ShardResume>(),
  ) {
    this.settings = streamSettings(def);
    this.streamName = streamName;
    this.streamArn = streamArn(streamName);
  }

  /** Starts reading; resolves once the shards that exist now have their starting positions. */
  async start(): Promise<void> {
    this.running = true;
    await this.refreshShards(true).catch(() => undefined);
    this.discovery = this.discover();
  }

  /** Stops reading and waits for the batches in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.discovery;
    await Promise.all(this.loops);
  }

  /** Each shard's position, for a poller that takes over (an updated mapping). */
  snapshot(): Map<string, ShardResume> {
    const out = new Map<string, ShardResume>();
    for (const s of this.shards.values()) {
      out.set(s.id, {
        buffer: [...s.buffer],
        lastReadSeq: s.lastReadSeq,
        window: s.window,
        windowFloorMs: s.windowFloorMs,
      });
    }
    return out;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      void this.stopped.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async discover(): Promise<void> {
    while (this.running) {
      await this.sleep(SHARD_REFRESH_MS);
      if (!this.running) break;
      await this.refreshShards(false).catch((err) => {
        // The stream is gone: forget its shards, so a stream created again is read from its start.
        if (errorName(err) === 'ResourceNotFoundException') this.forgetShards();
      });
    }
  }

  private forgetShards(): void {
    for (const s of this.shards.values()) s.finished = true;
    this.shards.clear();
  }

  private async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let token: string | undefined;
    do {
      const out = await this.deps.clients.kinesis.send(
        new ListShardsCommand(token ? { NextToken: token } : { StreamName: this.streamName }),
      );
      shards.push(...(out.Shards ?? []));
      token = out.NextToken;
    } while (token);
    return shards;
  }

  /** Starts a reader for each shard not seen before. Shards found later are new: read from their start. */
  private async refreshShards(initial: boolean): Promise<void> {
    const position = this.def.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON';
    const fresh: ShardReader[] = [];
    for (const shard of await this.listShards()) {
      const id = shard.ShardId;
      if (!id || this.shards.has(id)) continue;
      const resumed = this.resume.get(id);
      const reader: ShardReader = {
        id,
        parentId: shard.ParentShardId,
        initial: initial ? position : 'TRIM_HORIZON',
        closed: false,
        finished: false,
        buffer: resumed?.buffer ?? [],
        lastReadSeq: resumed?.lastReadSeq,
        progress: FRESH,
        window: resumed?.window,
        windowFloorMs: resumed?.windowFloorMs ?? 0,
        fetchedThroughMs: 0,
        batchingSinceMs: resumed?.buffer.length ? Date.now() : undefined,
        notBeforeMs: 0,
        finalAttempts: 0,
        skipBeforeMs:
          initial && !resumed && this.def.startingPosition === 'AT_TIMESTAMP'
            ? (this.def.startingPositionTimestamp ?? 0) * 1000
            : undefined,
      };
      this.shards.set(id, reader);
      fresh.push(reader);
    }
    // LATEST means "from now": take the positions before start() returns.
    await Promise.all(fresh.map((r) => this.acquireIterator(r).catch(() => undefined)));
    for (const reader of fresh) this.loops.add(this.runShard(reader));
  }

  private async acquireIterator(reader: ShardReader): Promise<void> {
    const out = await this.deps.clients.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.streamName,
        ShardId: reader.id,
        ...(reader.lastReadSeq
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: reader.lastReadSeq }
          : { ShardIteratorType: reader.initial }),
      }),
    );
    reader.iterator = out.ShardIterator;
  }

  private async runShard(reader: ShardReader): Promise<void> {
    // Records of a parent shard come before its children's, as on AWS after a reshard.
    while (
      this.running &&
      !reader.finished &&
      reader.parentId &&
      this.shards.get(reader.parentId)?.finished === false
    ) {
      await this.sleep(SHARD_REFRESH_MS);
    }
    while (this.running && !reader.finished) {
      try {
        if (!reader.iterator && !reader.closed) await this.acquireIterator(reader);
        if (reader.iterator && reader.buffer.length < this.settings.batchSize) await this.read(reader);
        const step = planShard(reader, this.settings, Date.now());
        await this.perform(reader, step);
      } catch (err) {
        if (!this.running) break;
        const name = errorName(err);
        if (name === 'ResourceNotFoundException') break;
        // An expired or invalid iterator is replaced from the last record read.
        if (name === 'ExpiredIteratorException' || name === 'InvalidArgumentException')
          reader.iterator = undefined;
        else this.deps.note(`reading ${reader.id} of ${this.streamName} failed: ${(err as Error).message}`);
        await this.sleep(NOT_INVOKED_RETRY_MS);
      }
    }
  }

  private async read(reader: ShardReader): Promise<void> {
    const startedMs = Date.now();
    const out = await this.deps.clients.kinesis.send(
      new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: READ_LIMIT }),
    );
    reader.iterator = out.NextShardIterator;
    const records = (out.Records ?? []).map(toStreamRecord);
    const last = records[records.length - 1];
    if (last) reader.lastReadSeq = last.sequenceNumber;
    const skip = reader.skipBeforeMs;
    const wanted = skip === undefined ? records : records.filter((r) => r.arrivalMs >= skip);
    if (wanted.length > 0) reader.skipBeforeMs = undefined;
    if (wanted.length > 0 && reader.buffer.length === 0) reader.batchingSinceMs = Date.now();
    reader.buffer.push(...wanted);
    if (records.length < READ_LIMIT) reader.fetchedThroughMs = startedMs - ARRIVAL_GRACE_MS;
    if (!out.NextShardIterator) {
      // Closed and read to its end: nothing more will arrive, so any open window can close.
      reader.closed = true;
      reader.fetchedThroughMs = Number.POSITIVE_INFINITY;
    }
  }

  private async perform(reader: ShardReader, step: ShardStep): Promise<void> {
    switch (step.kind) {
      case 'wait':
        if (reader.closed && reader.buffer.length === 0 && !reader.window) reader.finished = true;
        else await this.sleep(step.ms);
        return;
      case 'expire': {
        const records = reader.buffer.splice(0, step.count);
        const { invocations } = reader.progress;
        reader.progress = FRESH;
        await this.discard(reader, records, 'RecordAgeExceeded', invocations);
        return;
      }
      case 'final':
        return this.closeWindow(reader, step.window);
      case 'invoke':
        return this.invokeBatch(reader, step);
    }
  }

  private origin(reader: ShardReader): StreamOrigin {
    return { streamArn: this.streamArn, shardId: reader.id, roleArn: this.deps.roleArn() };
  }

  private async invokeBatch(
    reader: ShardReader,
    step: Extract<ShardStep, { kind: 'invoke' }>,
  ): Promise<void> {
    const { records, window } = step;
    const event = streamEvent(records, this.origin(reader), window && { window, state: step.state });
    const result = await this.deps.invoke(JSON.stringify(event));
    if (!result) {
      // Not invoked at all: no retry is used up; the records wait (until they expire).
      reader.notBeforeMs = Date.now() + NOT_INVOKED_RETRY_MS;
      return;
    }
    reader.lastInvocation = {
      requestId: result.requestId,
      functionError: result.functionError !== undefined,
    };
    const verdict = readResponse(records, outcomeOf(result), this.settings);
    this.deps.processed(verdict.kind === 'success' ? 'OK' : 'PROBLEM: Function call failed');
    if (verdict.kind === 'failure' && !result.functionError) {
      this.deps.note(`the batch from ${reader.id} counts as failed: ${verdict.reason}`);
    }
    if (window && verdict.kind !== 'failure') {
      reader.window = { ...window, state: verdict.state, terminateEarly: stateTooLarge(verdict.state) };
    }
    const decision = decide(records.length, verdict, reader.progress, this.settings);
    const discarded = decision.discard ? decision.discard.count : 0;
    const dropped = reader.buffer.splice(0, decision.done + discarded);
    reader.progress = decision.progress;
    reader.notBeforeMs = Date.now() + decision.delayMs;
    if (decision.discard) {
      await this.discard(
        reader,
        dropped.slice(decision.done),
        decision.discard.condition,
        decision.discard.invocations,
      );
    }
  }

  private async closeWindow(reader: ShardReader, open: OpenWindow): Promise<void> {
    const result = await this.deps.invoke(JSON.stringify(finalWindowEvent(open, this.origin(reader))));
    if (!result || result.functionError) {
      // Lambda holds the shard until the final invocation of a window succeeds.
      if (result) this.deps.processed('PROBLEM: Function call failed');
      reader.finalAttempts++;
      reader.notBeforeMs = Date.now() + (result ? retryDelayMs(reader.finalAttempts) : NOT_INVOKED_RETRY_MS);
      return;
    }
    this.deps.processed('OK');
    reader.finalAttempts = 0;
    // Ended early (state too large): the same window goes on with a fresh state.
    if (open.terminateEarly) reader.window = { startMs: open.startMs, endMs: open.endMs, state: {} };
    else {
      reader.window = undefined;
      reader.windowFloorMs = open.endMs;
    }
  }

  private async discard(
    reader: ShardReader,
    records: StreamRecord[],
    condition: DiscardCondition,
    invocations: number,
  ): Promise<void> {
    if (records.length === 0) return;
    const destination = this.def.onFailureDestination;
    const first = records[0]?.sequenceNumber;
    const last = records[records.length - 1]?.sequenceNumber;
    this.deps.note(
      `gave up ${records.length} record(s) of ${this.streamName}/${reader.id} (${first}…${last}): ${condition}${destination ? `; sent to ${destination}` : ''}`,
    );
    if (!destination) return;
    const document = discardRecord({
      records,
      origin: this.origin(reader),
      functionArn: this.deps.functionArn,
      condition,
      invocations,
      last: invocations > 0 ? reader.lastInvocation : undefined,
      now: new Date(),
      requestId: randomUUID(),
    });
    try {
      await sendToDestination(this.deps.clients, destination, document);
    } catch (err) {
      this.deps.note(`could not send the discarded batch to ${destination}: ${(err as Error).message}`);
    }
  }
}

function outcomeOf(result: InvokeResult): InvocationOutcome {
  if (result.functionError) return { functionError: true };
  try {
    return { functionError: false, response: JSON.parse(result.payload) };
  } catch {
    return { functionError: false, response: undefined };
  }
}
