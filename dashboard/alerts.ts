/**
 * Alerts as the dashboard shows them: parsed from the emails the alert topic sent (the local
 * cloud's outbox), or derived from the raw stream with the same threshold where no email can be
 * read (AWS: the emails go to the learner's inbox). Pure: shared by the server and the page.
 */
import type { UnicornStatus } from '../contracts/telemetry.ts';
import { MAGIC_THRESHOLD } from '../contracts/threshold.ts';

/** One alert on the page. */
export interface DashboardAlert {
  /** The unicorn. */
  name: string;
  /** Its magic points when alerted, if known. */
  magic?: number;
  /** The record's `StatusTime`, if known. */
  statusTime?: string;
  /** When the topic sent it (ISO 8601), or the record's time for a derived alert. */
  sentAt: string;
  subject: string;
  /** `topic`: an email the alert topic sent; `derived`: computed here from the raw stream. */
  source: 'topic' | 'derived';
}

/** The fields of an outbox email the dashboard reads (local/sns/outbox.ts `OutboxMessage`). */
export interface AlertEmail {
  time: string;
  topic: string;
  protocol: string;
  subject: string;
  body: string;
}

// The text of solutions/05-alerting/alert.ts `alertMessage`; an attendee's own wording may differ,
// and then only the subject and the name in it are shown.
const BODY =
  /^(.+?)'s magic points fell to (\d+), below \d+, at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \(UTC\)/;
const SUBJECT = /alert: (.+?) is low on magic/i;

/** The alert an email of the alert topic carries, or undefined for another topic's email. */
export function alertFromEmail(email: AlertEmail, topicName: string): DashboardAlert | undefined {
  if (email.topic.split(':').pop() !== topicName) return undefined;
  let text = email.body;
  if (email.protocol === 'email-json') {
    try {
      text = String((JSON.parse(email.body) as { Message?: unknown }).Message ?? '');
    } catch {
      // Not an envelope after all: read the body as it is.
    }
  }
  const body = BODY.exec(text);
  const name = body?.[1] ?? SUBJECT.exec(email.subject)?.[1];
  if (!name) return undefined;
  return {
    name,
    magic: body ? Number(body[2]) : undefined,
    statusTime: body?.[3],
    sentAt: email.time,
    subject: email.subject,
    source: 'topic',
  };
}

/**
 * Alerts derived from the raw records, as the extra credit's function sends them: a unicorn's
 * first record below the threshold in each window of `windowSeconds` (on `StatusTime`).
 */
export class AlertDeriver {
  readonly #alerted = new Map<string, number>();
  constructor(
    readonly threshold = MAGIC_THRESHOLD,
    readonly windowSeconds = 60,
  ) {}

  /** The new alerts these records raise. */
  add(statuses: readonly UnicornStatus[]): DashboardAlert[] {
    const alerts: DashboardAlert[] = [];
    const windowMs = this.windowSeconds * 1_000;
    for (const s of statuses) {
      if (s.MagicPoints >= this.threshold) continue;
      const t = Date.parse(`${s.StatusTime.replace(' ', 'T')}Z`);
      if (Number.isNaN(t)) continue;
      const window = Math.floor(t / windowMs);
      if ((this.#alerted.get(s.Name) ?? -1) >= window) continue;
      this.#alerted.set(s.Name, window);
      alerts.push({
        name: s.Name,
        magic: s.MagicPoints,
        statusTime: s.StatusTime,
        sentAt: new Date(t).toISOString(),
        subject: `${s.Name} is below ${this.threshold} magic points (derived from the raw stream)`,
        source: 'derived',
      });
    }
    return alerts;
  }

  clear(): void {
    this.#alerted.clear();
  }
}
