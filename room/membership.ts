/**
 * `.wildrydes/room.json` (`room-<attendee>.json` with `--attendee`, so attendees sharing a
 * checkout each report as themselves): the room joined with `npm run join`, where checks,
 * catch-up and status report to. Beside the rest of the attendee's state (core/state.ts).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentAttendee } from '../core/attendee.ts';
import { stateDir } from '../core/state.ts';

export interface RoomMembership {
  /** The instructor's board, e.g. `http://192.168.1.20:4570`. */
  url: string;
  /** The room code the board printed: the only key to the room. */
  code: string;
  /** The name the attendee chose; nothing else personal is sent. */
  name: string;
  /** The id the board gave at join: one's row stays one's own when joining again. */
  attendee: string;
}

export const roomFile = (attendee = currentAttendee()) =>
  join(stateDir(), attendee ? `room-${attendee}.json` : 'room.json');

/** The joined room, or undefined (not joined, or a file edited into something else). */
export async function readRoom(): Promise<RoomMembership | undefined> {
  try {
    const room = JSON.parse(await readFile(roomFile(), 'utf8')) as Partial<RoomMembership> | null;
    const fields = [room?.url, room?.code, room?.name, room?.attendee];
    return fields.every((f) => typeof f === 'string' && f !== '') ? (room as RoomMembership) : undefined;
  } catch {
    return undefined;
  }
}

/** Joins a room (`membership`) or leaves it (undefined). */
export async function writeRoom(membership: RoomMembership | undefined): Promise<void> {
  if (!membership) return rm(roomFile(), { force: true });
  await mkdir(stateDir(), { recursive: true });
  await writeFile(roomFile(), `${JSON.stringify(membership, null, 2)}\n`);
}
