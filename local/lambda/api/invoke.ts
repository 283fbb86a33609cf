/** Invoke: RequestResponse, Event and DryRun invocations of `$LATEST`. */
import type { GatewayRequest, GatewayResponse } from '../../types.ts';
import { logTail } from '../runtime/logs.ts';
import { findFunction, type LambdaApiReader } from './backend.ts';
import { lambdaError, type RouteHandler } from './http.ts';

/** Lambda's synchronous payload limit. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** The Invoke operation over `backend`. */
export function invokeHandler(backend: LambdaApiReader): RouteHandler {
  return async ([raw = ''], req: GatewayRequest, q): Promise<GatewayResponse> => {
    const { def } = findFunction(backend, raw, q);
    const type = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (req.body.length > MAX_PAYLOAD_BYTES) {
      return lambdaError(
        413,
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    const text = req.body.length > 0 ? req.body.toString('utf8') : '{}';
    try {
      JSON.parse(text);
    } catch (err) {
      return lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(err as Error).message}`,
      );
    }
    let clientContext: unknown;
    const encoded = req.headers['x-amz-client-context'];
    if (encoded) {
      try {
        clientContext = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
      } catch {
        return lambdaError(400, 'InvalidRequestContentException', 'Client context must be valid Base64 JSON');
      }
    }
    const headers = { 'x-amz-executed-version': '$LATEST' };
    if (type === 'DryRun') return { status: 204, headers };
    if (type === 'Event') {
      void backend
        .invokeText(def.name, text, { clientContext })
        .then((r) => {
          if (r.functionError)
            backend.note(`[${def.name}] asynchronous invocation ${r.requestId} failed: ${r.payload}`);
        })
        .catch((err) =>
          backend.note(`[${def.name}] asynchronous invocation failed: ${(err as Error).message}`),
        );
      return { status: 202, headers, body: '' };
    }
    if (type !== 'RequestResponse') {
      return lambdaError(400, 'InvalidParameterValueException', `Unsupported InvocationType: ${type}`);
    }
    const result = await backend.invokeText(def.name, text, { clientContext });
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        ...headers,
        ...(result.functionError && { 'x-amz-function-error': result.functionError }),
        ...(req.headers['x-amz-log-type'] === 'Tail' && { 'x-amz-log-result': logTail(result.logs) }),
      },
      body: result.payload,
    };
  };
}
