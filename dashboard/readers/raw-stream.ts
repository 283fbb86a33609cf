import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { parseStatus, type UnicornStatus } from '../../contracts/telemetry.ts';
import type { SourceState } from '../protocol.ts';
import { classify } from './classify.ts';

/** What one read of the stream gave. */
export interface RawRead {
  state: SourceState;
  /** Why, when the state is not `ok` or `empty`. */
  reason?: string;
  statuses: UnicornStatus[];
  /** The stream is a new one (the local cloud restarted, the module was redeployed): forget the old. */
  reset: boolean;
}

interface ShardCursor {
  iterator?: string;
  /** The last sequence number read, to go on after an expired iterator. */
  after?: string;
}

/**
 * Reads a stream with its own shard iterators (GetRecords), from the trim horizon on: no
 * registered consumer, no checkpoint, nothing that moves a mapping's position, so the checks and
 * the attendee's functions see exactly what they would without the dashboard.
 */
export class RawStreamReader {
  #shards = new Map<string, ShardCursor>();
  /** Which stream the cursors belong to: its shards' ids and starting sequence numbers. */
  #identity = '';
  #seenAny = false;
  /** The last sequence number read per shard, kept across a failed read. */
  readonly #last = new Map<string, string>();

  constructor(
    private readonly kinesis: KinesisClient,
    readonly stream: string,
    private readonly where: { endpoint?: string; region?: string },
    /**
     * Pages read per shard per poll while behind: several on the local cloud, so a backlog is
     * caught up in a few polls; one on AWS, whose 5 reads a second per shard the mappings share.
     */
    private readonly pagesPerPoll = 10,
  ) {}

  /** Reads what arrived since the last poll. Never throws: a failure is a state. */
  async poll(): Promise<RawRead> {
    let reset = false;
    try {
      if (this.#shards.size === 0) reset = await this.#open();
      const statuses: UnicornStatus[] = [];
      for (const [shardId, cursor] of this.#shards) await this.#readShard(shardId, cursor, statuses);
      if (statuses.length > 0) this.#seenAny = true;
      return { state: this.#seenAny ? 'ok' : 'empty', statuses, reset };
    } catch (err) {
      // Start again from a listing: the stream may be gone, or back as a new one.
      this.#shards.clear();
      const { state, reason } = classify(err, this.where);
      return { state, reason, statuses: [], reset };
    }
  }

  /** Lists the shards; true when they are not those read before (a new stream). */
  async #open(): Promise<boolean> {
    const { Shards = [] } = await this.kinesis.send(new ListShardsCommand({ StreamName: this.stream }));
    const identity = Shards.map((s) => `${s.ShardId}@${s.SequenceNumberRange?.StartingSequenceNumber}`)
      .sort()
      .join(',');
    const replaced = identity !== this.#identity && this.#identity !== '';
    if (identity !== this.#identity) {
      this.#identity = identity;
      this.#seenAny = false;
      this.#last.clear();
    }
    // The same stream after a failed read goes on after the last record read of each shard.
    const shards = new Map<string, ShardCursor>();
    for (const s of Shards) if (s.ShardId) shards.set(s.ShardId, { after: this.#last.get(s.ShardId) });
    for (const [shardId, cursor] of shards) cursor.iterator = await this.#iterator(shardId, cursor.after);
    this.#shards = shards;
    return replaced;
  }

  async #iterator(shardId: string, after?: string): Promise<string | undefined> {
    const { ShardIterator } = await this.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.stream,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  async #readShard(shardId: string, cursor: ShardCursor, out: UnicornStatus[]): Promise<void> {
    for (let page = 0; page < this.pagesPerPoll && cursor.iterator; page++) {
      let result: GetRecordsCommandOutput;
      try {
        result = await this.kinesis.send(
          new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: 10_000 }),
        );
      } catch (err) {
        const name = (err as Error)?.name;
        // Throttled (AWS allows 5 reads a second per shard, shared with the mappings): next poll.
        if (name === 'ProvisionedThroughputExceededException') return;
        if (name !== 'ExpiredIteratorException') throw err;
        cursor.iterator = await this.#iterator(shardId, cursor.after);
        continue;
      }
      for (const record of result.Records ?? []) {
        const parsed = parseStatus(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'));
        // Anything else on the stream (a test record, a typo) is not a unicorn to draw.
        if (parsed.ok) out.push(parsed.value);
        cursor.after = record.SequenceNumber ?? cursor.after;
      }
      cursor.iterator = result.NextShardIterator;
      if (cursor.after) this.#last.set(shardId, cursor.after);
      if ((result.Records ?? []).length === 0 || (result.MillisBehindLatest ?? 0) === 0) return;
    }
  }
}
