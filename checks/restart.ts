import { controlHeaders } from '../core/local-cloud.ts';
import type { Progress } from '../core/state.ts';

/**
 * The local cloud keeps streams, tables, buckets and queues in memory: a restart of `npm start`
 * empties them. When a check fails after such a restart, it says so plainly, so the attendee
 * sends the data again instead of hunting for a bug.
 */

/** When the local cloud at `endpoint` started, from its health endpoint; undefined if it cannot tell. */
export async function localCloudStartedAt(endpoint: string): Promise<Date | undefined> {
  try {
    const res = await fetch(`${endpoint.replace(/\/+$/, '')}/_wildrydes/health`, {
      headers: controlHeaders(),
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await res.json()) as { startedAt?: unknown };
    const startedAt = typeof body.startedAt === 'string' ? new Date(body.startedAt) : undefined;
    return startedAt && !Number.isNaN(startedAt.getTime()) ? startedAt : undefined;
  } catch {
    return undefined;
  }
}

const clock = (date: Date) => date.toLocaleTimeString('en-GB', { hour12: false });

/**
 * The note for a failed check when the local cloud started after this module's last check (its
 * data went with the restart); undefined when there is nothing to say.
 */
export function restartNote(
  startedAt: Date | undefined,
  last: Progress[string] | undefined,
): string | undefined {
  const lastAt = last ? new Date(last.at) : undefined;
  if (!startedAt || !lastAt || Number.isNaN(lastAt.getTime()) || lastAt >= startedAt) return undefined;
  return (
    `the local cloud restarted at ${clock(startedAt)}, after your last check of this module (${clock(lastAt)}, ${last?.passed ? 'passed' : 'failed'}): ` +
    'its streams, tables, buckets and queues live in memory, so everything sent before the restart is gone. ' +
    'The stacks are deployed again, with your catch-up choices: send your data again (the producer, the uploads), then check again'
  );
}
