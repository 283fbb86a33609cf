/**
 * Which attendee a command works for (`--attendee`, `WILDRYDES_ATTENDEE`, or the one remembered in
 * `.wildrydes/attendee`). The names themselves are in contracts/attendee.ts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The variable that names the attendee; the CLI also sets it for what it runs (cdk, the producer). */
export const ATTENDEE_ENV = 'WILDRYDES_ATTENDEE';

/**
 * The state folder, as core/state.ts has it, without reading the curriculum: the compiled
 * producer (dist/producer.mjs, one level below the repository as this file is) reads it too.
 */
const stateFolder = () =>
  process.env.WILDRYDES_STATE_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '.wildrydes');

/** `.wildrydes/attendee`: one line, the name of the attendee this checkout works for. */
export const attendeeFile = (dir = stateFolder()) => join(dir, 'attendee');

/** The remembered attendee, or undefined (none remembered, or the file unreadable). */
export function rememberedAttendee(dir?: string): string | undefined {
  try {
    return readFileSync(attendeeFile(dir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Remembers an attendee for the next commands; undefined forgets it. */
export function rememberAttendee(attendee: string | undefined, dir?: string): void {
  const file = attendeeFile(dir);
  if (!attendee) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${attendee}\n`);
}

/** Where the attendee of a command came from. */
export type AttendeeSource = '--attendee' | typeof ATTENDEE_ENV | 'remembered' | 'none';

/**
 * The attendee of a command: `--attendee` wins, then `WILDRYDES_ATTENDEE`, then the remembered
 * one. An empty `--attendee ''` (or variable) means none, and is then remembered as none.
 */
export function chooseAttendee(given: { flag?: string; env?: string; remembered?: string }): {
  attendee?: string;
  source: AttendeeSource;
} {
  if (given.flag !== undefined) return { attendee: given.flag.trim() || undefined, source: '--attendee' };
  if (given.env !== undefined) return { attendee: given.env.trim() || undefined, source: ATTENDEE_ENV };
  if (given.remembered) return { attendee: given.remembered, source: 'remembered' };
  return { attendee: undefined, source: 'none' };
}

/** The attendee of this process, once the CLI has chosen it (undefined: the unprefixed names). */
export const currentAttendee = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env[ATTENDEE_ENV]?.trim() || undefined;
