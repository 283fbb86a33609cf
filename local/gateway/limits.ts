/**
 * How large a request body each service takes, from AWS's documented quotas, and the error AWS
 * answers beyond it. The gateway refuses a larger body before buffering it: at once when
 * `content-length` says so, else as soon as the bytes read pass the cap.
 */

/** A body cap and the refusal that goes with it. */
export interface BodyLimit {
  bytes: number;
  status: number;
  code: string;
  message: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Base64 makes 3 bytes 4, and JSON adds the names, keys and quotes around them. */
const base64Json = (bytes: number) => Math.ceil((bytes * 4) / 3) + 1 * MiB;

const LIMITS: Record<string, BodyLimit> = {
  // PutRecords: up to 5 MiB of records, partition keys included, base64 in JSON.
  kinesis: {
    bytes: base64Json(5 * MiB),
    status: 413,
    code: 'InvalidArgumentException',
    message: 'Records size exceeds 5 MB limit',
  },
  // BatchWriteItem "can transmit up to 16MB of data over the network".
  dynamodb: {
    bytes: 16 * MiB,
    status: 413,
    code: 'ValidationException',
    message: 'Request size exceeds 16 MB: a DynamoDB request may carry up to 16 MB',
  },
  // A message (or a batch of them) is at most 1 MiB; the form or JSON encoding adds to it.
  sqs: {
    bytes: 2 * MiB,
    status: 413,
    code: 'BatchRequestTooLong',
    message: 'Request is longer than 1048576 bytes of messages: the maximum an SQS request may carry',
  },
  sns: {
    bytes: 2 * MiB,
    status: 413,
    code: 'InvalidParameter',
    message: 'Invalid parameter: Message too long (a message is at most 1048576 bytes)',
  },
  // PutEvents: the total entry size must be less than 256 KB (JSON escaping may double it).
  events: {
    bytes: 1 * MiB,
    status: 413,
    code: 'ValidationException',
    message: 'Total size of the entries in the request is over the limit of 256 KB',
  },
  // DetectSentiment: 5 KB of text; the batch APIs 25 of them.
  comprehend: {
    bytes: 1 * MiB,
    status: 413,
    code: 'TextSizeLimitExceededException',
    message: 'Input text size exceeds limit. Max length of request text allowed is 5000 bytes',
  },
  // CreateFunction/UpdateFunctionCode: a 50 MB zip uploaded directly, base64 in JSON.
  lambda: {
    bytes: Math.ceil((50 * MiB * 4) / 3),
    status: 413,
    code: 'RequestEntityTooLargeException',
    message: 'Request must be smaller than 69905067 bytes for the CreateFunction operation',
  },
  // S3 takes 5 GB in one PUT; the local cloud keeps objects in memory, so it stops at 256 MiB.
  s3: {
    bytes: 256 * MiB,
    status: 400,
    code: 'EntityTooLarge',
    message:
      'Your proposed upload exceeds the maximum allowed size (the local cloud keeps objects in memory: 256 MiB at most)',
  },
  // The workshop's own control endpoints take a list of stack names.
  control: {
    bytes: 64 * KiB,
    status: 413,
    code: 'RequestEntityTooLargeException',
    message: 'a control request carries a list of stack names: 64 KiB at most',
  },
};

/** STS, IAM, SSM, CloudFormation and anything else: 1 MiB (CloudFormation's inline template is 51,200 bytes). */
const DEFAULT_LIMIT: BodyLimit = {
  bytes: 1 * MiB,
  status: 413,
  code: 'RequestEntityTooLargeException',
  message: 'Request must be smaller than 1048576 bytes',
};

/** Lambda's Invoke: "6 MB each for request and response (synchronous)". */
const INVOKE_LIMIT: BodyLimit = {
  bytes: 6 * MiB,
  status: 413,
  code: 'RequestTooLargeException',
  message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
};

/** The body cap of a request for `service` (`control` for `/_wildrydes/…`) at `path`. */
export function bodyLimit(service: string | undefined, path: string): BodyLimit {
  if (service === 'lambda' && /\/invocations\/?$/.test(path)) return INVOKE_LIMIT;
  return (service && LIMITS[service]) || DEFAULT_LIMIT;
}
