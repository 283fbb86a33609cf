/**
 * The AWS-shaped answers of throttled calls, per protocol: the error of a refused call, and the
 * 200 of a batch call in which some entries failed. The entries that fail are never written:
 * only the others reach the emulator.
 */
import { type GatewayRequest, type GatewayResponse, LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';
import type { ThrottledService } from './plan.ts';

/** Appended to every injected message, so whoever reads the log knows it is a drill. */
export const INJECTED = '(injected by the local cloud: WILDRYDES_FAULTS)';

/** The operation a JSON-protocol call names in `X-Amz-Target` (`Kinesis_20131202.PutRecords`). */
export function operationOf(headers: Record<string, string>): string {
  const target = headers['x-amz-target'] ?? '';
  return target.slice(target.lastIndexOf('.') + 1);
}

const CONTENT_TYPE: Record<ThrottledService, string> = {
  kinesis: 'application/x-amz-json-1.1',
  dynamodb: 'application/x-amz-json-1.0',
  comprehend: 'application/x-amz-json-1.1',
};

/** The JSON body of a request, or an empty object if it has none or is not JSON. */
function jsonBody(req: Pick<GatewayRequest, 'body'>): Record<string, unknown> {
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const json = (service: ThrottledService, status: number, body: unknown, headers = {}): GatewayResponse => ({
  status,
  headers: { ...headers, 'content-type': CONTENT_TYPE[service] },
  body: JSON.stringify(body),
});

function streamNameOf(body: Record<string, unknown>): string {
  if (typeof body.StreamName === 'string') return body.StreamName;
  if (typeof body.StreamARN === 'string') return body.StreamARN.slice(body.StreamARN.lastIndexOf('/') + 1);
  return 'the stream';
}

const kinesisRate = (stream: string) =>
  `Rate exceeded for stream ${stream} under account ${LOCAL_ACCOUNT}. ${INJECTED}`;

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

function tableNameOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.TableName === 'string') return body.TableName;
  const items = body.RequestItems ?? body.TransactItems;
  if (typeof items === 'object' && items !== null && !Array.isArray(items)) return Object.keys(items)[0];
  return undefined;
}

