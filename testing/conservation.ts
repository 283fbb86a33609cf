import { type LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type Probe, waitUntil } from '../checks/streams.ts';
import { createProgress } from '../core/progress-line.ts';

/** Shared by the conservation tests: the pipelines under injected faults. */

/**
 * Polls `probe` until `settled` says so, or `seconds` pass; returns the last value either way,
 * so the test's assertion shows what was wrong rather than "timed out".
 */
export async function settle<T>(
  probe: () => Promise<T>,
  settled: (value: T) => boolean,
  seconds: number,
  what: string,
): Promise<T> {
  const verdict = await waitUntil<T>(
    async (): Promise<Probe<T>> => {
      const value = await probe();
      return settled(value) ? { done: true, value } : { done: false, waitingFor: what, value };
    },
    { seconds, intervalMs: 1_000, progress: createProgress({ quiet: true }) },
  );
  return verdict.value;
}

/** The URL of the on-failure destination (an SQS queue) of a function's event source mapping. */
export async function onFailureQueueUrl(
  lambda: LambdaClient,
  sqs: SQSClient,
  functionName: string,
): Promise<string> {
  const { EventSourceMappings = [] } = await lambda.send(
    new ListEventSourceMappingsCommand({ FunctionName: functionName }),
  );
  const arn = EventSourceMappings[0]?.DestinationConfig?.OnFailure?.Destination ?? '';
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  if (!name) throw new Error(`the mapping of ${functionName} has no on-failure destination`);
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
}

/** Receives (and deletes) every message now on a queue, parsed as JSON. */
export async function drainQueue<T>(sqs: SQSClient, url: string): Promise<T[]> {
  const bodies: T[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => JSON.parse(m.Body ?? 'null') as T));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}
