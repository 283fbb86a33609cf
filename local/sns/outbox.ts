import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../core/errors.ts';

/** One email the local cloud "sent": what the attendee reads with `npm run outbox`. */
export interface OutboxMessage {
  /** When SNS accepted the publish (ISO 8601). */
  time: string;
  /** The subscription's email address. */
  to: string;
  /** `email` (the message text) or `email-json` (the SNS JSON envelope). */
  protocol: 'email' | 'email-json';
  /** The topic ARN. */
  topic: string;
  subject: string;
  body: string;
  messageId?: string;
}

/** The outbox of a state directory: one JSON object per line, oldest first. */
export const outboxFile = (stateDir: string) => join(stateDir, 'outbox.jsonl');

/** Appends messages; appends of whole lines keep concurrent writers from interleaving. */
export async function appendOutbox(file: string, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, messages.map((m) => `${JSON.stringify(m)}\n`).join(''));
}

/** Parses outbox lines, skipping any that are not a message (a half-written last line). */
export function parseOutbox(text: string): OutboxMessage[] {
  const messages: OutboxMessage[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const message = JSON.parse(line) as OutboxMessage;
      if (typeof message.to === 'string' && typeof message.body === 'string') messages.push(message);
    } catch {
      // A line still being written; the next read sees it whole.
    }
  }
  return messages;
}

/** Every message in the outbox, oldest first; none when there is no outbox yet. */
export async function readOutbox(file: string): Promise<OutboxMessage[]> {
  try {
    return parseOutbox(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'EISDIR')
      throw new UsageError(`${file} is a folder, where the outbox file should be: move it away`);
    throw err;
  }
}

/** A published SNS message, as the outbox needs it. */
export interface Publication {
  topic: string;
  message: string;
  subject?: string;
  messageId?: string;
  time: Date;
}

/** What SNS emails a subscriber: the text for `email`, the JSON envelope for `email-json`. */
export function emailFor(
  publication: Publication,
  subscription: { endpoint: string; protocol: 'email' | 'email-json'; arn?: string },
): OutboxMessage {
  const subject = publication.subject ?? 'AWS Notification Message';
  const body =
    subscription.protocol === 'email'
      ? publication.message
      : JSON.stringify({
          Type: 'Notification',
          MessageId: publication.messageId,
          TopicArn: publication.topic,
          Subject: publication.subject ?? null,
          Message: publication.message,
          Timestamp: publication.time.toISOString(),
          UnsubscribeURL: `local:unsubscribe/${subscription.arn ?? ''}`,
        });
  return {
    time: publication.time.toISOString(),
    to: subscription.endpoint,
    protocol: subscription.protocol,
    topic: publication.topic,
    subject,
    body,
    messageId: publication.messageId,
  };
}
