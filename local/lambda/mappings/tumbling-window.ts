/**
 * Tumbling windows for Kinesis event source mappings, as Lambda documents them
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html): windows are
 * aligned on multiples of their length and a record belongs to the window of its arrival time;
 * `state` is carried from one invocation to the next within a window; once the window is over a
 * final invocation (`isFinalInvokeForWindow`, no records) hands the function the final state.
 */

/** A window: `[startMs, endMs)` in milliseconds since the epoch. */
export interface Window {
  startMs: number;
  endMs: number;
}

/** A window the shard has invoked the function for and not closed yet. */
export interface OpenWindow extends Window {
  state: unknown;
  /** The state grew past the limit: the next invocation ends the window early. */
  terminateEarly?: boolean;
}

/**
 * A state as the function returned it, kept as its JSON text: the mapping only carries it on
 * (and measures it), and the function's process usually holds it already (`WindowState`).
 */
export class StateText {
  constructor(readonly json: string) {}
}

/** The JSON text of a window state. */
export const stateJsonOf = (state: unknown): string =>
  state instanceof StateText ? state.json : (JSON.stringify(state) ?? 'null');

/** Lambda ends a window early when its state exceeds 1 MB. */
export const MAX_STATE_BYTES = 1024 * 1024;

/**
 * A record's window. `floorMs` is the end of the last window the shard closed: a record that
 * arrives late for a closed window joins the next one rather than reopening it.
 */
export function windowOf(arrivalMs: number, windowMs: number, floorMs = 0): Window {
  const startMs = Math.max(Math.floor(arrivalMs / windowMs) * windowMs, floorMs);
  return { startMs, endMs: startMs + windowMs };
}

/** A window as the event carries it: `{ start, end }`, ISO 8601 seconds in UTC, as AWS writes it. */
export function windowField(w: Window): { start: string; end: string } {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
  return { start: iso(w.startMs), end: iso(w.endMs) };
}

/** Whether a state returned by the function is over the size Lambda allows. */
export function stateTooLarge(state: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(state) ?? '') > MAX_STATE_BYTES;
}

/**
 * Whether the open window gets its final invocation now: when its state grew too large, when
 * the next record belongs to a later window, or when there is no next record and everything
 * that arrived before the window's end has been read (`fetchedThroughMs`).
 */
export function windowIsOver(
  open: OpenWindow,
  nextArrivalMs: number | undefined,
  fetchedThroughMs: number,
  windowMs: number,
): boolean {
  if (open.terminateEarly) return true;
  if (nextArrivalMs !== undefined)
    return windowOf(nextArrivalMs, windowMs, open.startMs).startMs > open.startMs;
  return fetchedThroughMs >= open.endMs;
}
