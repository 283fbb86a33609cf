import { attendeeProblem } from '../contracts/attendee.ts';
import type { HandlerVariant } from './constructs/workshop-function.ts';

/** Lambda's longest tumbling window, which modules 3 and 5 use. */
export const MAX_WINDOW_SECONDS = 900;

/** The most shards the workshop's streams take (`shards`): each shard bills by the hour on AWS. */
export const MAX_SHARDS = 100;

/** CDK context the workshop app reads (`-c key=value`, or CDK_CONTEXT_JSON from the local deployer). */
export interface WorkshopContext {
  /** Module ids deployed with the solution handlers (catch-up); the others get the starters. */
  solutions: Set<number>;
  /** Tumbling window of the aggregation and alerting functions (60 s; tests use 2 s). */
  windowSeconds: number;
  /** Where module 1's alarms and the extra credit's alerts are emailed. */
  email: string;
  /**
   * Shards of each stream, `wildrydes` and `wildrydes-aggregated` (1; `-c shards=10`): each takes
   * 1,000 records/s and 1 MiB/s of writes, and Lambda reads each one in parallel.
   */
  shards: number;
  /**
   * One attendee of a shared account (`-c attendee=ada`): every stack and physical name starts
   * with `ada-`. None by default: the names are the workshop's own.
   */
  attendee?: string;
}

/** Reads the context values, with defaults; bad values fail synth with a message naming the key. */
export function readContext(get: (key: string) => unknown): WorkshopContext {
  const solutions = String(get('solutions') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const id = Number(s);
      if (!Number.isInteger(id) || id < 1)
        throw new Error(`context 'solutions' must list module numbers, got '${s}'`);
      return id;
    });
  const windowSeconds = Number(get('windowSeconds') ?? 60);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
    throw new Error(
      `context 'windowSeconds' must be a whole number of seconds from 1 to ${MAX_WINDOW_SECONDS} (Lambda's limit)`,
    );
  }
  const email = String(get('email') ?? 'instructor@example.com');
  return {
    solutions: new Set(solutions),
    windowSeconds,
    email,
    shards: readShards(get('shards')),
    attendee: readAttendee(get('attendee')),
  };
}

/** The `shards` context value, 1 by default; anything but a whole number in range fails synth. */
export function readShards(value: unknown): number {
  const shards = Number(value ?? 1);
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new Error(
      `context 'shards' must be a whole number of shards from 1 to ${MAX_SHARDS}, got '${value}'`,
    );
  }
  return shards;
}

/** The `attendee` context value: none when unset or empty; a name AWS cannot take fails synth. */
export function readAttendee(value: unknown): string | undefined {
  const attendee = String(value ?? '').trim();
  if (!attendee) return undefined;
  const problem = attendeeProblem(attendee);
  if (problem) throw new Error(`context 'attendee' cannot prefix AWS names, got '${attendee}': ${problem}`);
  return attendee;
}

export const variantOf = (ctx: WorkshopContext, moduleId: number): HandlerVariant =>
  ctx.solutions.has(moduleId) ? 'solution' : 'starter';
