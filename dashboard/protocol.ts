/**
 * What the dashboard's server tells its page (Server-Sent Events, one JSON object per event).
 * Shared by both sides, so the page and the server agree on the shapes.
 */
import type { UnicornAggregate, UnicornStatus } from '../contracts/telemetry.ts';
import type { DashboardAlert } from './alerts.ts';

/**
 * How one source reads: `ok`, `empty` (there, with nothing in it yet), `missing` (not deployed),
 * `unreachable` (the local cloud is stopped, or no network), `error` (anything else, e.g. credentials),
 * `checking` (not read yet).
 */
export type SourceState = 'ok' | 'empty' | 'missing' | 'unreachable' | 'error' | 'checking';

/** One source's state, with the sentence the page shows and the command that fixes it. */
export interface SourceStatus {
  state: SourceState;
  message: string;
  /** e.g. `npm run deploy -- 2`. */
  fix?: string;
}

/** Where the dashboard reads, and how each source reads. */
export interface DashboardStatus {
  target: 'local' | 'aws';
  /** e.g. "the local cloud at http://127.0.0.1:4566". */
  where: string;
  raw: SourceStatus;
  table: SourceStatus;
  alerts: SourceStatus;
  /** `topic`: the alert topic's emails (local outbox); `derived`: computed from the raw stream. */
  alertsFrom: 'topic' | 'derived';
  threshold: number;
}

/** One event from the server. */
export type DashboardEvent =
  | {
      /** The first event of a connection: everything kept so far. */
      type: 'hello';
      status: DashboardStatus;
      statuses: UnicornStatus[];
      aggregates: UnicornAggregate[];
      alerts: DashboardAlert[];
    }
  /** New raw records, in stream order. */
  | { type: 'raw'; statuses: UnicornStatus[] }
  /** Table rows that are new or changed. */
  | { type: 'aggregates'; rows: UnicornAggregate[] }
  /** Alerts sent since the last event. */
  | { type: 'alerts'; alerts: DashboardAlert[] }
  | { type: 'status'; status: DashboardStatus }
  /** The local cloud restarted empty (a new stream): forget everything shown. */
  | { type: 'reset' };
