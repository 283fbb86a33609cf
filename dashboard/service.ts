import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { namesFor } from '../contracts/attendee.ts';
import { currentAttendee } from '../core/attendee.ts';
import type { TargetConfig } from '../core/target.ts';
import { AlertDeriver, type DashboardAlert } from './alerts.ts';
import { Tracks, Windows } from './model.ts';
import type { DashboardEvent, DashboardStatus } from './protocol.ts';
import { OutboxReader } from './readers/outbox.ts';
import { RawStreamReader } from './readers/raw-stream.ts';
import { TableReader } from './readers/table.ts';
import { describeStatus, type SourceReads } from './status.ts';

/** The attendee's stream, table and topic (`--attendee`, chosen by the CLI), else the workshop's. */
const names = namesFor(currentAttendee());

/** Options of the dashboard's server side. */
export interface DashboardOptions {
  target: TargetConfig;
  /** The local cloud's outbox (local target): the alert topic's emails. Without it, alerts are derived. */
  outboxFile?: string;
  /** Pause between reads of the stream (AWS allows 5 GetRecords a second per shard, shared). */
  rawIntervalMs?: number;
  /** Pause between rounds of table queries. */
  tableIntervalMs?: number;
}

/** Alerts kept for a new page. */
const ALERTS_KEPT = 200;
/** Readers stop this long after the last page closed (a reload should not start from scratch). */
const IDLE_STOP_MS = 30_000;

/**
 * The dashboard's server side: reads the stream, the table and the alerts while a page watches,
 * keeps what a new page needs, and tells every page what changed.
 */
export class Dashboard {
  readonly #listeners = new Set<(event: DashboardEvent) => void>();
  readonly #tracks = new Tracks();
  readonly #windows = new Windows();
  readonly #alerts: DashboardAlert[] = [];
  readonly #deriver = new AlertDeriver();
  readonly #raw: RawStreamReader;
  readonly #table: TableReader;
  readonly #outbox?: OutboxReader;
  readonly #opts: Required<Omit<DashboardOptions, 'outboxFile'>> & { outboxFile?: string };
  #reads: SourceReads = {
    raw: { state: 'checking' },
    table: { state: 'checking' },
    alerts: { state: 'checking' },
  };
  #status: DashboardStatus;
  #running = false;
  /** Which start a loop belongs to: a loop of an earlier start ends, even if running again. */
  #generation = 0;
  #idleTimer?: NodeJS.Timeout;
  /** Unicorns that moved since the table was last read: their windows are queried first. */
  #moved = new Set<string>();

  constructor(opts: DashboardOptions) {
    this.#opts = { rawIntervalMs: 500, tableIntervalMs: 1_000, ...opts };
    const { clientConfig } = opts.target;
    // Short timeouts: a stopped local cloud should read as stopped within a second or two.
    const requestHandler = new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 5_000 });
    const sdk = { ...clientConfig, requestHandler, maxAttempts: 1 };
    const where = { endpoint: clientConfig.endpoint, region: clientConfig.region };
    const pagesPerPoll = opts.target.target === 'aws' ? 1 : 10;
    this.#raw = new RawStreamReader(new KinesisClient(sdk), names.rawStream, where, pagesPerPoll);
    this.#table = new TableReader(new DynamoDBClient(sdk), names.table, where);
    if (opts.outboxFile) this.#outbox = new OutboxReader(opts.outboxFile, names.alertTopic);
    this.#status = this.#describe();
  }

  /** What a new page is sent first. */
  snapshot(): Extract<DashboardEvent, { type: 'hello' }> {
    return {
      type: 'hello',
      status: this.#status,
      statuses: this.#tracks.toStatuses(),
      aggregates: this.#windows.all(),
      alerts: [...this.#alerts],
    };
  }

  /** Listens to every change; the readers run while anyone listens. Returns the unsubscribe. */
  subscribe(listener: (event: DashboardEvent) => void): () => void {
    this.#listeners.add(listener);
    clearTimeout(this.#idleTimer);
    if (!this.#running) this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#idleTimer = setTimeout(() => this.stop(), IDLE_STOP_MS);
    };
  }

  /** Stops the readers (the next subscriber starts them again). */
  stop(): void {
    clearTimeout(this.#idleTimer);
    this.#running = false;
  }

  #start(): void {
    this.#running = true;
    const generation = ++this.#generation;
    void this.#loop(generation, () => this.#readRaw(), this.#opts.rawIntervalMs);
    void this.#loop(generation, () => this.#readTable(), this.#opts.tableIntervalMs);
  }

  async #loop(generation: number, step: () => Promise<void>, intervalMs: number): Promise<void> {
    while (this.#running && generation === this.#generation) {
      const started = Date.now();
      try {
        await step();
      } catch (err) {
        // A bug in a reader must not stop the page's updates; it is logged once per round.
        console.error(`dashboard: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, Math.max(50, intervalMs - (Date.now() - started))));
    }
  }

  async #readRaw(): Promise<void> {
    const read = await this.#raw.poll();
    if (read.reset) this.#reset();
    this.#reads.raw = { state: read.state, reason: read.reason };
    if (read.statuses.length > 0) {
      for (const name of this.#tracks.add(read.statuses)) this.#moved.add(name);
      this.#emit({ type: 'raw', statuses: read.statuses });
      if (!this.#outbox) this.#addAlerts(this.#deriver.add(read.statuses));
    }
    if (this.#outbox) {
      const { alerts, reset } = await this.#outbox.poll();
      if (reset) this.#alerts.length = 0;
      this.#addAlerts(alerts);
    }
    // A stopped local cloud stops the functions too: the alerts read as the stream does then.
    const alertsDown = read.state === 'unreachable' || read.state === 'error';
    this.#reads.alerts = alertsDown ? this.#reads.raw : { state: this.#alerts.length > 0 ? 'ok' : 'empty' };
    this.#updateStatus();
  }

  async #readTable(): Promise<void> {
    const first = [...this.#moved];
    this.#moved.clear();
    const read = await this.#table.poll(this.#tracks.names(), first);
    this.#reads.table = { state: read.state, reason: read.reason };
    const changed = this.#windows.upsert(read.rows);
    if (changed.length > 0) this.#emit({ type: 'aggregates', rows: changed });
    this.#updateStatus();
  }

  #addAlerts(alerts: DashboardAlert[]): void {
    if (alerts.length === 0) return;
    this.#alerts.push(...alerts);
    if (this.#alerts.length > ALERTS_KEPT) this.#alerts.splice(0, this.#alerts.length - ALERTS_KEPT);
    this.#emit({ type: 'alerts', alerts });
  }

  #reset(): void {
    this.#tracks.clear();
    this.#windows.clear();
    this.#deriver.clear();
    if (!this.#outbox) this.#alerts.length = 0;
    this.#emit({ type: 'reset' });
  }

  #describe(): DashboardStatus {
    const { target, describe } = this.#opts.target;
    return describeStatus(target, describe, this.#reads, this.#outbox ? 'topic' : 'derived');
  }

  #updateStatus(): void {
    const next = this.#describe();
    if (JSON.stringify(next) === JSON.stringify(this.#status)) return;
    this.#status = next;
    this.#emit({ type: 'status', status: next });
  }

  #emit(event: DashboardEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
