/**
 * Module 1, conversion: each Markdown file uploaded to the input bucket becomes a sanitised HTML
 * page in the output bucket. Triggered by SQS messages that carry EventBridge "Object Created"
 * events; one bad file fails alone (partial batch response) and ends in the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { assertConvertible } from '../../modules/01-file-processing/shared/markdown-cost.ts';
import { objectOfMessage } from '../../modules/01-file-processing/shared/object-event.ts';
import { readMarkdown } from '../../modules/01-file-processing/shared/read-object.ts';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'conversion' });
const processor = new BatchProcessor(EventType.SQS);

// GitHub-flavoured Markdown; raw HTML in the file passes through marked and is cleaned below.
const markdown = new Marked({ gfm: true, async: false });

/**
 * An allowlist, not a blocklist: what is not named here does not survive. Interview notes need
 * text formatting, lists, tables, code, links and images; nothing that runs or embeds.
 */
const SANITISE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code'],
    ...['ul', 'ol', 'li', 'dl', 'dt', 'dd', 'em', 'strong', 'del', 's', 'sub', 'sup', 'kbd', 'mark'],
    ...['table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'img'],
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    code: ['class'],
  },
  allowedClasses: { code: ['language-*'] },
  // No javascript:, vbscript: or data: (a data:text/html link is a page of the attacker's choosing).
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  // Drop disallowed tags; the text of script/style/textarea goes with them.
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
  },
};

/**
 * Converts untrusted Markdown to HTML that runs nothing: no scripts, event-handler attributes,
 * `javascript:`/`data:` URLs, frames, objects or forms survive.
 */
export function toSafeHtml(source: string): string {
  return sanitizeHtml(markdown.parse(source, { async: false }), SANITISE);
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
