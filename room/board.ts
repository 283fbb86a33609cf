/**
 * The room as the board knows it: who joined, and from their reports which module each one is
 * on, whether its check fails (and at which step), since when, and who caught up. No I/O and no
 * clock of its own (`now` is passed in), so every rule here is tested without a server.
 */
import { randomUUID } from 'node:crypto';
import type { ModuleResult, Report } from './protocol.ts';

/** A module of the curriculum, as the board shows it. */
export interface ModuleInfo {
  id: number;
  key: string;
  title: string;
}

/** The latest check an attendee ran. */
export interface LastCheck {
  module: string;
  passed: boolean;
  failedStep?: string;
  /** Board time (ms) the report came. */
  at: number;
}

interface Attendee {
  id: string;
  name: string;
  joinedAt: number;
  lastSeen: number;
  lastCommand: string;
  progress: Record<string, ModuleResult>;
  caughtUp: number[];
  lastCheck?: LastCheck;
  /** Module key → board time its check first failed, since it last passed. */
  failingSince: Record<string, number>;
}

/** `stuck`: the check of the module they are on fails; `working`: not checked yet; `done`: all passed. */
export type AttendeeState = 'working' | 'stuck' | 'done';

/** One row of the board. */
export interface AttendeeRow {
  id: string;
  name: string;
  /** The module they are on (its key), or null when every module is done. */
  module: string | null;
  state: AttendeeState;
  /** The first failing step of that module's latest check. */
  failedStep?: string;
  /** Board time (ms) since which that module's check has failed. */
  stuckSince?: number;
  lastCheck?: LastCheck;
  /** Module ids they caught up (deployed with the solutions). */
  caughtUp: number[];
  /** Modules passed or caught up. */
  done: number;
  joinedAt: number;
  lastSeen: number;
  lastCommand: string;
}

/** What the page draws: the board's clock, the modules, and one row per attendee. */
export interface BoardSnapshot {
  now: number;
  modules: ModuleInfo[];
  attendees: AttendeeRow[];
  maxAttendees: number;
}

/** A refusal the server answers with `status` and `{ error }`. */
export interface Refusal {
  status: number;
  error: string;
}

const isDone = (a: Pick<Attendee, 'progress' | 'caughtUp'>, m: ModuleInfo) =>
  a.progress[m.key]?.passed === true || a.caughtUp.includes(m.id);

/**
 * The module an attendee is on: the one whose check they just failed (if not done since);
 * otherwise the first one not done after the furthest one done; otherwise the first not done.
 */
export function currentModule(
  modules: readonly ModuleInfo[],
  a: Pick<Attendee, 'progress' | 'caughtUp' | 'lastCheck'>,
): ModuleInfo | undefined {
  const failed = a.lastCheck && !a.lastCheck.passed && modules.find((m) => m.key === a.lastCheck?.module);
  if (failed && !isDone(a, failed)) return failed;
  const furthest = Math.max(0, ...modules.filter((m) => isDone(a, m)).map((m) => m.id));
  return modules.find((m) => m.id > furthest && !isDone(a, m)) ?? modules.find((m) => !isDone(a, m));
}

/** An attendee's row, at board time `now`. */
export function rowOf(modules: readonly ModuleInfo[], a: Attendee): AttendeeRow {
  const on = currentModule(modules, a);
  const result = on ? a.progress[on.key] : undefined;
  const stuck = result?.passed === false;
  return {
    id: a.id,
    name: a.name,
    module: on?.key ?? null,
    state: on === undefined ? 'done' : stuck ? 'stuck' : 'working',
    ...(stuck && result.failedStep ? { failedStep: result.failedStep } : {}),
    ...(stuck && on && a.failingSince[on.key] !== undefined ? { stuckSince: a.failingSince[on.key] } : {}),
    ...(a.lastCheck ? { lastCheck: a.lastCheck } : {}),
    caughtUp: a.caughtUp,
    done: modules.filter((m) => isDone(a, m)).length,
    joinedAt: a.joinedAt,
    lastSeen: a.lastSeen,
    lastCommand: a.lastCommand,
  };
}

