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

/** Starts sending whatever is pushed, one `PutRecords` call at a time. */
export function startPump(sender: Sender): Pump {
  let finishing = false;
  let wake: (() => void) | undefined;
  const nudge = () => {
    wake?.();
    wake = undefined;
  };
  const done = (async () => {
    for (;;) {
      if (sender.pending > 0) await sender.sendNext();
      else if (finishing) return;
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
