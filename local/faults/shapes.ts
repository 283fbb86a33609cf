/**
 * What a throttled call looks like is each service's own business (its protocol, its error
 * names, its partial-batch answer): a service hands the injector its `FaultShapes`, and keeps
 * them beside its adapter and provider (`local/kinesis/faults.ts`, …).
 */
import type { GatewayRequest, GatewayResponse } from '../types.ts';

/** Appended to every injected message, so whoever reads the log knows it is a drill. */
export const INJECTED = '(injected by the local cloud: WILDRYDES_FAULTS)';

/** A batch call with some entries failed: what to forward, and how to answer the client. */
export interface PartialCall {
  /** The request with the failed entries left out; undefined when no entry is left to send. */
  forward?: GatewayRequest;
  /** The client's answer, from the emulator's answer to `forward` (none if nothing was forwarded). */
  answer(backend?: GatewayResponse): GatewayResponse;
}

/** How one service answers an injected fault, in its own protocol. */
export interface FaultShapes {
  /** The answer of a refused call: HTTP 400 with the error the service's SDK reads. */
  refused(req: GatewayRequest, errorType: string): GatewayResponse;
  /** The number of entries a batch call carries (0 if it is not one, or not readable). */
  entryCount(req: GatewayRequest): number;
  /** The batch call with the entries at `rejected` failed (services with partial batches only). */
  partial?(req: GatewayRequest, rejected: readonly number[]): PartialCall;
}

/** The operation a JSON-protocol call names in `X-Amz-Target` (`Kinesis_20131202.PutRecords`). */
export function operationOf(headers: Record<string, string>): string {
  const target = headers['x-amz-target'] ?? '';
  return target.slice(target.lastIndexOf('.') + 1);
}

/** The JSON body of a request, or an empty object if it has none or is not JSON. */
export function jsonBody(req: Pick<GatewayRequest, 'body'>): Record<string, unknown> {
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A JSON-protocol answer with the service's content type. */
export const jsonAnswer = (
  contentType: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): GatewayResponse => ({
  status,
  headers: { ...headers, 'content-type': contentType },
  body: JSON.stringify(body),
});

export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The request with another JSON body (the entries left to forward). */
export const withBody = (req: GatewayRequest, body: unknown): GatewayRequest => ({
  ...req,
  body: Buffer.from(JSON.stringify(body)),
});

/** The JSON body of the emulator's answer (none when nothing was forwarded). */
export const backendBody = (backend: GatewayResponse | undefined): Record<string, unknown> =>
  backend ? jsonBody({ body: Buffer.from(backend.body ?? '') }) : {};

/** The merged 200, without the headers that describe the emulator's body (`x-amz-crc32`). */
export function rewritten(
  contentType: string,
  backend: GatewayResponse | undefined,
  body: unknown,
): GatewayResponse {
  const headers = { ...(backend?.headers ?? {}) };
  delete headers['x-amz-crc32'];
  delete headers['content-length'];
  return jsonAnswer(contentType, 200, body, headers);
}
