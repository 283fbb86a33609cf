/** The producer's Kinesis connection: region, endpoint and credentials rules, the client, the calls. */
import { DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { describeAwsError, UsageError } from '../core/errors.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import type { PutRecordsFn } from './sender.ts';

/** No answer on a connection for this long means the endpoint is unreachable. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * How long a `PutRecords` may take to answer once the stream has answered (`checkStream`). A
 * busy endpoint is not an unreachable one: a call given up on may have been stored all the same,
 * and sent again it would put its records in the stream twice (Kinesis is at-least-once). Seen
 * on a loaded 2-core laptop, where the local cloud answered some calls after 5 s.
 */
export const ANSWER_TIMEOUT_MS = 30_000;

/** Where and as whom to connect. */
export interface Connection {
  /** Undefined lets the SDK look in the shared config file (`aws configure`). */
  region?: string;
  endpoint?: string;
  /** Set only for the local cloud's dummy credentials; else the SDK's own chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** For messages: the endpoint, or `AWS (region)`. */
  where: string;
}

/** `localhost`, `127.x.x.x` or `[::1]`: the local cloud on this machine. */
export function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * Region: `--region`, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1 for an endpoint
 * (the local cloud's), else whatever `aws configure` saved (the SDK fails clearly without one).
 * Endpoint: `--endpoint`, else the SDK's own AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL.
 * Credentials: a loopback endpoint with none in the environment gets the local cloud's dummy
 * ones (it does not check them); anything else uses the SDK's chain, which errors if empty.
 */
export function resolveConnection(
  opts: { region?: string; endpoint?: string },
  env: Record<string, string | undefined>,
): Connection {
  const endpoint = opts.endpoint ?? (env.AWS_ENDPOINT_URL_KINESIS || env.AWS_ENDPOINT_URL || undefined);
  const region =
    opts.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? LOCAL_REGION : undefined));
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  const local = endpoint !== undefined && isLoopback(endpoint) && !hasCredentials;
  return {
    region,
    endpoint,
    credentials: local ? { ...LOCAL_CREDENTIALS } : undefined,
    where: endpoint ?? `AWS (${region ?? 'region from your AWS config'})`,
  };
}

/** A Kinesis client whose only retry policy is the producer's own (`maxAttempts: 1`). */
export function createKinesis(conn: Connection, connectTimeoutMs = CONNECT_TIMEOUT_MS): KinesisClient {
  return new KinesisClient({
    region: conn.region,
    endpoint: conn.endpoint,
    credentials: conn.credentials,
    maxAttempts: 1,
    // HTTP/2 like the SDK's default for Kinesis, but one pooled session, and a short timeout so
    // an unreachable endpoint fails in seconds rather than minutes.
    requestHandler: new NodeHttp2Handler({
      requestTimeout: connectTimeoutMs,
      disableConcurrentStreams: false,
    }),
  });
}

/** `PutRecords` on `stream` as a `PutRecordsFn`: one outcome per entry, in order. */
export function kinesisPutRecords(
  client: KinesisClient,
  stream: string,
  answerTimeoutMs = ANSWER_TIMEOUT_MS,
): PutRecordsFn {
  return async (entries) => {
    const res = await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: entries.map((e) => ({ PartitionKey: e.partitionKey, Data: e.data })),
      }),
      { requestTimeout: answerTimeoutMs },
    );
    return (res.Records ?? []).map((r) => ({ errorCode: r.ErrorCode, errorMessage: r.ErrorMessage }));
  };
}

const UNREACHABLE = new Set(['TimeoutError', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * An AWS or network error as a one-line `UsageError` naming the fix (`describeAwsError`, plus
 * the timeouts and unreachable hosts it does not cover), or the error itself if it is a bug.
 */
export function explainAwsError(err: unknown, conn: Connection, stream: string): unknown {
  const deploy = conn.endpoint ? '`npm run deploy -- 2`' : '`npm run deploy -- 2 --target aws`';
  const known = describeAwsError(err, {
    resource: `stream '${stream}'`,
    whenMissing: `deploy module 2 first (${deploy})`,
    endpoint: conn.endpoint,
    region: conn.region,
  });
  if (known) return known;
  const e = err as { name?: unknown; code?: unknown };
  if (UNREACHABLE.has(String(e.name)) || UNREACHABLE.has(String(e.code))) {
    return new UsageError(
      `cannot reach ${conn.where} (no answer within ${CONNECT_TIMEOUT_MS / 1000} s): check --endpoint / AWS_ENDPOINT_URL, or start the local cloud with \`npm start\``,
    );
  }
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if ((e.name === 'Unknown' || e.name === 'UnknownError') && status !== undefined) {
    return new UsageError(
      `${conn.where} answered HTTP ${status} but not as Kinesis does: check --endpoint / AWS_ENDPOINT_URL`,
    );
  }
  return err;
}

/**
 * Fails fast, before any record is made, if the stream is missing or unusable; waits up to
 * `waitSeconds` for a stream that is still being created. Returns its open shards' count.
 */
export async function checkStream(
  client: KinesisClient,
  stream: string,
  conn: Connection,
  waitSeconds = 60,
): Promise<number> {
  for (let waited = 0; ; waited++) {
    let status: string | undefined;
    let shards: number | undefined;
    try {
      const res = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      status = res.StreamDescriptionSummary?.StreamStatus;
      shards = res.StreamDescriptionSummary?.OpenShardCount;
    } catch (err) {
      throw explainAwsError(err, conn, stream);
    }
    if (status === 'ACTIVE' || status === 'UPDATING') return shards ?? 1;
    if (status !== 'CREATING' || waited >= waitSeconds) {
      throw new UsageError(
        `stream '${stream}' in ${conn.where} is ${status ?? 'in an unknown state'}, not ACTIVE: wait for it, or redeploy module 2 (\`npm run deploy -- 2\`)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
