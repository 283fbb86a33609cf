/**
 * What both module 1 functions share and the attendee does not write: reading the S3 object an
 * SQS message is about, and refusing files no handler should process (too large, not UTF-8).
 */

/** Where an uploaded file lives. */
export interface ObjectRef {
  bucket: string;
  key: string;
}

/** The SQS message is not an EventBridge S3 "Object Created" event; retrying will not help. */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/** The file is larger than a handler accepts; it ends in the dead-letter queue. */
export class FileTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`the file is ${bytes} bytes, more than the ${limit}-byte limit: split it or shorten it`);
    this.name = 'FileTooLargeError';
  }
}

/** The file is not valid UTF-8 (a binary file renamed `.md`, or another encoding). */
export class InvalidUtf8Error extends Error {
  constructor() {
    super('the file is not valid UTF-8 text: save it as UTF-8 and upload it again');
    this.name = 'InvalidUtf8Error';
  }
}

/** Interview notes are small; 1 MiB keeps a Lambda's memory and Comprehend's bill predictable. */
export const MAX_MARKDOWN_BYTES = 1024 * 1024;

/**
 * Decodes an object key as S3 writes it in event notifications: URL-encoded, spaces as `+`
 * (`notes/red flower.md` arrives as `notes/red+flower.md`).
 */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, '%20'));
}

/**
 * Reads the bucket and (decoded) key from an SQS message body that holds an EventBridge
 * "Object Created" event.
 * @throws InvalidEventError when the body is not such an event.
 */
export function objectOfMessage(body: string): ObjectRef {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    throw new InvalidEventError('the message body is not JSON');
  }
  const detail = (event as { detail?: { bucket?: { name?: unknown }; object?: { key?: unknown } } })?.detail;
  const bucket = detail?.bucket?.name;
  const key = detail?.object?.key;
  if (typeof bucket !== 'string' || typeof key !== 'string' || bucket === '' || key === '') {
    throw new InvalidEventError(
      'the message is not an S3 "Object Created" event (no detail.bucket.name/object.key)',
    );
  }
  return { bucket, key: decodeS3Key(key) };
}

/**
 * Turns an object's bytes into text, refusing files that would harm or mislead a handler.
 * @throws FileTooLargeError over `limit` bytes; InvalidUtf8Error when the bytes are not UTF-8.
 */
export function decodeMarkdown(bytes: Uint8Array, limit = MAX_MARKDOWN_BYTES): string {
  if (bytes.byteLength > limit) throw new FileTooLargeError(bytes.byteLength, limit);
  try {
    // fatal: a replacement character would silently change what the attendee wrote.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InvalidUtf8Error();
  }
}
