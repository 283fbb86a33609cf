/** DynamoDB's answers to injected throttling: the refused call and `UnprocessedItems`. */
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
import { type GatewayRequest, LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

function tableNameOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.TableName === 'string') return body.TableName;
  const items = body.RequestItems ?? body.TransactItems;
  if (typeof items === 'object' && items !== null && !Array.isArray(items)) return Object.keys(items)[0];
  return undefined;
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
      return rewritten(CONTENT_TYPE, backend, { ...out, UnprocessedItems: merged });
    },
  };
}

export const dynamodbFaults: FaultShapes = {
  refused(req, errorType) {
    const body = jsonBody(req);
    const table = tableNameOf(body);
    const __type = `com.amazonaws.dynamodb.v20120810#${errorType}`;
    if (errorType === 'ThrottlingException') {
      return jsonAnswer(CONTENT_TYPE, 400, {
        __type,
        message: `Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ${INJECTED}`,
      });
    }
    const access = WRITES.has(operationOf(req.headers)) ? 'Write' : 'Read';
    return jsonAnswer(CONTENT_TYPE, 400, {
      __type,
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
  },
  entryCount(req) {
    const items = jsonBody(req).RequestItems;
    if (typeof items !== 'object' || items === null) return 0;
    return Object.values(items).reduce((n: number, list) => n + asList(list).length, 0);
  },
  partial: partialBatchWrite,
};
