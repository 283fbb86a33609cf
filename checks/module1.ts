/**
 * `npm run check:module1`: every Markdown note in the input bucket has a sanitised HTML page in the
 * output bucket and a valid row in SentimentTable, and no note is stuck in a dead-letter queue.
 * Notes still being processed are waited for (up to `--wait` seconds), with a progress line.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { FileProcessingNames } from '../contracts/file-processing.ts';
import { findModule } from '../core/curriculum.ts';
import { createProgress, type Progress } from '../core/progress-line.ts';
import type { TargetConfig } from '../core/target.ts';
import {
  assertConvertible,
  PathologicalMarkdownError,
} from '../modules/01-file-processing/shared/markdown-cost.ts';
import {
  decodeMarkdown,
  FileTooLargeError,
  InvalidEventError,
  InvalidUtf8Error,
  MAX_MARKDOWN_BYTES,
  objectOfMessage,
} from '../modules/01-file-processing/shared/object-event.ts';
import { FileProcessingNotDeployedError, locateFileProcessing } from './file-processing-resources.ts';
import {
  expectedHtmlKey,
  noteHasVisibleText,
  pageProblem,
  sentimentId,
  sentimentItemProblems,
  visibleText,
} from './module1-verify.ts';
import { names as attendeeNames } from './names.ts';
import { CheckFailedError, type CheckStep, fail, type ModuleCheck, pass } from './report.ts';

/** A note uploaded to the input bucket. */
export interface Note {
  key: string;
  size: number;
  lastModified: Date;
}

type Pipeline = 'conversion' | 'sentiment';

/** What the steps share: clients, limits, and what earlier steps found. */
export interface Module1Context {
  target: TargetConfig;
  /** How long to wait for notes still being processed. */
  waitSeconds: number;
  /** How often to look again while waiting. */
  pollMs: number;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  table: DynamoDBDocumentClient;
  sqs: SQSClient;
  progress: Progress;
  names?: FileProcessingNames;
  dlqUrls?: Record<Pipeline, string>;
  notes?: Note[];
  /** `--drive`: only the notes the check uploaded itself, under this key prefix. */
  prefix?: string;
}

const hints = findModule(1)?.hints ?? [];
const CONVERSION_HINT = hints[0];
const SENTIMENT_HINT = hints[1];
const DEPLOY_HINT =
  'deploy module 1 with `npm run deploy -- 1` (on the local cloud, `npm start` must be running)';
const UPLOAD_HINT = 'upload the sample notes: `npm run upload -- modules/01-file-processing/samples`';
/** S3 times have a one-second resolution: a page written in the same second is not stale. */
const CLOCK_SLACK_MS = 1000;

const isMissing = (err: unknown) =>
  ['NotFound', 'NoSuchBucket', 'NoSuchKey', 'ResourceNotFoundException', 'QueueDoesNotExist'].includes(
    (err as { name?: string }).name ?? '',
  ) || /NonExistentQueue|does not exist/i.test((err as Error).message ?? '');

function names(ctx: Module1Context): FileProcessingNames {
  if (!ctx.names) throw new CheckFailedError('module 1 was not found', DEPLOY_HINT);
  return ctx.names;
}

/** Why a note's message ended in a dead-letter queue, found by looking at the note itself. */
export async function diagnose(ctx: Module1Context, body: string): Promise<string> {
  let ref: { bucket: string; key: string };
  try {
    ref = objectOfMessage(body);
  } catch (err) {
    if (err instanceof InvalidEventError) return `a message that is not an S3 event (${err.message})`;
    throw err;
  }
  const name = ref.key;
  try {
    const object = await ctx.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    const size = object.ContentLength ?? 0;
    if (size > MAX_MARKDOWN_BYTES) {
      (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
      return `${name}: ${new FileTooLargeError(size, MAX_MARKDOWN_BYTES).message}`;
    }
    const text = decodeMarkdown((await object.Body?.transformToByteArray()) ?? new Uint8Array());
    // The conversion refuses such a note before parsing it: say why, not "the function failed".
    assertConvertible(text);
  } catch (err) {
    if (err instanceof InvalidUtf8Error || err instanceof PathologicalMarkdownError)
      return `${name}: ${err.message}`;
    if (isMissing(err)) return `${name}: the file no longer exists in s3://${ref.bucket}`;
    throw err;
  }
  return `${name}: the function failed on it on every try; its logs say why`;
}

/** The notes whose messages are in a DLQ, read without deleting them (visibility timeout 0). */
async function deadLetters(ctx: Module1Context, pipeline: Pipeline): Promise<Map<string, string>> {
  const url = ctx.dlqUrls?.[pipeline];
  if (!url) return new Map();
  const { Messages = [] } = await ctx.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
    }),
  );
  const found = new Map<string, string>();
  for (const message of Messages) {
    const body = message.Body ?? '';
    let key = '?';
    try {
      key = objectOfMessage(body).key;
    } catch {
      // Diagnosed below as "not an S3 event".
    }
    found.set(key, await diagnose(ctx, body));
  }
  return found;
}

