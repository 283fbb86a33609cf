import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Http2ServerRequest, type Http2ServerResponse, constants as h2 } from 'node:http2';
import type { GatewayRequest, GatewayResponse } from '../types.ts';
import { bodyLimit } from './limits.ts';
import { refusal } from './refusal.ts';
import { serviceOf } from './scope.ts';
import { verifySigV4 } from './sigv4.ts';
import { decideTrust, refusalCode, type TrustOptions } from './trust.ts';

/** Answers one request; the gateway only moves bytes. */
export type Dispatch = (req: Omit<GatewayRequest, 'service'>) => Promise<GatewayResponse>;

export interface RequestContext extends TrustOptions {
  dispatch: Dispatch;
  /** Time a request has, from its headers, to deliver its whole body. */
  requestTimeoutMs: number;
  /** Marks the connection busy (never evicted) while the request is served. */
  busy: (req: AnyRequest, delta: 1 | -1) => void;
  /** Marks the connection as sending a body (evicted only after idle ones). */
  reading: (req: AnyRequest, delta: 1 | -1) => void;
}

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

const CONTROL_PREFIX = '/_wildrydes/';

/** Lower-cased headers without HTTP/2's pseudo-headers, `host` taken from `:authority` if need be. */
function headersOf(req: AnyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const authority = req.headers[':authority'];
  if (headers.host === undefined && typeof authority === 'string') headers.host = authority;
  return headers;
}

/** Reads the body up to `max` bytes; past it, or past the deadline, stops keeping what comes. */
function readBody(
  req: AnyRequest,
  max: number,
  timeoutMs: number,
): Promise<Buffer | 'too-large' | 'timeout'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too-large' | 'timeout') => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        // Read on without keeping: the client gets its answer, memory stays flat.
        req.on('data', () => undefined);
        finish('too-large');
      } else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onError = () => finish('timeout');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

/** Sends `response`; `drop` ends the exchange after it (a body left unread, a deadline passed). */
function send(req: AnyRequest, res: AnyResponse, response: GatewayResponse, drop = false): void {
  if (res.headersSent || res.destroyed) return;
  const body = response.body ?? '';
  res.writeHead(response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
  if (!drop) return;
  if ('stream' in req) {
    // HTTP/2: the answer is out; tell the client to stop sending this stream's body.
    res.once('finish', () => req.stream.close(h2.NGHTTP2_NO_ERROR));
  } else {
    // HTTP/1.1: Node reads the rest of the body and throws it away; a client that never
    // finishes sending it loses the connection once the answer had time to arrive.
    req.resume();
    setTimeout(() => req.socket.destroy(), 5_000).unref();
  }
}

/** Serves one request: trust, then the body cap, then the signature, then the service. */
export async function handleRequest(req: AnyRequest, res: AnyResponse, ctx: RequestContext): Promise<void> {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const headers = headersOf(req);
  const path = url.split('?')[0] ?? '/';
  const service = path.startsWith(CONTROL_PREFIX) ? 'control' : serviceOf(headers, url);
  const contentType = headers['content-type'];
  const form = contentType?.startsWith('application/x-www-form-urlencoded') ?? false;
  const refuse = (status: number, code: string, message: string, drop = true) =>
    send(req, res, refusal(service, contentType, status, code, message), drop);

  const trust = decideTrust({ method, url, headers, peer: req.socket?.remoteAddress }, service, ctx);
  if (trust.verdict === 'refused') return refuse(403, refusalCode(trust.kind, service, form), trust.message);
  if (trust.verdict === 'prove' && !headers.authorization && !url.includes('X-Amz-Signature=')) {
    return refuse(
      403,
      refusalCode('unauthenticated', service, form),
      'Request is missing Authentication Token: from another machine, sign with the secret `npm start` printed (export AWS_SECRET_ACCESS_KEY=…)',
    );
  }
  const limit = bodyLimit(service, path);
  if (Number(headers['content-length'] ?? 0) > limit.bytes)
    return refuse(limit.status, limit.code, limit.message);
  ctx.reading(req, 1);
  const body = await readBody(req, limit.bytes, ctx.requestTimeoutMs).finally(() => ctx.reading(req, -1));
  if (body === 'too-large') return refuse(limit.status, limit.code, limit.message);
  if (body === 'timeout') {
    refuse(
      408,
      'RequestTimeout',
      'Your socket connection to the server was not read from or written to within the timeout period.',
    );
    if ('stream' in req) req.stream.close(h2.NGHTTP2_CANCEL);
    else req.socket.destroy();
    return;
  }
  if (trust.verdict === 'prove' && ctx.secret) {
    const fault = verifySigV4({ method, url, headers, body }, ctx.secret);
    if (fault) return refuse(403, fault.code, fault.message, false);
  }

  let response: GatewayResponse;
  ctx.busy(req, 1);
  try {
    response = await ctx.dispatch({ method, url, headers, body });
  } catch (err) {
    response = refusal(
      service,
      contentType,
      500,
      'InternalFailure',
      `local cloud: ${(err as Error).message}`,
    );
  } finally {
    ctx.busy(req, -1);
  }
  send(req, res, response);
}
