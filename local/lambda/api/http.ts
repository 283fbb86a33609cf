/** REST-JSON plumbing of the Lambda API: routes, JSON bodies, errors, paging. */
import type { GatewayRequest, GatewayResponse } from '../../types.ts';
import { LambdaApiError } from './errors.ts';

/** Answers one operation; `params` are the path's captured segments, still URL-encoded. */
export type RouteHandler = (
  params: string[],
  req: GatewayRequest,
  query: URLSearchParams,
) => Promise<GatewayResponse>;

/** An operation: HTTP method, path pattern (2015-03-31 paths), handler. */
export type Route = readonly [method: string, pattern: RegExp, handle: RouteHandler];

/** An error in the shape Lambda sends: the SDK throws an exception named `type`. */
export function lambdaError(status: number, type: string, message: string): GatewayResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: status < 500 ? 'User' : 'Service', Message: message, message }),
  };
}

/** A JSON answer. */
export const json = (body: unknown, status = 200): GatewayResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** An empty answer (204 for DeleteFunction and RemovePermission). */
export const noContent = (): GatewayResponse => ({ status: 204, body: '' });

/** One page of a list, with Lambda's `Marker`/`MaxItems` paging (the marker is an offset). */
export function page<T>(
  items: T[],
  query: URLSearchParams,
  defaultMax: number,
): { items: T[]; next?: string } {
  const start = Number.parseInt(query.get('Marker') ?? '0', 10) || 0;
  const max = Math.min(Math.max(Number.parseInt(query.get('MaxItems') ?? '', 10) || defaultMax, 1), 10_000);
  const end = start + max;
  return { items: items.slice(start, end), ...(end < items.length && { next: String(end) }) };
}

/** A request's JSON body as an object (`{}` when empty); anything else is a `SerializationException`. */
export function jsonBody(req: GatewayRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch (err) {
    throw new LambdaApiError(
      400,
      'SerializationException',
      `Could not parse the request body: ${(err as Error).message}`,
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new LambdaApiError(400, 'SerializationException', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

type Kind = 'string' | 'number' | 'boolean' | 'object';

/** A member of the body, checked to be of `kind` when present (the SDKs send these types). */
function member<T>(body: Record<string, unknown>, key: string, kind: Kind): T | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const actual = Array.isArray(value) ? 'array' : typeof value;
  if (actual !== kind) {
    throw new LambdaApiError(400, 'SerializationException', `${key} must be a ${kind}, not ${actual}`);
  }
  return value as T;
}

/** Typed readers of a request body's members: `undefined` when absent. */
export const read = {
  string: (body: Record<string, unknown>, key: string) => member<string>(body, key, 'string'),
  number: (body: Record<string, unknown>, key: string) => member<number>(body, key, 'number'),
  boolean: (body: Record<string, unknown>, key: string) => member<boolean>(body, key, 'boolean'),
  object: (body: Record<string, unknown>, key: string) =>
    member<Record<string, unknown>>(body, key, 'object'),
  strings: (body: Record<string, unknown>, key: string): string[] | undefined => {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new LambdaApiError(400, 'SerializationException', `${key} must be a list of strings`);
    }
    return value as string[];
  },
};
