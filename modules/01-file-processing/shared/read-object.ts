import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { decodeMarkdown, FileTooLargeError, MAX_MARKDOWN_BYTES, type ObjectRef } from './object-event.ts';

/** An uploaded Markdown file, read and checked. */
export interface MarkdownFile {
  text: string;
  lastModified: Date;
}

/**
 * Reads an object as Markdown text. A file over the size limit is refused before its body is
 * read, so a huge upload cannot exhaust the function's memory.
 * @throws FileTooLargeError, InvalidUtf8Error (see decodeMarkdown), or the SDK's NoSuchKey.
 */
export async function readMarkdown(
  s3: S3Client,
  ref: ObjectRef,
  limit = MAX_MARKDOWN_BYTES,
): Promise<MarkdownFile> {
  const res = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
  const size = res.ContentLength ?? 0;
  if (size > limit) {
    (res.Body as { destroy?: () => void } | undefined)?.destroy?.();
    throw new FileTooLargeError(size, limit);
  }
  const bytes = (await res.Body?.transformToByteArray()) ?? new Uint8Array();
  return { text: decodeMarkdown(bytes, limit), lastModified: res.LastModified ?? new Date() };
}
