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
 * Starts sending whatever is pushed: each of the sender's lanes makes one `PutRecords` call at a
 * time, the lanes side by side. A call that throws stops every lane, unless `recover` resolves
 * (it waited the trouble out: the batch is sent again). Lanes that fail while one of them is
 * recovering wait for that recovery rather than starting their own.
 */
export function startPump(sender: Sender, recover?: (err: unknown) => Promise<void>): Pump {
  let finishing = false;
  let stopped = false;
  let waiters: (() => void)[] = [];
  const nudge = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  let recovering: Promise<void> | undefined;
  /** Recoveries finished so far: a call that failed during one is just sent again. */
  let recoveries = 0;
  const recoverFrom = async (err: unknown, recoveriesBefore: number) => {
    if (!recover) throw err;
    if (recovering) return recovering;
    if (recoveries !== recoveriesBefore) return;
    recovering = recover(err).finally(() => {
      recoveries++;
      recovering = undefined;
    });
    return recovering;
  };
  const lane = async (index: number) => {
    try {
      while (!stopped) {
        if (sender.waiting(index) > 0) {
          const before = recoveries;
          try {
            await sender.sendNext(index);
          } catch (err) {
            await recoverFrom(err, before);
          }
        } else if (finishing) return;
        else await new Promise<void>((resolve) => waiters.push(resolve));
      }
    } catch (err) {
      stopped = true;
      nudge();
      throw err;
    }
  };
  const done = Promise.allSettled(Array.from({ length: sender.lanes }, (_, i) => lane(i))).then((results) => {
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  });
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
