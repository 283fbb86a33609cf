/** The sentences the page shows for each source: what is missing, and what to run. Pure. */
import { namesFor } from '../contracts/attendee.ts';
import { MAGIC_THRESHOLD } from '../contracts/threshold.ts';
import { currentAttendee } from '../core/attendee.ts';
import type { DashboardStatus, SourceState, SourceStatus } from './protocol.ts';

/** The attendee's stream, table and topic (`--attendee`, chosen by the CLI), else the workshop's. */
const names = namesFor(currentAttendee());

/** How one source read last, and why not when it could not. */
export interface SourceRead {
  state: SourceState;
  reason?: string;
}

/** How each source read last. */
export interface SourceReads {
  raw: SourceRead;
  table: SourceRead;
  alerts: SourceRead;
}

/** The status the page shows, from how each source read. */
export function describeStatus(
  target: 'local' | 'aws',
  where: string,
  reads: SourceReads,
  alertsFrom: 'topic' | 'derived',
): DashboardStatus {
  const aws = target === 'aws' ? ' --target aws' : '';
  const checking: SourceStatus = { state: 'checking', message: `Reading ${where}…` };
  const down = (reason?: string): SourceStatus =>
    target === 'local'
      ? {
          state: 'unreachable',
          message: `The local cloud is stopped: nothing answers at ${where.replace(/^the local cloud at /, '')}.`,
          fix: 'npm start',
        }
      : { state: 'unreachable', message: `AWS cannot be reached${reason ? ` (${reason})` : ''}.` };
  const failed = (reason?: string): SourceStatus => ({ state: 'error', message: reason ?? 'unknown error' });

  /** The states every source words the same way; undefined for the ones it words itself. */
  const shared = ({ state, reason }: SourceRead): SourceStatus | undefined =>
    state === 'checking'
      ? checking
      : state === 'unreachable'
        ? down(reason)
        : state === 'error'
          ? failed(reason)
          : undefined;

  const rawStatus = (state: SourceState): SourceStatus => {
    if (state === 'missing')
      return {
        state,
        message: `The stream \`${names.rawStream}\` does not exist: module 2 is not deployed.`,
        fix: `npm run deploy -- 2${aws}`,
      };
    if (state === 'empty')
      return {
        state,
        message: `No data yet: the stream \`${names.rawStream}\` has no unicorn records.`,
        fix: `npm run producer -- --name Shadowfax --duration 60${aws ? ' --region <your region>' : ''}`,
      };
    return { state, message: `Reading the stream \`${names.rawStream}\` (GetRecords, its own iterators).` };
  };

  const tableStatus = (state: SourceState): SourceStatus => {
    if (state === 'missing')
      return {
        state,
        message: `The table \`${names.table}\` does not exist: module 4 is not deployed.`,
        fix: `npm run deploy -- 4${aws}`,
      };
    if (state === 'empty')
      return {
        state,
        message: `No windows in \`${names.table}\` yet: a row appears when a window closes and module 4 writes it.`,
      };
    return { state, message: `Querying \`${names.table}\` (DynamoDB Query by Name).` };
  };

  const alertsStatus = (state: SourceState): SourceStatus => {
    const source =
      alertsFrom === 'topic'
        ? `the emails the topic \`${names.alertTopic}\` sent (the local outbox, \`npm run outbox\`)`
        : `derived here from the raw stream (magic points below ${MAGIC_THRESHOLD}, one per unicorn per minute), not read from the topic: its emails go to your inbox`;
    if (state === 'empty')
      return {
        state,
        message: `No alert yet: alerts are ${source}. One is sent when a unicorn's magic points fall below ${MAGIC_THRESHOLD}.`,
      };
    return { state, message: `Alerts: ${source}.` };
  };

  return {
    target,
    where,
    raw: shared(reads.raw) ?? rawStatus(reads.raw.state),
    table: shared(reads.table) ?? tableStatus(reads.table.state),
    alerts: shared(reads.alerts) ?? alertsStatus(reads.alerts.state),
    alertsFrom,
    threshold: MAGIC_THRESHOLD,
  };
}
