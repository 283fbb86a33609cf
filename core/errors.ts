/**
 * Expected failures: the CLI prints `message` on one line and exits with `exitCode`.
 * Anything else is a bug and is reported as such (stack only with WILDRYDES_DEBUG=1).
 */
export class WorkshopError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'WorkshopError';
  }
}

/** Bad arguments or a bad environment: exit code 2, as every workshop CLI promises. */
export class UsageError extends WorkshopError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** What the attendee was trying to reach, so an AWS error can name it. */
export interface AwsErrorContext {
  /** e.g. `stream 'wildrydes'`, `table 'UnicornSensorData'`. */
  resource?: string;
  /** The fix for a missing resource, e.g. "deploy it with `npm run deploy -- 2`". */
  whenMissing?: string;
  /** The endpoint in use, or undefined for AWS itself. */
  endpoint?: string;
  region?: string;
}

const codeOf = (err: unknown): string => {
  if (typeof err !== 'object' || err === null) return '';
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string') return e.code;
  const nested = e.cause ?? e.errors?.[0];
  if (nested) return codeOf(nested);
  return typeof e.name === 'string' ? e.name : '';
};

/**
 * Turns an AWS SDK or network error into a one-line `UsageError` that says what to do next,
 * or returns undefined when the error is not one an attendee can fix from the command line.
 */
export function describeAwsError(err: unknown, ctx: AwsErrorContext = {}): UsageError | undefined {
  const name = (err as { name?: string })?.name ?? '';
  const message = (err as { message?: string })?.message ?? String(err);
  const code = codeOf(err);
  const where = ctx.endpoint ?? `AWS (${ctx.region ?? 'no region'})`;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new UsageError(
      'no AWS credentials found: for the local cloud run the `export` lines that `npm start` prints; for AWS run `aws configure`',
    );
  }
  if (/Region is missing/i.test(message)) {
    return new UsageError('no AWS region set: pass --region us-east-1 or `export AWS_REGION=us-east-1`');
  }
  const badRegion = /Region not accepted: region="([^"]*)"|Invalid region in client config/i.exec(message);
  if (badRegion) {
    return new UsageError(
      `${badRegion[1] !== undefined ? `'${badRegion[1]}'` : 'the region'} is not an AWS region: pass one like --region us-east-1`,
    );
  }
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
    return new UsageError(
      `cannot reach ${where}: is the local cloud running? Start it with \`npm start\`, or set AWS_ENDPOINT_URL to its endpoint`,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /ENOTFOUND|EAI_AGAIN/.test(message)) {
    return new UsageError(
      `cannot resolve the host of ${where}: check --endpoint / AWS_ENDPOINT_URL and --region`,
    );
  }
  if (name === 'ResourceNotFoundException' || name === 'QueueDoesNotExist' || name === 'NoSuchBucket') {
    const what = ctx.resource ?? 'the resource';
    return new UsageError(
      `${what} does not exist in ${where}${ctx.whenMissing ? `: ${ctx.whenMissing}` : ''}`,
    );
  }
  if (
    name === 'UnrecognizedClientException' ||
    name === 'InvalidSignatureException' ||
    name === 'ExpiredTokenException' ||
    name === 'InvalidClientTokenId'
  ) {
    return new UsageError(`${where} rejected your credentials (${name}): refresh them, or check --region`);
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new UsageError(`access denied to ${ctx.resource ?? 'the resource'} in ${where}: ${message}`);
  }
  // An answer no AWS protocol can read: another server on that port (the site, a proxy).
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const notAws =
    ((name === 'Unknown' || name === 'UnknownError' || /Deserialization error/i.test(message)) && status) ||
    code === 'ERR_HTTP2_ERROR';
  if (notAws) {
    return new UsageError(
      `${where} answered${status ? ` HTTP ${status}` : ''}, but not as an AWS service does: is it the local cloud's port (4566, not the site's 4567)? Check --endpoint / AWS_ENDPOINT_URL`,
    );
  }
  return undefined;
}

/** One line for any error: expected ones as they are, others marked as a bug to report. */
export function formatError(err: unknown): { line: string; exitCode: number } {
  if (err instanceof WorkshopError) return { line: err.message, exitCode: err.exitCode };
  const aws = describeAwsError(err);
  if (aws) return { line: aws.message, exitCode: aws.exitCode };
  const message = (err as { message?: string })?.message ?? String(err);
  return {
    line: `unexpected error: ${message.split('\n')[0]} (run again with WILDRYDES_DEBUG=1 for details)`,
    exitCode: 1,
  };
}

/** Runs a CLI's main function: expected errors become one line on stderr and an exit code. */
export async function runMain(main: () => Promise<number | undefined>): Promise<void> {
  // `… | head` closes the pipe early: that is the reader being done, not an error to report.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (err) {
    const { line, exitCode } = formatError(err);
    process.stderr.write(`error: ${line}\n`);
    if (process.env.WILDRYDES_DEBUG) console.error(err);
    process.exitCode = exitCode;
  }
}