/** The answer of a refused call: HTTP 400 with the error `__type` the service's SDK reads. */
export function refusedResponse(
  req: GatewayRequest,
  service: ThrottledService,
  errorType: string,
): GatewayResponse {
  const body = jsonBody(req);
  if (service === 'kinesis') {
    const stream = operationOf(req.headers) === 'GetRecords' ? 'the shard' : streamNameOf(body);
    return json(service, 400, { __type: errorType, message: kinesisRate(stream) });
  }
  if (service === 'comprehend')
    return json(service, 400, { __type: errorType, message: `Rate exceeded ${INJECTED}` });
  const table = tableNameOf(body);
  if (errorType === 'ThrottlingException') {
    return json(service, 400, {
      __type: `com.amazonaws.dynamodb.v20120810#${errorType}`,
      message: `Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ${INJECTED}`,
    });
  }
  const access = WRITES.has(operationOf(req.headers)) ? 'Write' : 'Read';
  return json(service, 400, {
    __type: `com.amazonaws.dynamodb.v20120810#${errorType}`,
    message: `The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API. ${INJECTED}`,
    ...(table && {
      ThrottlingReasons: [
        {
          reason: `Table${access}KeyRangeThroughputExceeded`,
          resource: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${table}`,
        },
      ],
    }),
  });
}

/** A batch call with some entries failed: what to forward, and how to answer the client. */
export interface PartialCall {
  /** The request with the failed entries left out; undefined when no entry is left to send. */
  forward?: GatewayRequest;
  /** The client's answer, from the emulator's answer to `forward` (none if nothing was forwarded). */
  answer(backend?: GatewayResponse): GatewayResponse;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const withBody = (req: GatewayRequest, body: unknown): GatewayRequest => ({
  ...req,
  body: Buffer.from(JSON.stringify(body)),
});

/** The JSON body of the emulator's answer (none when nothing was forwarded). */
const backendBody = (backend: GatewayResponse | undefined): Record<string, unknown> =>
  backend ? jsonBody({ body: Buffer.from(backend.body ?? '') }) : {};

/** Drops headers that describe the emulator's body, which the merge rewrites (`x-amz-crc32`). */
function rewritten(
  service: ThrottledService,
  backend: GatewayResponse | undefined,
  body: unknown,
): GatewayResponse {
  const headers = { ...(backend?.headers ?? {}) };
  delete headers['x-amz-crc32'];
  delete headers['content-length'];
  return json(service, 200, body, headers);
}

/** The number of entries a batch call carries (0 if it is not one, or not readable). */
export function entryCount(req: GatewayRequest, service: ThrottledService): number {
  const body = jsonBody(req);
  if (service === 'kinesis') return asList(body.Records).length;
  if (service === 'dynamodb' && typeof body.RequestItems === 'object' && body.RequestItems !== null) {
    return Object.values(body.RequestItems).reduce((n: number, list) => n + asList(list).length, 0);
  }
  return 0;
}

/**
 * `PutRecords` with the entries at `rejected` failed: they come back with
 * `ErrorCode: ProvisionedThroughputExceededException` in a 200, counted in `FailedRecordCount`.
 */
export function partialPutRecords(req: GatewayRequest, rejected: readonly number[]): PartialCall {
  const body = jsonBody(req);
  const records = asList(body.Records);
  const failed = new Set(rejected);
  const kept = records.filter((_, i) => !failed.has(i));
  const failure = {
    ErrorCode: 'ProvisionedThroughputExceededException',
    ErrorMessage: kinesisRate(streamNameOf(body)),
  };
  return {
    forward: kept.length > 0 ? withBody(req, { ...body, Records: kept }) : undefined,
    answer(backend) {
      // An error (a missing stream) is the emulator's to give, as it is.
      if (backend && backend.status !== 200) return backend;
      const out = backendBody(backend);
      const sent = asList(out.Records);
      let next = 0;
      const results = records.map((_, i) => (failed.has(i) ? failure : (sent[next++] ?? failure)));
      const failedCount = results.filter((r) => (r as { ErrorCode?: unknown }).ErrorCode).length;
      return rewritten('kinesis', backend, { ...out, FailedRecordCount: failedCount, Records: results });
    },
  };
}

/**
 * `BatchWriteItem` with the requests at `rejected` (counted across tables, in order) not
 * processed: they come back in `UnprocessedItems`, as DynamoDB does when a partition is hot.
 */
export function partialBatchWrite(req: GatewayRequest, rejected: readonly number[]): PartialCall {
  const body = jsonBody(req);
  const items = (body.RequestItems ?? {}) as Record<string, unknown>;
  const failed = new Set(rejected);
  const kept: Record<string, unknown[]> = {};
  const unprocessed: Record<string, unknown[]> = {};
  let index = 0;
  for (const [table, list] of Object.entries(items)) {
    for (const request of asList(list)) {
      const side = failed.has(index++) ? unprocessed : kept;
      side[table] = [...(side[table] ?? []), request];
    }
  }
  return {
    forward: Object.keys(kept).length > 0 ? withBody(req, { ...body, RequestItems: kept }) : undefined,
    answer(backend) {
      if (backend && backend.status !== 200) return backend;
      const out = backendBody(backend);
      const merged: Record<string, unknown[]> = {};
      for (const source of [(out.UnprocessedItems ?? {}) as Record<string, unknown>, unprocessed]) {
        for (const [table, list] of Object.entries(source))
          merged[table] = [...(merged[table] ?? []), ...asList(list)];
      }
      return rewritten('dynamodb', backend, { ...out, UnprocessedItems: merged });
    },
  };
}
