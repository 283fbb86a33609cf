/**
 * Riding out a restart of the local cloud. Its data lives in memory: Ctrl-C on `npm start` takes
 * the stream away, and `npm start` brings it back (empty) once it has deployed again. A producer
 * sending to it then waits for the stream, says so, and sends what it had queued, instead of
 * dying with "the stream does not exist".
 */

/**
 * Whether a whole `PutRecords` call's error means the endpoint or its stream went away: the
 * connection refused (the cloud is down), or the stream missing (it is back, not yet deployed).
 * A reset or a timeout is a blip first: the sender retries those.
 */
export function isOutage(err: unknown): boolean {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  if (e.name === 'ResourceNotFoundException' || e.code === 'ECONNREFUSED') return true;
  if (typeof e.message === 'string' && /\bECONNREFUSED\b/.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isOutage(e.cause);
}

/** When the local cloud at `endpoint` started, from its health endpoint; undefined if it cannot tell. */
export async function cloudStartedAt(
  endpoint: string,
  token = process.env.WILDRYDES_TOKEN,
): Promise<Date | undefined> {
  try {
    const res = await fetch(`${endpoint.replace(/\/+$/, '')}/_wildrydes/health`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(2_000),
    });
    const { startedAt } = (await res.json()) as { startedAt?: unknown };
    const date = typeof startedAt === 'string' ? new Date(startedAt) : undefined;
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
  } catch {
    return undefined;
  }
}

/** How long a producer waits for its stream to come back: `npm start` deploys in well under this. */
export const OUTAGE_WAIT_MS = 180_000;

export interface OutageWait {
  /** The stream's status, or undefined while the endpoint does not answer or has no such stream. */
  streamStatus(): Promise<string | undefined>;
  /** When the local cloud last started (its health endpoint), if it can tell. */
  startedAt(): Promise<Date | undefined>;
  /** Lines for the terminal. */
  say(line: string): void;
  /** Records queued now (for the messages). */
  pending(): number;
  stream: string;
  where: string;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** The producer gave up waiting: `pending` records were not sent. */
export class StreamGoneError extends Error {
  constructor(
    readonly stream: string,
    readonly where: string,
    readonly waitedMs: number,
  ) {
    super(
      `stream '${stream}' in ${where} did not come back within ${Math.round(waitedMs / 1000)} s: start the local cloud again (\`npm start\`), or deploy module 2 (\`npm run deploy -- 2\`)`,
    );
    this.name = 'StreamGoneError';
  }
}

const clock = (date: Date) => date.toLocaleTimeString('en-GB', { hour12: false });

/**
 * Waits for the stream to be ACTIVE again, saying so when it starts waiting and when it is back.
 * @throws StreamGoneError after `timeoutMs`
 */
export async function waitForStream(opts: OutageWait, startedBefore: Date | undefined): Promise<void> {
  const sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? OUTAGE_WAIT_MS;
  const started = now();
  opts.say(
    `the stream '${opts.stream}' in ${opts.where} is gone (is the local cloud restarting?): waiting up to ${Math.round(timeoutMs / 1000)} s for it to come back, ${opts.pending()} records queued`,
  );
  for (;;) {
    const status = await opts.streamStatus().catch(() => undefined);
    if (status === 'ACTIVE' || status === 'UPDATING') break;
    if (now() - started >= timeoutMs) throw new StreamGoneError(opts.stream, opts.where, now() - started);
    await sleep(1_000);
  }
  const restartedAt = await opts.startedAt().catch(() => undefined);
  const restarted =
    restartedAt && (!startedBefore || restartedAt.getTime() !== startedBefore.getTime())
      ? ` (the local cloud restarted at ${clock(restartedAt)}: the records sent before are gone with it)`
      : '';
  opts.say(`stream '${opts.stream}' is back${restarted}: sending the ${opts.pending()} queued records`);
}
