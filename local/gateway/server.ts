import { createServer as createHttp1Server } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createNetServer, isIP, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { GatewayResponse } from '../types.ts';
import {
  type AnyRequest,
  type AnyResponse,
  type Dispatch,
  handleRequest,
  type RequestContext,
} from './request.ts';
import type { TrustOptions } from './trust.ts';

/** The gateway could not start (port in use, a non-loopback address). */
export class GatewayStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayStartError';
  }
}

export interface GatewayOptions extends TrustOptions {
  host: string;
  port: number;
  /** Answers one request; the gateway only moves bytes. */
  dispatch: Dispatch;
  /** Time to send a request's headers (10 s) and its whole body (60 s); idle connections close after 60 s. */
  timeouts?: { headersMs?: number; requestMs?: number; idleMs?: number };
  /** Open connections at most (512): past it, a new one replaces the oldest one not being served. */
  maxConnections?: number;
}

export interface Gateway {
  host: string;
  port: number;
  /** Connections open now. */
  connections(): number;
  close(): Promise<void>;
}

/** HTTP/2 connections start with this preface; an HTTP/1.x request line never starts with "PRI". */
const H2_PREFACE_START = Buffer.from('PRI ');

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/** A connection as the gateway tracks it: when it opened, how many of its requests are being served. */
interface Connection {
  socket: Socket;
  since: number;
  busy: number;
  reading: number;
}

/**
 * One port, two protocols: sniffs each connection's first bytes and hands it to an HTTP/2
 * (cleartext, prior knowledge, as the SDK's Kinesis client speaks) or an HTTP/1.1 server.
 */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  if (!opts.allowRemote && !isLoopback(opts.host)) {
    throw new GatewayStartError(
      `refusing to listen on ${opts.host}: the local cloud binds to loopback only; pass --allow-remote to let other machines in (with the secret it prints)`,
    );
  }
  if (opts.allowRemote && !opts.secret) {
    throw new GatewayStartError('--allow-remote needs a secret for other machines to sign with');
  }
  const headersMs = opts.timeouts?.headersMs ?? 10_000;
  const requestMs = opts.timeouts?.requestMs ?? 60_000;
  const idleMs = opts.timeouts?.idleMs ?? 60_000;
  const maxConnections = opts.maxConnections ?? 512;
  const ownAddresses = new Set(
    Object.values(networkInterfaces())
      .flat()
      .flatMap((a) => (a ? [a.address.toLowerCase()] : [])),
  );
  const connections = new Map<Socket, Connection>();
  const sessions = new WeakMap<object, Connection>();
  const connectionOf = (req: AnyRequest) =>
    'stream' in req ? sessions.get(req.stream.session as object) : connections.get(req.socket);
  const ctx: RequestContext = {
    ownAddresses,
    ...opts,
    requestTimeoutMs: requestMs,
    busy: (req, delta) => {
      const connection = connectionOf(req);
      if (connection) connection.busy += delta;
    },
    reading: (req, delta) => {
      const connection = connectionOf(req);
      if (connection) connection.reading += delta;
    },
  };
  const onRequest = (req: AnyRequest, res: AnyResponse) => void handleRequest(req, res, ctx);
  const http1 = createHttp1Server(
    {
      keepAliveTimeout: idleMs,
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      connectionsCheckingInterval: 1_000,
    },
    onRequest,
  );
  http1.timeout = idleMs;
  // Idle means no request in progress: a deploy asked over /_wildrydes/deploy may take minutes
  // to answer, and its connection must not be cut for the silence meanwhile.
  http1.on('timeout', (socket: Socket) => {
    if ((connections.get(socket)?.busy ?? 0) === 0) socket.destroy();
  });
  // Node checks headersTimeout/requestTimeout only on servers that listened; this one is handed
  // sockets instead, so start its checks as `listen` would (half-sent headers are then closed).
  http1.emit('listening');
  const http2 = createHttp2Server({ maxSessionMemory: 64 }, onRequest);
  http2.setTimeout(idleMs);
  let handingOff: Connection | undefined;
  http2.on('session', (session) => {
    if (handingOff) sessions.set(session, handingOff);
  });

  /**
   * Makes room for one more connection: closes the oldest idle one (or still sending headers),
   * else the oldest sending a body; never one being served.
   */
  const makeRoom = (): boolean => {
    if (connections.size < maxConnections) return true;
    let oldest: Connection | undefined;
    const rank = (c: Connection) => (c.reading > 0 ? 1 : 0);
    for (const c of connections.values()) {
      if (c.busy > 0) continue;
      if (!oldest || rank(c) < rank(oldest) || (rank(c) === rank(oldest) && c.since < oldest.since))
        oldest = c;
    }
    if (!oldest) return false;
    oldest.socket.destroy();
    connections.delete(oldest.socket);
    return true;
  };

  const server = createNetServer((socket) => {
    if (!makeRoom()) return void socket.destroy();
    const connection: Connection = { socket, since: performance.now(), busy: 0, reading: 0 };
    connections.set(socket, connection);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    // A connection that sends nothing is closed like one that sends half its headers.
    const silent = () => socket.destroy();
    socket.setTimeout(headersMs, silent);
    // Read the first bytes without switching to flowing mode: HTTP/2 drains what is buffered
    // on the socket, then reads from its handle directly.
    socket.once('readable', () => {
      const first: Buffer | null = socket.read();
      if (!first) return void socket.destroy();
      // Off, listener too: the HTTP server times the connection from here on (idle, not busy).
      socket.setTimeout(0);
      socket.off('timeout', silent);
      socket.unshift(first);
      const isHttp2 = first.subarray(0, H2_PREFACE_START.length).equals(H2_PREFACE_START);
      handingOff = connection;
      (isHttp2 ? http2 : http1).emit('connection', socket);
      handingOff = undefined;
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
    connections: () => connections.size,
    close: () =>
      new Promise<void>((resolve) => {
        http1.close();
        server.close(() => resolve());
        for (const socket of connections.keys()) socket.destroy();
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

/** An error in the JSON shape every SDK v3 protocol recognises by the `x-amzn-errortype` header. */
export function awsError(status: number, type: string, message: string): GatewayResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
    body: JSON.stringify({ __type: type, message }),
  };
}
