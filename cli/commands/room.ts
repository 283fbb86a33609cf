/**
 * `npm run room`: the instructor's live board of the room (room/README.md). Listens on
 * 127.0.0.1 unless the instructor opens it to the LAN (`--lan` or `--host`), and says so.
 */
import { networkInterfaces } from 'node:os';
import { curriculum } from '../../core/curriculum.ts';
import { UsageError } from '../../core/errors.ts';
import { generateRoomCode, parseRoomCode } from '../../room/protocol.ts';
import { BoardListenError, isLoopback, startBoard } from '../../room/server.ts';

export const DEFAULT_ROOM_PORT = 4570;

export interface RoomCommandOptions {
  port: number;
  host?: string;
  lan: boolean;
  code?: string;
  maxAttendees: number;
}

/** This machine's external IPv4 addresses: where attendees reach a board bound to 0.0.0.0. */
const lanAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a?.family === 'IPv4' && !a.internal)
    .map((a) => a?.address as string);

/** The banner: the room code, where the instructor looks, and the join command attendees type. */
export function roomBanner(opts: { host: string; port: number; code: string; localUrl: string }): string {
  const wildcard = opts.host === '0.0.0.0' || opts.host === '::';
  const lan = !isLoopback(opts.host);
  const joinUrls = !lan
    ? [`http://127.0.0.1:${opts.port}`]
    : wildcard
      ? lanAddresses().map((a) => `http://${a}:${opts.port}`)
      : [`http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`];
  const urls = joinUrls.length > 0 ? joinUrls : [`http://<this laptop's address>:${opts.port}`];
  const where = lan
    ? `  ⚠ Open to the network (${opts.host}): anyone on it who has the room code can report to this board.
    Attendees join with:
${urls.map((u) => `      npm run join -- ${u} --code ${opts.code} --name <their name>`).join('\n')}`
    : `  Only this machine can reach it (127.0.0.1). For a room, restart with --lan; attendees on this
    machine join with:
      npm run join -- ${urls[0]} --code ${opts.code} --name <their name>`;
  return `
  The room board is running. Open it on this machine: ${opts.localUrl}

  Room code: ${opts.code}

${where}

  The board keeps the room in memory: restarting it forgets who joined (give the same --code
  and their next report brings them back). Ctrl-C stops it.
`;
}

/** Serves the board until Ctrl-C; returns the exit code. */
export async function room(opts: RoomCommandOptions): Promise<number> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) {
    throw new UsageError(`--port takes a port number from 0 to 65535, e.g. --port ${DEFAULT_ROOM_PORT}`);
  }
  if (!Number.isInteger(opts.maxAttendees) || opts.maxAttendees < 1 || opts.maxAttendees > 10_000) {
    throw new UsageError('--max-attendees takes a number from 1 to 10000, e.g. --max-attendees 120');
  }
  if (opts.lan && opts.host !== undefined && opts.host !== '0.0.0.0') {
    throw new UsageError('--lan listens on every address (0.0.0.0): give --lan or --host, not both');
  }
  let code = generateRoomCode();
  if (opts.code !== undefined) {
    const parsed = parseRoomCode(opts.code);
    if (!parsed.ok) throw new UsageError(`--code: ${parsed.error}`);
    code = parsed.value;
  }
  const host = opts.lan ? '0.0.0.0' : (opts.host ?? '127.0.0.1');
  let board: Awaited<ReturnType<typeof startBoard>>;
  try {
    board = await startBoard({
      port: opts.port,
      host,
      code,
      modules: curriculum.map(({ id, key, title }) => ({ id, key, title })),
      maxAttendees: opts.maxAttendees,
    });
  } catch (err) {
    if (err instanceof BoardListenError) throw new UsageError(err.message);
    throw err;
  }
  console.log(roomBanner({ host, port: board.port, code, localUrl: board.url }));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await board.close();
  return 0;
}
