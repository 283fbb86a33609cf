/**
 * The attendee's side: `npm run join` and the report each check, catch-up and status sends when
 * it finishes. Node built-ins only. A board that is down, slow or gone never slows or fails the
 * command: one request, given up after REPORT_TIMEOUT_MS, and no word unless the board refused it.
 */
import { curriculum, findModule } from '../core/curriculum.ts';
import { readDeployment, readProgress, stateDir } from '../core/state.ts';
import { type RoomMembership, readRoom } from './membership.ts';
import type { Report, RoomCommand } from './protocol.ts';

/** The longest a finished command waits for the board. */
export const REPORT_TIMEOUT_MS = 800;

/** What the board answered: its status and body (`{ error }` when it refused). */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A request that took longer than its deadline. */
class BoardTimeoutError extends Error {
  constructor() {
    super('the board did not answer in time');
    this.name = 'TimeoutError';
  }
}

/**
 * One POST, done within `timeoutMs` (name lookup, connect and answer together). node:http rather
 * than fetch: loading fetch costs a short command more than the whole request does, and without
 * a keep-alive agent nothing holds the process open afterwards.
 */
async function post(
  url: string,
  path: string,
  code: string,
  body: unknown,
  timeoutMs: number,
): Promise<Answer> {
  const target = new URL(path, url);
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          authorization: `Bearer ${code}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(deadline);
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            parsed = {};
          }
          resolve({
            status: res.statusCode ?? 0,
            body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {},
          });
        });
      },
    );
    const deadline = setTimeout(() => req.destroy(new BoardTimeoutError()), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.end(payload);
  });
}

/** The board's answer to a join: admitted with an id, or refused with the board's reason. */
export type JoinOutcome = { ok: true; attendee: string; attendees: number } | { ok: false; error: string };

/** Asks the board at `url` to admit `name` with `code` (the board checks the code). */
export async function joinBoard(
  url: string,
  code: string,
  name: string,
  attendee?: string,
  timeoutMs = 5_000,
): Promise<JoinOutcome> {
  let answer: Answer;
  try {
    answer = await post(url, '/api/join', code, { name, ...(attendee ? { attendee } : {}) }, timeoutMs);
  } catch (err) {
    const why =
      (err as Error).name === 'TimeoutError' ? 'it did not answer in time' : 'nothing answered there';
    return {
      ok: false,
      error: `cannot reach the board at ${url}: ${why}. Check the URL the instructor gave`,
    };
  }
  const id = answer.body.attendee;
  if (answer.status === 200 && typeof id === 'string') {
    return { ok: true, attendee: id, attendees: Number(answer.body.attendees) || 1 };
  }
  const error = typeof answer.body.error === 'string' ? answer.body.error : `HTTP ${answer.status}`;
  return { ok: false, error: `the board at ${url} refused: ${error}` };
}

/** Sends one report to the board of `room`; throws when the board is unreachable or too slow. */
export const sendReport = (
  room: Pick<RoomMembership, 'url' | 'code'>,
  report: Report,
  timeoutMs = REPORT_TIMEOUT_MS,
): Promise<Answer> => post(room.url, '/api/report', room.code, report, timeoutMs);

/** What a finished command says about itself. */
export interface CommandEvent {
  command: Exclude<RoomCommand, 'join'>;
  /** The module argument as typed (`3`, `module3`, `extra`). */
  module?: string;
}

/** The report for `event`, from the attendee's state (progress, caught-up modules). */
export async function buildReport(
  room: RoomMembership,
  event: CommandEvent | { command: 'join' },
): Promise<Report> {
  const progress = await readProgress();
  const { solutions } = await readDeployment(stateDir());
  const module =
    'module' in event && event.module !== undefined
      ? (findModule(event.module.replace(/^module/, '')) ?? findModule(event.module))
      : undefined;
  const result = module && event.command === 'check' ? progress[module.key] : undefined;
  return {
    attendee: room.attendee,
    name: room.name,
    command: event.command,
    ...(module ? { module: module.key } : {}),
    ...(result
      ? { passed: result.passed, ...(result.failedStep ? { failedStep: result.failedStep } : {}) }
      : {}),
    progress: Object.fromEntries(
      curriculum
        .filter((m) => progress[m.key])
        .map((m) => [
          m.key,
          { passed: progress[m.key]?.passed === true, failedStep: progress[m.key]?.failedStep },
        ]),
    ),
    caughtUp: solutions,
  };
}

/**
 * Tells the joined room (if any) what a finished command found. Never throws and never takes
 * longer than REPORT_TIMEOUT_MS; says one quiet line on stderr only when the board refused
 * (a new room code after the board restarted: join again), nothing when it is unreachable.
 */
export async function reportToRoom(
  event: CommandEvent | { command: 'join' },
  note: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  try {
    const room = await readRoom();
    if (!room) return;
    const report = await buildReport(room, event);
    // A check that did not run (bad arguments, no local cloud) has nothing to report.
    if (event.command === 'check' && report.passed === undefined) return;
    const answer = await sendReport(room, report);
    if (answer.status === 401 || answer.status === 403 || answer.status === 409 || answer.status === 429) {
      const error = typeof answer.body.error === 'string' ? answer.body.error : `HTTP ${answer.status}`;
      note(
        `note: the room board did not take this report (${error}); \`npm run join\` again if the room changed`,
      );
    }
  } catch {
    // Down, slow, or not a board at all: the attendee's command is what matters.
  }
}
