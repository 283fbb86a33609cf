import type { InvokeResult, WindowState } from '../runtime/host.ts';
import type { Clients } from './clients.ts';
import type { RecordPage } from './kinesis-reads.ts';

/** What a poller needs from the Lambda service. */
export interface PollerDeps {
  clients: Clients;
  /** `GetRecords` of a shard, the records' data left in base64 (see kinesis-reads.ts). */
  getRecords(iterator: string, limit: number): Promise<RecordPage>;
  functionArn: string;
  /** The function's role, the events' `invokeIdentityArn`. */
  roleArn(): string;
  /**
   * Invokes the mapping's function with an event (JSON text) of `records` records (for its log
   * line: counting them would parse the event again) and, with a tumbling window, its state;
   * `undefined` if the function does not exist.
   */
  invoke(event: string, records: number, windowState?: WindowState): Promise<InvokeResult | undefined>;
  /** After each invocation: `OK`, or why it was a problem (`LastProcessingResult`). */
  processed(result: string): void;
  /** Notes for the person running the local cloud (discarded records, unreachable destinations). */
  note(line: string): void;
  /** Fault injection: whether the open tumbling window ends early now, as if its state passed 1 MB. */
  endWindowEarly?(): boolean;
}
