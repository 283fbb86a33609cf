/** Paces the fleet's ticks: `rate` ticks per real second, or as fast as possible for a dry run. */
import type { UnicornStatus } from '../contracts/telemetry.ts';
import type { Fleet } from './telemetry.ts';

/** How to run the fleet. */
export interface GenerateOptions {
  fleet: Fleet;
  /** Ticks (records per unicorn) per real second. */
  rate: number;
  /** How many ticks; `Infinity` runs until `signal` aborts. */
  ticks: number;
  /** Receives each tick's records; awaited, so it can push back (a full stdout, a long queue). */
  emit(records: UnicornStatus[]): void | Promise<void>;
  /** Stops generating (Ctrl-C). */
  signal: AbortSignal;
  /** False for a dry run: no waiting between ticks. */
  pace: boolean;
  /** Clock in ms (injected for tests). */
  now?: () => number;
  /** Waits `ms` or until `signal` aborts, whichever comes first (injected for tests). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Ticks the fleet until `ticks` are done or `signal` aborts; returns the number of ticks. Paced
 * ticks are scheduled from the start time (tick i at start + i/rate s), so the rate does not
 * drift when sending is slow for a while.
 */
export async function generate(opts: GenerateOptions): Promise<number> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const start = now();
  let done = 0;
  while (done < opts.ticks && !opts.signal.aborted) {
    if (opts.pace) {
      const wait = start + (done * 1000) / opts.rate - now();
      if (wait > 0) await sleep(wait, opts.signal);
    } else if (done % 64 === 63) {
      // A dry run never waits: let signals and stdout's events in now and then.
      await yieldToEventLoop();
    }
    if (opts.signal.aborted) break;
    await opts.emit(opts.fleet.tick(new Date(now())));
    done++;
  }
  return done;
}
