/** Kinesis's answers to injected throttling: the refused call and the partly failed `PutRecords`. */
import {
  asList,
  backendBody,
  type FaultShapes,
  INJECTED,
  jsonAnswer,
  jsonBody,
  operationOf,
  type PartialCall,
  rewritten,
  withBody,
} from '../faults/shapes.ts';
import { type GatewayRequest, LOCAL_ACCOUNT } from '../types.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** The stream a Kinesis call names, by `StreamName` or `StreamARN`. */
export function streamNameOf(body: Record<string, unknown>): string {
  if (typeof body.StreamName === 'string') return body.StreamName;
  if (typeof body.StreamARN === 'string') return body.StreamARN.slice(body.StreamARN.lastIndexOf('/') + 1);
  return 'the stream';
}

const rateMessage = (stream: string) =>
  `Rate exceeded for stream ${stream} under account ${LOCAL_ACCOUNT}. ${INJECTED}`;

/**
 * `PutRecords` with the entries at `rejected` failed: they come back with
 * `ErrorCode: ProvisionedThroughputExceededException` in a 200, counted in `FailedRecordCount`.
 * `messageOf` gives an entry's `ErrorMessage` (the injected one by default).
 */
export function partialPutRecords(
  req: GatewayRequest,
  rejected: readonly number[],
  messageOf?: (index: number) => string,
): PartialCall {
  const body = jsonBody(req);
  const records = asList(body.Records);
  const failed = new Set(rejected);
  const kept = records.filter((_, i) => !failed.has(i));
  const injected = rateMessage(streamNameOf(body));
  const failure = (i: number) => ({
    ErrorCode: 'ProvisionedThroughputExceededException',
    ErrorMessage: messageOf ? messageOf(i) : injected,
  });
  return {
    forward: kept.length > 0 ? withBody(req, { ...body, Records: kept }) : undefined,
    answer(backend) {
      // An error (a missing stream) is the emulator's to give, as it is.
      if (backend && backend.status !== 200) return backend;
      const out = backendBody(backend);
      const sent = asList(out.Records);
      let next = 0;
      const results = records.map((_, i) => (failed.has(i) ? failure(i) : (sent[next++] ?? failure(i))));
      const failedCount = results.filter((r) => (r as { ErrorCode?: unknown }).ErrorCode).length;
      return rewritten(CONTENT_TYPE, backend, { ...out, FailedRecordCount: failedCount, Records: results });
    },
  };
}

export const kinesisFaults: FaultShapes = {
  refused(req, errorType) {
    const stream = operationOf(req.headers) === 'GetRecords' ? 'the shard' : streamNameOf(jsonBody(req));
    return jsonAnswer(CONTENT_TYPE, 400, { __type: errorType, message: rateMessage(stream) });
  },
  entryCount: (req) => asList(jsonBody(req).Records).length,
  partial: partialPutRecords,
};
