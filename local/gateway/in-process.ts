import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { GatewayRequest, GatewayResponse } from '../types.ts';

/**
 * The request an emulator's handler reads: what kinesalite and dynalite use of Node's
 * `IncomingMessage` (method, url, lower-cased headers, the body as `data` then `end`).
 */
class InProcessRequest extends EventEmitter {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
  ) {
    super();
  }
}

const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

/** The response an emulator's handler writes: what they use of Node's `ServerResponse`. */
class InProcessResponse {
  statusCode = 200;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly done: (response: GatewayResponse) => void) {}

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  end(body?: string | Buffer): void {
    // How the body is framed is the gateway's business: it sets the length of what it sends on.
    const headers = Object.fromEntries(Object.entries(this.headers).filter(([name]) => !FRAMING.has(name)));
    this.done({ status: this.statusCode, headers, body: body ?? '' });
  }
}

/**
 * Hands a request to an emulator's HTTP request handler in this process, without a socket: the
 * same handler code as over HTTP, minus a loopback round trip and an HTTP encode and parse on
 * each side. For emulators built on `http.createServer(handler)` whose handler keeps to the
 * surface above (kinesalite, dynalite).
 */
export function dispatchInProcess(server: Server, req: GatewayRequest): Promise<GatewayResponse> {
  return new Promise((resolve, reject) => {
    const request = new InProcessRequest(req.method, req.url, req.headers);
    try {
      server.emit('request', request, new InProcessResponse(resolve));
    } catch (err) {
      reject(err);
      return;
    }
    // The handler subscribes to the body as it is called; the body follows, as off a socket.
    setImmediate(() => {
      try {
        if (req.body.length > 0) request.emit('data', req.body);
        request.emit('end');
      } catch (err) {
        reject(err);
      }
    });
  });
}
