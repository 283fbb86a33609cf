/**
 * What attendees send the board, and how the board checks it before it believes a word: the room
 * code, the join and report bodies, their size limits. Pure: no I/O, so the rules are tested alone.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';

/** Bodies are a few hundred bytes; anything past this is not an attendee's report. */
export const MAX_BODY_BYTES = 16 * 1024;
/** A name is shown in a table cell: a first name or a nickname, not an essay. */
export const MAX_NAME_LENGTH = 40;
/** A step title as the checks word it; longer ones are cut, not refused. */
export const MAX_STEP_LENGTH = 200;
/** Rooms hold 30–100 attendees; the board refuses joins past this (`npm run room -- --max-attendees`). */
export const DEFAULT_MAX_ATTENDEES = 200;

/** The commands that report to the board. */
export const COMMANDS = ['join', 'check', 'catchup', 'status'] as const;
export type RoomCommand = (typeof COMMANDS)[number];

/** POST /api/join */
export interface JoinRequest {
  name: string;
  /** The id a previous join gave, to keep one's row when joining again. */
  attendee?: string;
}

/** One module's latest check, as the attendee's `.wildrydes/progress.json` holds it. */
export interface ModuleResult {
  passed: boolean;
  failedStep?: string;
}

/** POST /api/report: what a command that just finished tells the board. */
export interface Report {
  attendee: string;
  name: string;
  command: RoomCommand;
  /** The module a check or catch-up was about (its key: `module3`, `extra`). */
  module?: string;
  /** A check's result. */
  passed?: boolean;
  /** A failed check's first failing step. */
  failedStep?: string;
  /** The latest result of every module checked so far. */
  progress: Record<string, ModuleResult>;
  /** Modules deployed with the solutions (`npm run catchup -- N`). */
  caughtUp: number[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

// No 0/O or 1/I/L: a code read off a projector is typed right the first time.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A new room code: 12 characters (about 59 bits) in three groups, e.g. `K7QM-2XPD-9TRA`. */
export function generateRoomCode(): string {
  const chars = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** A code as typed (`k7qm 2xpd-9tra`) to its canonical form: upper case, no separators. */
export const normalizeCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

/** Checks a code the instructor chose (`npm run room -- --code …`). */
export function parseRoomCode(code: string): Parsed<string> {
  const canonical = normalizeCode(code);
  if (!/^[A-Z0-9]{8,64}$/.test(canonical)) {
    return {
      ok: false,
      error: `a room code is 8 to 64 letters and digits (dashes allowed), e.g. K7QM-2XPD-9TRA (got '${code.slice(0, 80)}')`,
    };
  }
  return { ok: true, value: code.trim() };
}

/** Whether `given` is the room's code, compared in constant time. */
export function codeMatches(given: string, code: string): boolean {
  const a = Buffer.from(normalizeCode(given));
  const b = Buffer.from(normalizeCode(code));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The room code an HTTP request carries (`Authorization: Bearer <code>`), if any. */
export const bearerCode = (authorization: string | undefined): string | undefined =>
  /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() || undefined;

// Control characters (and the line and paragraph separators) have no place in a table cell.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** A chosen name, trimmed: any printable text up to MAX_NAME_LENGTH characters. */
export function parseName(name: unknown): Parsed<string> {
  if (typeof name !== 'string' || name.trim() === '') {
    return { ok: false, error: 'a name is required, e.g. --name Ada' };
  }
  const trimmed = name.trim();
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    return { ok: false, error: `a name is at most ${MAX_NAME_LENGTH} characters` };
  }
  if (CONTROL.test(trimmed)) return { ok: false, error: 'a name cannot hold control characters' };
  return { ok: true, value: trimmed };
}

const ATTENDEE_ID = /^[A-Za-z0-9_-]{8,64}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stepText = (step: unknown): string | undefined =>
  typeof step === 'string' && step.trim() !== ''
    ? [...step.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim()].slice(0, MAX_STEP_LENGTH).join('')
    : undefined;

export function parseJoin(body: unknown): Parsed<JoinRequest> {
  if (!isRecord(body)) return { ok: false, error: 'the body must be a JSON object: {"name": "Ada"}' };
  const name = parseName(body.name);
  if (!name.ok) return name;
  if (
    body.attendee !== undefined &&
    (typeof body.attendee !== 'string' || !ATTENDEE_ID.test(body.attendee))
  ) {
    return { ok: false, error: 'attendee must be the id the board gave at join' };
  }
  return { ok: true, value: { name: name.value, attendee: body.attendee as string | undefined } };
}

/**
 * Checks a report against the room's modules (`moduleKeys`, in order; ids 1..n). Results for
 * modules this board does not know (an attendee on another version) are dropped, not refused.
 */
export function parseReport(body: unknown, moduleKeys: readonly string[]): Parsed<Report> {
  if (!isRecord(body)) return { ok: false, error: 'the body must be a JSON object' };
  if (typeof body.attendee !== 'string' || !ATTENDEE_ID.test(body.attendee)) {
    return { ok: false, error: 'attendee must be the id the board gave at join: run `npm run join` again' };
  }
  const name = parseName(body.name);
  if (!name.ok) return name;
  if (!COMMANDS.includes(body.command as RoomCommand)) {
    return { ok: false, error: `command must be one of ${COMMANDS.join(', ')}` };
  }
  const command = body.command as RoomCommand;
  if (body.module !== undefined && !moduleKeys.includes(body.module as string)) {
    return { ok: false, error: `module must be one of ${moduleKeys.join(', ')}` };
  }
  if (command === 'check' && (body.module === undefined || typeof body.passed !== 'boolean')) {
    return { ok: false, error: 'a check report names its module and whether it passed' };
  }
  if (body.passed !== undefined && typeof body.passed !== 'boolean') {
    return { ok: false, error: 'passed must be true or false' };
  }
  const progress: Record<string, ModuleResult> = {};
  if (body.progress !== undefined && !isRecord(body.progress)) {
    return { ok: false, error: 'progress must be an object of module results' };
  }
  for (const [key, result] of Object.entries(body.progress ?? {})) {
    if (!moduleKeys.includes(key) || !isRecord(result) || typeof result.passed !== 'boolean') continue;
    const failedStep = result.passed ? undefined : stepText(result.failedStep);
    progress[key] = { passed: result.passed, ...(failedStep ? { failedStep } : {}) };
  }
  const caughtUp = Array.isArray(body.caughtUp)
    ? [...new Set(body.caughtUp)].filter(
        (id): id is number =>
          Number.isInteger(id) && (id as number) >= 1 && (id as number) <= moduleKeys.length,
      )
    : [];
  const failedStep = body.passed === false ? stepText(body.failedStep) : undefined;
  return {
    ok: true,
    value: {
      attendee: body.attendee,
      name: name.value,
      command,
      ...(body.module !== undefined ? { module: body.module as string } : {}),
      ...(typeof body.passed === 'boolean' ? { passed: body.passed } : {}),
      ...(failedStep ? { failedStep } : {}),
      progress,
      caughtUp: caughtUp.sort((a, b) => a - b),
    },
  };
}