const STATE_ORDER: Record<AttendeeState, number> = { stuck: 0, working: 1, done: 2 };

/** Stuck first, the longest stuck on top; then the furthest behind; then by name. */
export function sortRows(rows: AttendeeRow[], modules: readonly ModuleInfo[]): AttendeeRow[] {
  const position = (row: AttendeeRow) => modules.findIndex((m) => m.key === row.module);
  return [...rows].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      (a.stuckSince ?? 0) - (b.stuckSince ?? 0) ||
      position(a) - position(b) ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
}

/** The attendees of one room, in memory (the board's lifetime is the workshop's). */
export class Room {
  private readonly attendees = new Map<string, Attendee>();

  constructor(
    readonly modules: readonly ModuleInfo[],
    readonly maxAttendees: number,
  ) {}

  get size(): number {
    return this.attendees.size;
  }

  /** Admits `name` (again, with its id), or says why not. */
  join(name: string, now: number, attendee?: string): { attendee: string } | Refusal {
    const known = attendee ? this.attendees.get(attendee) : undefined;
    const refusal = this.admissible(name, known?.id);
    if (refusal) return refusal;
    const id = known?.id ?? attendee ?? randomUUID();
    this.attendees.set(id, {
      ...(known ?? { progress: {}, caughtUp: [], failingSince: {}, joinedAt: now }),
      id,
      name,
      lastSeen: now,
      lastCommand: 'join',
    });
    return { attendee: id };
  }

  /** Takes a report in (joining its sender if this board has not seen it: a board restarted with `--code`). */
  report(r: Report, now: number): { attendee: string } | Refusal {
    const known = this.attendees.get(r.attendee);
    if (!known) {
      const joined = this.join(r.name, now, r.attendee);
      if ('error' in joined) return joined;
    } else if (known.name !== r.name) {
      const refusal = this.admissible(r.name, known.id);
      if (refusal) return refusal;
    }
    const a = this.attendees.get(r.attendee) as Attendee;
    a.name = r.name;
    a.lastSeen = now;
    a.lastCommand = r.command;
    a.caughtUp = r.caughtUp;
    a.progress = { ...r.progress };
    if (r.command === 'check' && r.module !== undefined && r.passed !== undefined) {
      // The check's own result wins over the snapshot (they agree, unless progress.json is broken).
      a.progress[r.module] = { passed: r.passed, ...(r.failedStep ? { failedStep: r.failedStep } : {}) };
      a.lastCheck = {
        module: r.module,
        passed: r.passed,
        ...(r.failedStep ? { failedStep: r.failedStep } : {}),
        at: now,
      };
    }
    for (const m of this.modules) {
      if (a.progress[m.key]?.passed === false && !a.caughtUp.includes(m.id)) a.failingSince[m.key] ??= now;
      else delete a.failingSince[m.key];
    }
    return { attendee: a.id };
  }

  snapshot(now: number): BoardSnapshot {
    const rows = [...this.attendees.values()].map((a) => rowOf(this.modules, a));
    return {
      now,
      modules: [...this.modules],
      attendees: sortRows(rows, this.modules),
      maxAttendees: this.maxAttendees,
    };
  }

  /** Why `name` may not join as `self` (undefined: a new attendee), if it may not. */
  private admissible(name: string, self?: string): Refusal | undefined {
    const clash = [...this.attendees.values()].find(
      (a) => a.id !== self && a.name.toLowerCase() === name.toLowerCase(),
    );
    if (clash) {
      return {
        status: 409,
        error: `the name '${name}' is taken in this room: choose another one with --name`,
      };
    }
    if (self === undefined && this.attendees.size >= this.maxAttendees) {
      return {
        status: 429,
        error: `the room is full (${this.maxAttendees} attendees): ask the instructor to restart the board with --max-attendees`,
      };
    }
    return undefined;
  }
}
