import { stat } from 'node:fs/promises';
import { readOutbox } from '../../local/sns/outbox.ts';
import { alertFromEmail, type DashboardAlert } from '../alerts.ts';

/**
 * The alert topic's emails on the local cloud: its outbox file (what `npm run outbox` prints),
 * read again only when it grew. Reading a file changes nothing the checks or functions see.
 */
export class OutboxReader {
  #size = -1;
  #count = 0;

  constructor(
    readonly file: string,
    readonly topicName: string,
  ) {}

  /** The alerts emailed since the last poll; `reset` when the outbox was cleared. */
  async poll(): Promise<{ alerts: DashboardAlert[]; reset: boolean }> {
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    if (size === this.#size) return { alerts: [], reset: false };
    const reset = size < this.#size;
    this.#size = size;
    const messages = await readOutbox(this.file);
    const fresh = messages.slice(reset ? 0 : this.#count);
    this.#count = messages.length;
    return {
      alerts: fresh.flatMap((m) => alertFromEmail(m, this.topicName) ?? []),
      reset,
    };
  }
}
