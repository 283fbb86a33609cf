import { open, stat } from 'node:fs/promises';
import { namesFor } from '../../contracts/attendee.ts';
import { currentAttendee } from '../../core/attendee.ts';
import { UsageError } from '../../core/errors.ts';
import { stateDir } from '../../core/state.ts';
import { type OutboxMessage, outboxFile, parseOutbox, readOutbox } from '../../local/sns/outbox.ts';

export interface OutboxOptions {
  /** Keep printing new messages as they arrive, until Ctrl-C. */
  follow: boolean;
  /** Only the newest N messages (all by default). */
  last?: number;
  /** Polling interval of --follow, in milliseconds (tests shorten it). */
  intervalMs?: number;
  /** Stops --follow (tests); Ctrl-C otherwise. */
  signal?: AbortSignal;
}

/**
 * Control characters as visible escapes (`\x1b`, `\r`), never sent to the terminal raw: a
 * message is whatever was published, and escape codes could rewrite the screen. Newlines stay in
 * a body (it is indented line by line) and are shown as `\n` elsewhere (`keepNewlines`).
 */
export function visible(text: string, keepNewlines = false): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    keepNewlines && c === '\n'
      ? c
      : c === '\n'
        ? '\\n'
        : c === '\r'
          ? '\\r'
          : c === '\t'
            ? '\\t'
            : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** One message as the attendee reads it: header lines, then the body indented. */
export function formatMessage(message: OutboxMessage): string {
  const when = visible(message.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
  const topic = visible(message.topic.split(':').pop() ?? message.topic);
  const body = visible(message.body, true)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return [
    `── ${when}  to ${visible(message.to)}  (topic ${topic}, ${visible(message.protocol)})`,
    `  Subject: ${visible(message.subject)}`,
    body,
  ].join('\n');
}

/**
 * `npm run outbox`: the emails the local cloud "sent" (SNS email subscriptions: module 1's alarms,
 * the extra credit's alerts), oldest first, newest last. `--follow` waits for more.
 */
export async function outbox(
  opts: OutboxOptions,
  out: (text: string) => void = console.log,
): Promise<number> {
  if (opts.last !== undefined && (!Number.isInteger(opts.last) || opts.last < 1)) {
    throw new UsageError('--last takes a whole number of messages, e.g. --last 5');
  }
  const file = outboxFile(stateDir());
  const messages = (await readOutbox(file)).filter((m) => isMine(m));
  const shown = opts.last ? messages.slice(-opts.last) : messages;
  if (shown.length === 0 && !opts.follow) {
    out(
      `The outbox is empty: no email has been sent yet (${file}). Emails appear here when something publishes to a topic with an email subscription.`,
    );
    return 0;
  }
  for (const message of shown) out(formatMessage(message));
  if (!opts.follow) return 0;
  out(shown.length === 0 ? 'Waiting for emails… (Ctrl-C to stop)' : '── waiting for more… (Ctrl-C to stop)');
  await follow(file, opts, out);
  return 0;
}

/**
 * On a local cloud shared by attendees, an attendee's emails are those of their own topics
 * (`ada-wildrydes-alerts`, `ada-wildrydes-file-processing-alarms`); without one, every email.
 */
function isMine(message: OutboxMessage, attendee = currentAttendee()): boolean {
  if (!attendee) return true;
  const names = namesFor(attendee);
  const topic = message.topic.split(':').pop();
  return topic === names.alertTopic || topic === names.fileProcessing('', '').alarmTopic;
}

/** Prints messages appended after the current end of the file, until aborted or Ctrl-C. */
async function follow(file: string, opts: OutboxOptions, out: (text: string) => void): Promise<void> {
  let offset = await sizeOf(file);
  let partial = '';
  const stop = opts.signal ?? interrupted();
  while (!stop.aborted) {
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
    const size = await sizeOf(file);
    if (size < offset) offset = 0; // the outbox was cleared: start again from its beginning
    if (size === offset) continue;
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(size - offset), 0, size - offset, offset);
      offset += bytesRead;
      const text = partial + buffer.subarray(0, bytesRead).toString('utf8');
      const cut = text.lastIndexOf('\n') + 1;
      partial = text.slice(cut);
      for (const message of parseOutbox(text.slice(0, cut)).filter((m) => isMine(m)))
        out(formatMessage(message));
    } finally {
      await handle.close();
    }
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

function interrupted(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}
