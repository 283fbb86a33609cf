/**
 * `npm run join -- <board URL> --code <room code> --name Ada`: joins the instructor's board, so
 * that checks, catch-up and status report to it from now on (`--leave` stops that).
 */
import { UsageError, WorkshopError } from '../../core/errors.ts';
import { readRoom, writeRoom } from '../../room/membership.ts';
import { normalizeCode, parseName } from '../../room/protocol.ts';
import { joinBoard, reportToRoom } from '../../room/report.ts';

export interface JoinOptions {
  url?: string;
  code?: string;
  name?: string;
  leave: boolean;
}

/** The board's base URL as typed (`192.168.1.20:4570` gets its `http://`). */
export function boardUrl(typed: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(typed) ? typed : `http://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`'${typed}' is not a URL: give the board's, e.g. http://192.168.1.20:4570`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `the board's URL starts with http://, e.g. http://192.168.1.20:4570 (got '${typed}')`,
    );
  }
  return url.origin;
}

export async function join(opts: JoinOptions, out: (line: string) => void = console.log): Promise<number> {
  if (opts.leave) {
    const room = await readRoom();
    await writeRoom(undefined);
    out(room ? `✔ left the room at ${room.url}: nothing is reported any more` : 'you had not joined a room');
    return 0;
  }
  if (!opts.url)
    throw new UsageError(
      "give the board's URL: npm run join -- http://<instructor>:4570 --code <room code> --name <your name>",
    );
  if (!opts.code?.trim()) throw new UsageError('--code is required: the room code the instructor gave');
  if (!/^[A-Za-z0-9][A-Za-z0-9\s-]*$/.test(opts.code.trim()) || normalizeCode(opts.code).length > 64) {
    throw new UsageError(`'${opts.code.slice(0, 80)}' is not a room code: it looks like K7QM-2XPD-9TRA`);
  }
  const name = parseName(opts.name);
  if (!name.ok) throw new UsageError(`--name: ${name.error}`);
  const url = boardUrl(opts.url);
  const code = opts.code.trim();
  // Joining the same board again keeps one's row (and one's name).
  const previous = await readRoom();
  const again = previous?.url === url ? previous.attendee : undefined;
  const joined = await joinBoard(url, code, name.value, again);
  if (!joined.ok) throw new WorkshopError(joined.error, 2);
  await writeRoom({ url, code, name: name.value, attendee: joined.attendee });
  // The board shows where one is at once, not at the first check.
  await reportToRoom({ command: 'join' });
  out(
    `✔ joined the room at ${url} as ${name.value} (${joined.attendees} in the room). Your checks, catch-up and status now report to it: module, check results and your name, nothing else. \`npm run join -- --leave\` stops that.`,
  );
  return 0;
}
