/**
 * Module 1, conversion: each Markdown file uploaded to the input bucket becomes a sanitised HTML
 * page in the output bucket. Triggered by SQS messages that carry EventBridge "Object Created"
 * events; one bad file fails alone (partial batch response) and ends in the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { assertConvertible } from '../shared/markdown-cost.ts';
import { objectOfMessage } from '../shared/object-event.ts';
import { readMarkdown } from '../shared/read-object.ts';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'conversion' });
const processor = new BatchProcessor(EventType.SQS);

/**
 * Converts untrusted Markdown to HTML that runs nothing: no scripts, event-handler attributes,
 * `javascript:`/`data:` URLs, frames, objects or forms survive.
 */
export function toSafeHtml(_source: string): string {
  // TODO: convert the Markdown to HTML with `marked` (installed: `import { Marked } from 'marked'`),
  // then clean it with `sanitize-html` (installed) using an allowlist of tags, attributes and URL
  // schemes, so that no <script>, on…= attribute, javascript:/data: URL or <iframe> survives.
  // The file is untrusted: see "Step 2" in modules/01-file-processing/README.md.
  return '';
}

/** The output key for an input key: `notes/interview.md` → `notes/interview.html`. */
export function htmlKeyOf(key: string): string {
  return `${key.replace(/\.md$/i, '')}.html`;
}

const escapeText = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Wraps a sanitised fragment in a page. The Content-Security-Policy is a second line of defence:
 * should anything executable slip through, the browser still refuses to run it.
 */
export function htmlDocument(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: http:; style-src 'unsafe-inline'">`,
    `<title>${escapeText(title)}</title></head>`,
    `<body>${body}</body></html>`,
    '',
  ].join('\n');
}

const outputBucket = (): string => {
  const bucket = process.env.OUTPUT_BUCKET;
  if (!bucket) throw new Error('OUTPUT_BUCKET is not set: the stack passes it to the function');
  return bucket;
};

async function convert(record: SQSRecord): Promise<void> {
  try {
    const ref = objectOfMessage(record.body);
    const { text } = await readMarkdown(s3, ref);
    // A note that would keep the parser busy for minutes fails alone, at once (markdown-cost.ts).
    assertConvertible(text);
    const key = htmlKeyOf(ref.key);
    await s3.send(
      new PutObjectCommand({
        Bucket: outputBucket(),
        Key: key,
        Body: htmlDocument(ref.key, toSafeHtml(text)),
        ContentType: 'text/html; charset=utf-8',
      }),
    );
    logger.info('converted', { source: `s3://${ref.bucket}/${ref.key}`, output: key });
  } catch (err) {
    // Logged here with the message id; the batch processor reports the record as failed.
    logger.error('conversion failed', { messageId: record.messageId, error: err as Error });
    throw err;
  }
}

/** SQS → conversion, one record at a time; failed records are reported, not the whole batch. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  return processPartialResponse(event, convert, processor, { context });
};
