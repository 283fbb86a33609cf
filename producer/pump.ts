/** Runs a sender in the background while records are generated, and drains it at the end. */
import type { PutEntry } from './batch.ts';
import type { Sender } from './sender.ts';

/** A running pump. */
export interface Pump {
  /** Queues records and wakes the pump. */
  push(entries: readonly PutEntry[]): void;
  /** No more records will come: resolves once every record is sent or counted as failed. */
  finish(): Promise<void>;
  /** Settles when the pump stops: rejects with the error that stopped it (e.g. the stream vanished). */
  readonly done: Promise<void>;
}

/**
 * Starts sending whatever is pushed, one `PutRecords` call at a time. A call that throws stops
 * the pump, unless `recover` resolves (it waited the trouble out: the batch is sent again).
 */
export function startPump(sender: Sender, recover?: (err: unknown) => Promise<void>): Pump {
  let finishing = false;
  let wake: (() => void) | undefined;
  const nudge = () => {
    wake?.();
    wake = undefined;
  };
  const done = (async () => {
    for (;;) {
      if (sender.pending > 0) {
        try {
          await sender.sendNext();
        } catch (err) {
          if (!recover) throw err;
          await recover(err);
        }
      } else if (finishing) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  })();
  // The caller learns of a failure from `done` or `finish()`; never an unhandled rejection.
  done.catch(() => {});
  return {
    push(entries) {
      sender.enqueue(entries);
      nudge();
    },
    finish() {
      finishing = true;
      nudge();
      return done;
    },
    done,
  };
}
