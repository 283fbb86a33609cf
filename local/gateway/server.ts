import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { createServer as createNetServer, isIP, type Socket } from 'node:net';
import type { GatewayRequest, GatewayResponse } from '../types.ts';

/** The gateway could not start (port in use, a non-loopback address). */
export class GatewayStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayStartError';
  }
}

export interface GatewayOptions {
  host: string;
  port: number;
  /** Binding to an address other than loopback exposes the cloud to the network: opt in explicitly. */
  allowRemote?: boolean;
  /** Answers one request; the gateway only moves bytes. */
  dispatch: (req: Omit<GatewayRequest, 'service'>) => Promise<GatewayResponse>;
}

export interface Gateway {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** HTTP/2 connections start with this preface; an HTTP/1.x request line never starts with "PRI". */
const H2_PREFACE_START = Buffer.from('PRI ');

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/**
 * One port, two protocols: sniffs each connection's first bytes and hands it to an HTTP/2
 * (cleartext, prior knowledge, as the SDK's Kinesis client speaks) or an HTTP/1.1 server.
 */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  if (!opts.allowRemote && !isLoopback(opts.host)) {
    throw new GatewayStartError(
      `refusing to listen on ${opts.host}: the local cloud has no authentication, so it binds to loopback only (pass --allow-remote to override)`,
    );
  }
  const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) =>
    void handle(req, res, opts.dispatch);
  const http1 = createHttp1Server({ keepAliveTimeout: 60_000 }, onRequest);
  const http2 = createHttp2Server({ maxSessionMemory: 64 }, onRequest);
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Read the first bytes without switching to flowing mode: HTTP/2 drains what is buffered
    // on the socket, then reads from its handle directly.
    socket.once('readable', () => {
      const first: Buffer | null = socket.read();
      if (!first) return void socket.destroy();
      socket.unshift(first);
      const isHttp2 = first.subarray(0, H2_PREFACE_START.length).equals(H2_PREFACE_START);
      (isHttp2 ? http2 : http1).emit('connection', socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, opts)));
    server.listen(opts.port, opts.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    host: opts.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Why the gateway could not listen, in words that name the option to change. */
function listenError(err: NodeJS.ErrnoException, opts: GatewayOptions): GatewayStartError {
  switch (err.code) {
    case 'EADDRINUSE':
      return new GatewayStartError(
        `port ${opts.port} is in use: is the local cloud already running (\`npm start\`)? Stop it or choose another port with --port`,
      );
    case 'EACCES':
      return new GatewayStartError(
        `port ${opts.port} needs administrator rights: choose one above 1023 with --port`,
      );
    case 'EADDRNOTAVAIL':
      return new GatewayStartError(
        `cannot listen on ${opts.host}: it is not an address of this machine (use one of its own with --host)`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new GatewayStartError(
        `cannot listen on ${opts.host}: no such host (pass an IP address with --host)`,
      );
    default:
      return new GatewayStartError(`cannot listen on ${opts.host}:${opts.port}: ${err.message}`);
  }
}

async function handle(
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
  dispatch: GatewayOptions['dispatch'],
): Promise<void> {
  let response: GatewayResponse;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(':') || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    response = await dispatch({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers,
      body: Buffer.concat(chunks),
    });
  } catch (err) {
    response = awsError(502, 'ServiceUnavailableException', `local cloud: ${(err as Error).message}`);
  }
  if (res.headersSent || res.destroyed) return;
  const body = response.body ?? '';
  res.writeHead(response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** An error in the JSON shape every SDK v3 protocol recognises by the `x-amzn-errortype` header. */
export function awsError(status: number, type: string, message: string): GatewayResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
    body: JSON.stringify({ __type: type, message }),
  };
}