const functionName = (pipeline: Pipeline) => attendeeNames.prefixed(`wildrydes-${pipeline}`);

function logsHint(ctx: Module1Context, pipeline: Pipeline): string {
  return ctx.target.target === 'local'
    ? `read the lines of ${functionName(pipeline)} in the \`npm start\` terminal`
    : `read the log group /aws/lambda/${functionName(pipeline)} in CloudWatch Logs`;
}

/**
 * Polls `probe` for every note until each has a result or the wait is over. A note whose message
 * is in the pipeline's DLQ fails at once: it will never be processed.
 */
async function awaitEach(
  ctx: Module1Context,
  pipeline: Pipeline,
  probe: (note: Note) => Promise<'done' | 'pending'>,
  missing: (note: Note) => { problem: string; hint?: string },
): Promise<void> {
  const notes = ctx.notes ?? [];
  const pending = new Map(notes.map((n) => [n.key, n]));
  const deadline = Date.now() + ctx.waitSeconds * 1000;
  try {
    for (;;) {
      for (const note of [...pending.values()]) if ((await probe(note)) === 'done') pending.delete(note.key);
      if (pending.size === 0) return;
      const dead = await deadLetters(ctx, pipeline);
      for (const key of pending.keys()) {
        const why = dead.get(key);
        if (why) {
          throw new CheckFailedError(
            `${key} was not processed: its message is in the ${pipeline} dead-letter queue — ${why}`,
            `fix or delete the file, then ${logsHint(ctx, pipeline)}`,
          );
        }
      }
      const left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) {
        const [first] = pending.values();
        if (!first) return;
        const { problem, hint } = missing(first);
        throw new CheckFailedError(
          `${problem}${pending.size > 1 ? ` (and ${pending.size - 1} more notes)` : ''}`,
          hint,
        );
      }
      ctx.progress.update(
        `    waiting for ${pending.size} of ${notes.length} notes (${pipeline})… ${left} s left`,
      );
      await new Promise((r) => setTimeout(r, ctx.pollMs));
    }
  } finally {
    ctx.progress.done();
  }
}

