import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { EventSourceMappingDefinition } from '../../types.ts';
import { type Clients, queueUrl } from './clients.ts';
import { MAPPING_DEFAULTS } from './mapping-settings.ts';
import type { PollerDeps } from './poller-deps.ts';
import { messagesToDelete, sqsRecord } from './sqs-events.ts';

/** ReceiveMessage's long poll; short enough that stopping a poller never waits long. */
const LONG_POLL_SECONDS = 2;
const RETRY_MS = 1000;

/**
 * Reads an SQS queue for one event source mapping, as Lambda does: long polling, batches of
 * `BatchSize` (gathered for up to `MaximumBatchingWindowInSeconds`), messages deleted when the
 * function succeeds (with `ReportBatchItemFailures`, all but the reported ones). A failed message
 * becomes visible again after the queue's visibility timeout; the queue's own redrive policy
 * moves it to its dead-letter queue after `maxReceiveCount` receives (fauxqs applies it on receive).
 */
export class SqsPoller {
  private running = false;
  private loop?: Promise<void>;
  private url?: string;
  private readonly batchSize: number;
  private readonly batchingWindowMs: number;
  private readonly reportBatchItemFailures: boolean;

  constructor(
    private readonly def: EventSourceMappingDefinition,
    private readonly deps: PollerDeps,
  ) {
    this.batchSize = def.batchSize ?? MAPPING_DEFAULTS.sqs.batchSize;
    this.batchingWindowMs =
      (def.maximumBatchingWindowInSeconds ?? MAPPING_DEFAULTS.sqs.maximumBatchingWindowInSeconds) * 1000;
    this.reportBatchItemFailures = def.functionResponseTypes?.includes('ReportBatchItemFailures') ?? false;
  }

  /** Starts polling. */
  async start(): Promise<void> {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops polling; a receive in flight and its batch finish first. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private get clients(): Clients {
    return this.deps.clients;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        this.url ??= await queueUrl(this.clients.sqs, this.def.eventSourceArn);
        const batch = await this.gather(this.url);
        if (batch.length > 0) await this.process(this.url, batch);
      } catch (err) {
        if (/QueueDoesNotExist|NonExistentQueue/.test((err as { name?: string }).name ?? ''))
          this.url = undefined;
        else if (this.running)
          this.deps.note(`polling ${this.def.eventSourceArn} failed: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async receive(url: string, max: number, waitSeconds: number): Promise<Message[]> {
    const out = await this.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return out.Messages ?? [];
  }

  /** One batch: the first receive waits for messages, more are gathered within the batching window. */
  private async gather(url: string): Promise<Message[]> {
    const batch = await this.receive(url, this.batchSize, LONG_POLL_SECONDS);
    if (batch.length === 0) return batch;
    const deadline = Date.now() + this.batchingWindowMs;
    while (batch.length < this.batchSize && Date.now() < deadline && this.running) {
      const more = await this.receive(url, this.batchSize - batch.length, 0);
      batch.push(...more);
      if (more.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return batch;
  }

  private async process(url: string, batch: Message[]): Promise<void> {
    const event = { Records: batch.map((m) => sqsRecord(m, this.def.eventSourceArn)) };
    const result = await this.deps.invoke(JSON.stringify(event), batch.length);
    // Not invoked (no such function): the messages come back after their visibility timeout.
    if (!result) return;
    let response: unknown;
    try {
      response = result.functionError ? undefined : JSON.parse(result.payload);
    } catch {
      response = undefined;
    }
    const ids = batch.map((m) => m.MessageId ?? '');
    const toDelete = new Set(
      messagesToDelete(
        ids,
        result.functionError ? { functionError: true } : { functionError: false, response },
        this.reportBatchItemFailures,
      ),
    );
    this.deps.processed(toDelete.size === batch.length ? 'OK' : 'PROBLEM: Function call failed');
    const entries = batch
      .filter((m) => toDelete.has(m.MessageId ?? ''))
      .map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
    for (let i = 0; i < entries.length; i += 10) {
      await this.clients.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: url, Entries: entries.slice(i, i + 10) }),
      );
    }
  }
}
