import { ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import type { EventSourceMappingDefinition } from '../../types.ts';
import { streamArn } from '../arn.ts';
import { type ShardContext, ShardReader, type ShardResume } from './kinesis-shard.ts';
import { streamSettings } from './mapping-settings.ts';
import type { PollerDeps } from './poller-deps.ts';

export type { ShardResume } from './kinesis-shard.ts';

/** New shards (after a reshard) are looked for this often. */
const SHARD_REFRESH_MS = 1000;

const errorName = (err: unknown) => (err as { name?: string })?.name ?? '';

/**
 * Reads a Kinesis stream for one event source mapping, as Lambda does: every shard on its own
 * (`ShardReader`), in order, one batch in flight per shard; the shard list is refreshed every
 * second, and a shard found after the start is new, so it is read from its start.
 */
export class KinesisPoller {
  private readonly shards = new Map<string, ShardReader>();
  private readonly loops = new Set<Promise<void>>();
  private readonly ctx: ShardContext;
  private running = false;
  private discovery?: Promise<void>;
  private wake: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.wake = resolve;
  });

  constructor(
    private readonly def: EventSourceMappingDefinition,
    streamName: string,
    deps: PollerDeps,
    private readonly resume = new Map<string, ShardResume>(),
  ) {
    this.ctx = {
      def,
      settings: streamSettings(def),
      streamName,
      streamArn: streamArn(streamName),
      deps,
      running: () => this.running,
      sleep: (ms) => this.sleep(ms),
      parentPending: (id) => this.shards.get(id)?.finished === false,
    };
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

  /**
   * Whether every shard has caught up: nothing buffered (waiting for an invocation or a retry), no
   * window open, and everything that arrived before `sinceMs` read.
   */
  caughtUp(sinceMs: number): boolean {
    return [...this.shards.values()].every(
      (r) => r.finished || (r.buffer.length === 0 && !r.window && r.fetchedThroughMs >= sinceMs),
    );
  }

  /** Each shard's position, for a poller that takes over (an updated mapping). */
  snapshot(): Map<string, ShardResume> {
    return new Map([...this.shards].map(([id, reader]) => [id, reader.snapshot()]));
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
        if (errorName(err) !== 'ResourceNotFoundException') return;
        // The stream is gone: forget its shards, so a stream created again is read from its start.
        for (const reader of this.shards.values()) reader.finished = true;
        this.shards.clear();
      });
    }
  }

  private async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let token: string | undefined;
    do {
      const out = await this.ctx.deps.clients.kinesis.send(
        new ListShardsCommand(token ? { NextToken: token } : { StreamName: this.ctx.streamName }),
      );
      shards.push(...(out.Shards ?? []));
      token = out.NextToken;
    } while (token);
    return shards;
  }

  /** Starts a reader for each shard not seen before. */
  private async refreshShards(initial: boolean): Promise<void> {
    const { def } = this;
    const fresh: ShardReader[] = [];
    for (const shard of await this.listShards()) {
      const id = shard.ShardId;
      if (!id || this.shards.has(id)) continue;
      const resume = this.resume.get(id);
      const reader = new ShardReader(id, this.ctx, {
        parentId: shard.ParentShardId,
        initial: initial && def.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        skipBeforeMs:
          initial && !resume && def.startingPosition === 'AT_TIMESTAMP'
            ? (def.startingPositionTimestamp ?? 0) * 1000
            : undefined,
        resume,
      });
      this.shards.set(id, reader);
      fresh.push(reader);
    }
    // LATEST means "from when the mapping started": take the positions before start() returns.
    await Promise.all(fresh.map((r) => r.position().catch(() => undefined)));
    for (const reader of fresh) {
      const loop: Promise<void> = reader.run().finally(() => this.loops.delete(loop));
      this.loops.add(loop);
    }
  }
}