const deployed: CheckStep<Module1Context> = {
  title: 'Module 1 is deployed (buckets, SentimentTable, queues)',
  async run(ctx) {
    let found: FileProcessingNames;
    try {
      found = await locateFileProcessing(ctx.target);
    } catch (err) {
      if (err instanceof FileProcessingNotDeployedError) return fail(err.message, DEPLOY_HINT);
      throw err;
    }
    for (const bucket of [found.inputBucket, found.outputBucket]) {
      try {
        await ctx.s3.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (err) {
        if (isMissing(err)) return fail(`the bucket ${bucket} does not exist`, DEPLOY_HINT);
        throw err;
      }
    }
    try {
      await ctx.dynamodb.send(new DescribeTableCommand({ TableName: found.table }));
    } catch (err) {
      if (isMissing(err)) return fail(`the table ${found.table} does not exist`, DEPLOY_HINT);
      throw err;
    }
    const urls: Partial<Record<Pipeline, string>> = {};
    for (const [pipeline, queues] of [
      ['conversion', [found.conversionQueue, found.conversionDlq]],
      ['sentiment', [found.sentimentQueue, found.sentimentDlq]],
    ] as const) {
      for (const queue of queues) {
        try {
          const { QueueUrl } = await ctx.sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
          if (queue.endsWith('-dlq')) urls[pipeline] = QueueUrl;
        } catch (err) {
          if (isMissing(err)) return fail(`the queue ${queue} does not exist`, DEPLOY_HINT);
          throw err;
        }
      }
    }
    ctx.names = found;
    ctx.dlqUrls = { conversion: urls.conversion ?? '', sentiment: urls.sentiment ?? '' };
    return pass(`${found.inputBucket} → ${found.outputBucket}, ${found.table}`);
  },
};

const uploaded: CheckStep<Module1Context> = {
  title: 'Interview notes are uploaded to the input bucket',
  async run(ctx) {
    const { inputBucket } = names(ctx);
    const notes: Note[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await ctx.s3.send(
        new ListObjectsV2Command({ Bucket: inputBucket, Prefix: ctx.prefix, ContinuationToken }),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key && /\.md$/.test(o.Key)) {
          notes.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
        }
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    if (notes.length === 0)
      return fail(`there are no Markdown notes in s3://${inputBucket}/${ctx.prefix ?? ''}`, UPLOAD_HINT);
    ctx.notes = notes.sort((a, b) => a.key.localeCompare(b.key));
    return pass(`${notes.length} note${notes.length === 1 ? '' : 's'}`);
  },
};

/** A note's Markdown, as uploaded. */
async function readNote(ctx: Module1Context, key: string): Promise<string> {
  const note = await ctx.s3.send(new GetObjectCommand({ Bucket: names(ctx).inputBucket, Key: key }));
  return (await note.Body?.transformToString('utf8')) ?? '';
}

const converted: CheckStep<Module1Context> = {
  title: 'Each note is converted to sanitised HTML in the output bucket',
  async run(ctx) {
    const { outputBucket } = names(ctx);
    await awaitEach(
      ctx,
      'conversion',
      async (note) => {
        const key = expectedHtmlKey(note.key);
        let html: string;
        try {
          const page = await ctx.s3.send(new GetObjectCommand({ Bucket: outputBucket, Key: key }));
          // A page older than its note is from an earlier upload: the new one is still on its way.
          if ((page.LastModified?.getTime() ?? 0) + CLOCK_SLACK_MS < note.lastModified.getTime())
            return 'pending';
          html = (await page.Body?.transformToString('utf8')) ?? '';
        } catch (err) {
          if (isMissing(err)) return 'pending';
          throw err;
        }
        // Only an empty page needs the note itself: was there any text to keep?
        const sourceHasText =
          note.size > 0 && (visibleText(html) !== '' || noteHasVisibleText(await readNote(ctx, note.key)));
        const problem = pageProblem(`s3://${outputBucket}/${key}`, html, sourceHasText);
        if (problem) throw new CheckFailedError(problem, CONVERSION_HINT);
        return 'done';
      },
      (note) => ({
        problem: `s3://${outputBucket}/${expectedHtmlKey(note.key)} was not written within ${ctx.waitSeconds} s of waiting`,
        hint: `is the conversion function running? ${logsHint(ctx, 'conversion')}`,
      }),
    );
    return pass(`${ctx.notes?.length ?? 0} pages, nothing executable in them`);
  },
};

const scored: CheckStep<Module1Context> = {
  title: 'Each note has a valid sentiment in SentimentTable',
  async run(ctx) {
    const { inputBucket, table } = names(ctx);
    const labels = new Map<string, number>();
    await awaitEach(
      ctx,
      'sentiment',
      async (note) => {
        const id = sentimentId(inputBucket, note.key);
        const { Item } = await ctx.table.send(new GetCommand({ TableName: table, Key: { id } }));
        if (!Item) return 'pending';
        const at = Date.parse(String(Item.last_modified));
        if (!Number.isNaN(at) && at + CLOCK_SLACK_MS < note.lastModified.getTime()) return 'pending';
        const [problem] = sentimentItemProblems(Item);
        if (problem)
          throw new CheckFailedError(`the SentimentTable row ${id} is wrong: ${problem}`, SENTIMENT_HINT);
        const label = String(Item.overall_sentiment);
        labels.set(label, (labels.get(label) ?? 0) + 1);
        return 'done';
      },
      (note) => ({
        problem: `${table} has no row for ${sentimentId(inputBucket, note.key)} after ${ctx.waitSeconds} s of waiting`,
        hint:
          note.size > 5000
            ? `${note.key} is ${note.size} bytes and Comprehend refuses more than 5,000: cut the text with truncateUtf8 first (${logsHint(ctx, 'sentiment')})`
            : `is the sentiment function running? ${logsHint(ctx, 'sentiment')}`,
      }),
    );
    return pass([...labels].map(([label, n]) => `${n} ${label}`).join(', '));
  },
};

const noDeadLetters: CheckStep<Module1Context> = {
  title: 'The dead-letter queues are empty',
  async run(ctx) {
    const found = names(ctx);
    for (const pipeline of ['conversion', 'sentiment'] as const) {
      const all = await deadLetters(ctx, pipeline);
      // Driven, the check judges its own notes: messages an earlier attempt left are not theirs.
      const dead = new Map([...all].filter(([key]) => !ctx.prefix || key.startsWith(ctx.prefix)));
      const [first] = dead.values();
      if (first) {
        const queue = pipeline === 'conversion' ? found.conversionDlq : found.sentimentDlq;
        return fail(
          `${queue} holds ${dead.size === 1 ? 'a message' : `${dead.size} messages`} — ${first}`,
          `fix or delete the file, then empty the queue: \`aws sqs purge-queue --queue-url ${ctx.dlqUrls?.[pipeline]}\``,
        );
      }
    }
    return pass();
  },
};

/** Module 1's check: what `wildrydes check module1` runs. */
export const check: ModuleCheck<Module1Context> = {
  context(target, args) {
    const dynamodb = new DynamoDBClient(target.clientConfig);
    return {
      target,
      waitSeconds: args.waitSeconds,
      pollMs: 1000,
      s3: new S3Client({ ...target.clientConfig, forcePathStyle: target.target === 'local' }),
      dynamodb,
      table: DynamoDBDocumentClient.from(dynamodb),
      sqs: new SQSClient(target.clientConfig),
      progress: createProgress({ intervalMs: 10_000 }),
      prefix: args.drive?.prefix,
    };
  },
  steps: [deployed, uploaded, converted, scored, noDeadLetters],
};
